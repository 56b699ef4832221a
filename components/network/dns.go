package network

import (
	"strings"

	"github.com/pulumi/pulumi-azure-native-sdk/network/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/internal/privatelink"
)

// newPrivateZones creates the private DNS zones the requested groups need and links each to
// the VNet with auto-registration off (azure-reference.md §3). Private DNS zones are global.
func newPrivateZones(ctx *pulumi.Context, args *NetworkArgs, vnetID pulumi.StringOutput, parent pulumi.ResourceOption) (map[string]pulumi.StringOutput, error) {
	zones, err := privatelink.ZonesFor(args.PrivateLinkGroups...)
	if err != nil {
		return nil, err
	}
	ids := make(map[string]pulumi.StringOutput, len(zones))
	for _, z := range zones {
		zone, err := network.NewPrivateZone(ctx, z, &network.PrivateZoneArgs{
			PrivateZoneName:   pulumi.String(z),
			ResourceGroupName: args.ResourceGroupName,
			Location:          pulumi.String("global"),
			Tags:              args.Tags,
		}, parent)
		if err != nil {
			return nil, err
		}
		if _, err := network.NewVirtualNetworkLink(ctx, z+"-link", &network.VirtualNetworkLinkArgs{
			VirtualNetworkLinkName: pulumi.String("link-" + strings.ReplaceAll(z, ".", "-")),
			PrivateZoneName:        zone.Name,
			ResourceGroupName:      args.ResourceGroupName,
			Location:               pulumi.String("global"),
			RegistrationEnabled:    pulumi.Bool(false),
			VirtualNetwork:         &network.SubResourceArgs{Id: vnetID},
			Tags:                   args.Tags,
		}, parent); err != nil {
			return nil, err
		}
		ids[z] = zone.ID().ToStringOutput()
	}
	return ids, nil
}
