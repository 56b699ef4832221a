package stack

import (
	"azure-ml-security/components/datastores"
	"azure-ml-security/components/network"
	"azure-ml-security/components/workspace"
	"azure-ml-security/internal/settings"
)

// networkArgs: the VNet, with the DNS zones of every private endpoint the private
// configuration makes, and RDP from the allowed addresses when the jump VM exists.
func networkArgs(cfg *settings.Settings, b *base) *network.NetworkArgs {
	args := &network.NetworkArgs{
		ResourceGroupName:           b.rg.Name,
		Location:                    cfg.Location,
		VnetName:                    b.names.Plain("vnet"),
		AddressSpace:                cfg.Network.AddressSpace,
		ClientSubnetPrefix:          cfg.Network.ClientSubnetPrefix,
		PrivateEndpointSubnetPrefix: cfg.Network.PrivateEndpointSubnetPrefix,
		Tags:                        b.tags,
	}
	if cfg.PrivateWorkspace {
		args.PrivateLinkGroups = append(workspace.PrivateLinkGroups(), datastores.PrivateLinkGroups(cfg.Data.SQL.Create)...)
	}
	if cfg.JumpVM.Create {
		args.RDPAllowedSources = cfg.AllowedIPs
	}
	if sshOverPrivateLink(cfg) {
		args.ExtraZones = []string{instancesZone}
	}
	return args
}

// instancesZone is where a private compute instance's SSH records go (compute.InstanceDNS).
const instancesZone = "instances.azureml.ms"

// sshOverPrivateLink: a private workspace's compute instance with SSH needs the records that
// route `az ml compute connect-ssh` over the private endpoint.
func sshOverPrivateLink(cfg *settings.Settings) bool {
	return cfg.PrivateWorkspace && cfg.Compute.Create && cfg.Compute.SSHPublicKey != ""
}
