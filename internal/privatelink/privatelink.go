// Package privatelink is the one way this program creates a private endpoint: an endpoint to
// a resource's private-link group in the customer VNet, with a DNS zone group on the private
// DNS zones that group needs.
package privatelink

import (
	"fmt"
	"sort"
	"strings"

	"github.com/pulumi/pulumi-azure-native-sdk/network/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/internal/logical"
)

// Private-link group ids (https://learn.microsoft.com/azure/private-link/private-endpoint-dns).
const (
	GroupWorkspace = "amlworkspace"
	GroupBlob      = "blob"
	GroupDfs       = "dfs"
	GroupFile      = "file"
	GroupVault     = "vault"
	GroupRegistry  = "registry"
	GroupSQLServer = "sqlServer"
	// GroupAzureMonitor is an Azure Monitor Private Link Scope's endpoint (Log Analytics and
	// Application Insights).
	GroupAzureMonitor = "azuremonitor"
)

// InstancesZone is the private zone of compute instances' SSH records
// (https://learn.microsoft.com/azure/machine-learning/how-to-managed-network-compute,
// "Limitations"): not a zone group's zone, the program writes its records.
const InstancesZone = "instances.azureml.ms"

// zonesByGroup maps a group id to the private DNS zones its records go in (public cloud,
// https://learn.microsoft.com/azure/private-link/private-endpoint-dns). The workspace needs
// both zones: api.azureml.ms for the workspace APIs and notebooks.azure.net for the notebook
// service; Azure Policy's zone-group policy for workspaces asks for both as well.
var zonesByGroup = map[string][]string{
	GroupWorkspace: {"privatelink.api.azureml.ms", "privatelink.notebooks.azure.net"},
	GroupBlob:      {"privatelink.blob.core.windows.net"},
	GroupDfs:       {"privatelink.dfs.core.windows.net"},
	GroupFile:      {"privatelink.file.core.windows.net"},
	GroupVault:     {"privatelink.vaultcore.azure.net"},
	GroupRegistry:  {"privatelink.azurecr.io"},
	GroupSQLServer: {"privatelink.database.windows.net"},
	// The monitor, oms, ods and agentsvc zones, and the blob zone shared with storage.
	GroupAzureMonitor: {"privatelink.monitor.azure.com", "privatelink.oms.opinsights.azure.com", "privatelink.ods.opinsights.azure.com",
		"privatelink.agentsvc.azure-automation.net", "privatelink.blob.core.windows.net"},
}

// shortNames name an endpoint or outbound rule after its target and group:
// "<target>-<short>", such as lake-dfs or sql-server.
var shortNames = map[string]string{
	GroupWorkspace:    "workspace",
	GroupBlob:         "blob",
	GroupDfs:          "dfs",
	GroupFile:         "file",
	GroupVault:        "vault",
	GroupRegistry:     "registry",
	GroupSQLServer:    "server",
	GroupAzureMonitor: "monitor",
}

// Short is the group's short name in endpoint and rule names.
func Short(group string) string { return shortNames[group] }

// ZonesFor returns the sorted, de-duplicated zone names the given groups need.
func ZonesFor(groups ...string) ([]string, error) {
	seen := map[string]bool{}
	var out []string
	for _, g := range groups {
		zones, ok := zonesByGroup[g]
		if !ok {
			return nil, fmt.Errorf("privatelink: unknown group id %q", g)
		}
		for _, z := range zones {
			if !seen[z] {
				seen[z] = true
				out = append(out, z)
			}
		}
	}
	sort.Strings(out)
	return out, nil
}

// KnownZones are every zone an endpoint of this program can need, and InstancesZone, sorted.
func KnownZones() []string {
	var all []string
	for g := range zonesByGroup {
		all = append(all, g)
	}
	zones, _ := ZonesFor(all...)
	return append(zones, InstancesZone)
}

// Placement is where private endpoints go: the private-endpoint subnet, and the private DNS
// zones their records go in (zone name -> zone resource id), created by the network or given.
type Placement struct {
	ResourceGroupName pulumi.StringInput
	Location          pulumi.StringInput
	SubnetID          pulumi.StringInput
	ZoneIDs           map[string]pulumi.StringInput
	// PolicyZoneGroups: Azure Policy writes each endpoint's zone group (deployIfNotExists in a
	// landing zone), so the program writes none and needs no zone.
	PolicyZoneGroups bool
	Tags             pulumi.StringMapInput
	// Endpoints are the ids of the endpoints made through this placement, in order.
	Endpoints []pulumi.StringOutput
}

// NewEndpoint creates "a private endpoint to resource target, group group" named pe-<name>
// (logical and Azure name), with a DNS zone group on every zone the group needs. It fails if
// the placement lacks one of those zones, so a missing zone is a program error and not a
// silent DNS gap. names are the logical names of the calling component's children.
func (p *Placement) NewEndpoint(ctx *pulumi.Context, names logical.Names, name string, target pulumi.StringInput, group string, opts ...pulumi.ResourceOption) (*network.PrivateEndpoint, error) {
	zones, err := ZonesFor(group)
	if err != nil {
		return nil, err
	}
	if p.PolicyZoneGroups {
		zones = nil
	}
	configs := network.PrivateDnsZoneConfigArray{}
	for _, z := range zones {
		id, ok := p.ZoneIDs[z]
		if !ok {
			return nil, fmt.Errorf("privatelink: endpoint %s needs private DNS zone %s, which the network neither creates nor was given", name, z)
		}
		configs = append(configs, network.PrivateDnsZoneConfigArgs{
			Name:             pulumi.String(strings.ReplaceAll(z, ".", "-")),
			PrivateDnsZoneId: id,
		})
	}
	pe, err := network.NewPrivateEndpoint(ctx, names.Name("pe-"+name), &network.PrivateEndpointArgs{
		PrivateEndpointName: pulumi.String("pe-" + name),
		ResourceGroupName:   p.ResourceGroupName,
		Location:            p.Location,
		Subnet:              &network.SubnetTypeArgs{Id: p.SubnetID},
		PrivateLinkServiceConnections: network.PrivateLinkServiceConnectionArray{
			network.PrivateLinkServiceConnectionArgs{
				Name:                 pulumi.String("pe-" + name),
				PrivateLinkServiceId: target,
				GroupIds:             pulumi.StringArray{pulumi.String(group)},
			},
		},
		Tags: p.Tags,
	}, names.Opts("pe-"+name, opts...)...)
	if err != nil {
		return nil, err
	}
	p.Endpoints = append(p.Endpoints, pe.ID().ToStringOutput())
	if p.PolicyZoneGroups {
		return pe, nil
	}
	_, err = network.NewPrivateDnsZoneGroup(ctx, names.Name("pe-"+name+"-dns"), &network.PrivateDnsZoneGroupArgs{
		PrivateDnsZoneGroupName: pulumi.String("default"),
		PrivateEndpointName:     pe.Name,
		ResourceGroupName:       p.ResourceGroupName,
		PrivateDnsZoneConfigs:   configs,
	}, names.Opts("pe-"+name+"-dns", opts...)...)
	if err != nil {
		return nil, err
	}
	return pe, nil
}

// PublicNetworkAccess is the publicNetworkAccess value of every resource of the program: off
// when it is reached only through private endpoints. Storage, Key Vault, Container Registry,
// SQL and the ML workspace all spell it Enabled and Disabled.
func PublicNetworkAccess(private bool) string {
	if private {
		return "Disabled"
	}
	return "Enabled"
}

// EndpointIP is the private address of an endpoint, from the DNS configuration Azure reports
// for it.
func EndpointIP(pe *network.PrivateEndpoint) pulumi.StringOutput {
	return pe.CustomDnsConfigs.ApplyT(func(cfgs []network.CustomDnsConfigPropertiesFormatResponse) string {
		for _, c := range cfgs {
			if len(c.IpAddresses) > 0 {
				return c.IpAddresses[0]
			}
		}
		return ""
	}).(pulumi.StringOutput)
}
