package stack

import (
	"fmt"
	"strings"

	"azure-ml-security/components/datastores"
	"azure-ml-security/components/network"
	"azure-ml-security/components/workspace"
	"azure-ml-security/internal/privatelink"
	"azure-ml-security/internal/settings"
)

// networkArgs: the VNet (or the landing zone's subnets), with the DNS zones of every private
// endpoint the private configuration makes, and RDP from the allowed addresses when the jump
// VM exists.
func networkArgs(cfg *settings.Settings, b *base) *network.NetworkArgs {
	args := &network.NetworkArgs{
		ResourceGroupName:           b.rg.Name,
		Location:                    cfg.Location,
		VnetName:                    b.names.Plain("vnet"),
		AddressSpace:                cfg.Network.AddressSpace,
		ClientSubnetPrefix:          cfg.Network.ClientSubnetPrefix,
		PrivateEndpointSubnetPrefix: cfg.Network.PrivateEndpointSubnetPrefix,
		GivenZoneIDs:                cfg.DNS.ZoneIDs,
		PolicyZoneGroups:            cfg.DNS.ZoneGroups == settings.ZoneGroupsNone,
		LogAnalyticsWorkspaceID:     b.logs.ID(),
		Tags:                        b.tags,
	}
	if n := cfg.Network; n.Existing() {
		args.Existing = &network.ExistingSubnets{ClientSubnetID: n.ExistingClientSubnetID, PrivateEndpointSubnetID: n.ExistingPrivateEndpointSubnetID}
	}
	args.PrivateLinkGroups = privateLinkGroups(cfg)
	if cfg.JumpVM.Create {
		args.RDPAllowedSources = cfg.AllowedIPs
	}
	if sshOverPrivateLink(cfg) {
		args.ExtraZones = []string{privatelink.InstancesZone}
	}
	return args
}

// sshOverPrivateLink: a private workspace's compute instance with SSH needs the records that
// route `az ml compute connect-ssh` over the private endpoint.
func sshOverPrivateLink(cfg *settings.Settings) bool {
	return cfg.PrivateWorkspace && cfg.Compute.Create && cfg.Compute.SSHPublicKey != ""
}

// privateLinkGroups are the private-link groups of every private endpoint the configuration
// makes.
func privateLinkGroups(cfg *settings.Settings) []string {
	if !cfg.PrivateWorkspace {
		return nil
	}
	return append(workspace.PrivateLinkGroups(cfg.MonitoringPrivate()), datastores.PrivateLinkGroups(cfg.Data.SQL.Create)...)
}

// checkZones: when Azure Policy writes the zone groups, the program creates no zone, so every
// zone its endpoints need must be one of the landing zone's, listed in privateDnsZoneIds. A
// missing one would leave an endpoint that nothing resolves, found only when the workspace
// fails to load in studio. It runs before any resource is registered.
func checkZones(cfg *settings.Settings) error {
	if cfg.DNS.ZoneGroups != settings.ZoneGroupsNone {
		return nil
	}
	needed, err := privatelink.ZonesFor(privateLinkGroups(cfg)...)
	if err != nil {
		return err
	}
	var missing []string
	for _, z := range needed {
		if _, ok := cfg.DNS.ZoneIDs[z]; !ok {
			missing = append(missing, z)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return fmt.Errorf("invalid stack configuration:\n  %w", &settings.Error{Key: "privateDnsZoneIds", Value: strings.Join(missing, ", ") + " missing",
		Allowed: "with privateDnsZoneGroups none, every zone the private endpoints need must be listed with the hub zone's id (the zones Azure Policy writes their records to)"})
}
