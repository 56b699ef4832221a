package network

import (
	"slices"
	"strings"

	aznetwork "github.com/pulumi/pulumi-azure-native-sdk/network/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/internal/logical"
	"azure-ml-security/internal/privatelink"
)

// newPrivateZones creates the private DNS zones the requested groups need and links each to
// the VNet with auto-registration off: the private endpoints' zone groups write the records
// (https://learn.microsoft.com/azure/private-link/private-endpoint-dns). Private DNS zones are
// global resources. A zone given by id (a landing zone's hub) is used as it is: the hub links
// it to its networks. With zone groups left to Azure Policy, no zone is needed at all.
func newPrivateZones(ctx *pulumi.Context, names logical.Names, args *NetworkArgs, vnetID pulumi.StringOutput) (ids map[string]pulumi.StringInput, zoneNames map[string]pulumi.StringOutput, err error) {
	zones, err := privatelink.ZonesFor(args.PrivateLinkGroups...)
	if err != nil {
		return nil, nil, err
	}
	for _, z := range args.ExtraZones {
		if !slices.Contains(zones, z) {
			zones = append(zones, z)
		}
	}
	ids = map[string]pulumi.StringInput{}
	zoneNames = map[string]pulumi.StringOutput{}
	if args.PolicyZoneGroups {
		return ids, zoneNames, nil
	}
	for _, z := range zones {
		if id, ok := args.GivenZoneIDs[z]; ok {
			ids[z] = pulumi.String(id)
			continue
		}
		zone, err := aznetwork.NewPrivateZone(ctx, names.Name(z), &aznetwork.PrivateZoneArgs{
			PrivateZoneName:   pulumi.String(z),
			ResourceGroupName: args.ResourceGroupName,
			Location:          pulumi.String("global"),
			Tags:              args.Tags,
		}, names.Opts(z)...)
		if err != nil {
			return nil, nil, err
		}
		link, err := aznetwork.NewVirtualNetworkLink(ctx, names.Name(z+"-link"), &aznetwork.VirtualNetworkLinkArgs{
			VirtualNetworkLinkName: pulumi.String("link-" + strings.ReplaceAll(z, ".", "-")),
			PrivateZoneName:        zone.Name,
			ResourceGroupName:      args.ResourceGroupName,
			Location:               pulumi.String("global"),
			RegistrationEnabled:    pulumi.Bool(false),
			VirtualNetwork:         &aznetwork.SubResourceArgs{Id: vnetID},
			Tags:                   args.Tags,
		}, names.Opts(z+"-link")...)
		if err != nil {
			return nil, nil, err
		}
		ids[z] = zone.ID()
		// A record in the zone resolves in the VNet only once the link exists.
		zoneNames[z] = pulumi.All(zone.Name, link.ID()).ApplyT(func(v []any) string { return v[0].(string) }).(pulumi.StringOutput)
	}
	return ids, zoneNames, nil
}
