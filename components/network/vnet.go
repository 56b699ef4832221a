package network

import (
	"github.com/pulumi/pulumi-azure-native-sdk/network/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

type vnetResources struct {
	vnet      *network.VirtualNetwork
	client    *network.Subnet
	endpoints *network.Subnet
}

// newVnet creates the VNet and its two subnets as separate Subnet resources, never inline in
// the VNet, so the two are not managed twice. The second subnet waits for the first: ARM
// rejects concurrent writes to one VNet with AnotherOperationInProgress.
func newVnet(ctx *pulumi.Context, args *NetworkArgs, nsg *network.NetworkSecurityGroup, parent pulumi.ResourceOption) (*vnetResources, error) {
	vnet, err := network.NewVirtualNetwork(ctx, "vnet", &network.VirtualNetworkArgs{
		VirtualNetworkName: pulumi.String(args.VnetName),
		ResourceGroupName:  args.ResourceGroupName,
		Location:           pulumi.String(args.Location),
		AddressSpace: &network.AddressSpaceArgs{
			AddressPrefixes: pulumi.StringArray{pulumi.String(args.AddressSpace)},
		},
		Tags: args.Tags,
	}, parent)
	if err != nil {
		return nil, err
	}
	nsgRef := &network.NetworkSecurityGroupTypeArgs{Id: nsg.ID().ToStringOutput()}
	client, err := network.NewSubnet(ctx, "snet-clients", &network.SubnetArgs{
		SubnetName:           pulumi.String("snet-clients"),
		VirtualNetworkName:   vnet.Name,
		ResourceGroupName:    args.ResourceGroupName,
		AddressPrefix:        pulumi.String(args.ClientSubnetPrefix),
		NetworkSecurityGroup: nsgRef,
	}, parent)
	if err != nil {
		return nil, err
	}
	// Private endpoints need the subnet's private-endpoint network policies disabled
	// (azure-reference.md §3). No service endpoints: data traffic uses private endpoints.
	endpoints, err := network.NewSubnet(ctx, "snet-private-endpoints", &network.SubnetArgs{
		SubnetName:                     pulumi.String("snet-private-endpoints"),
		VirtualNetworkName:             vnet.Name,
		ResourceGroupName:              args.ResourceGroupName,
		AddressPrefix:                  pulumi.String(args.PrivateEndpointSubnetPrefix),
		NetworkSecurityGroup:           nsgRef,
		PrivateEndpointNetworkPolicies: pulumi.String(string(network.VirtualNetworkPrivateEndpointNetworkPoliciesDisabled)),
	}, parent, pulumi.DependsOn([]pulumi.Resource{client}))
	if err != nil {
		return nil, err
	}
	return &vnetResources{vnet: vnet, client: client, endpoints: endpoints}, nil
}
