package network

import (
	aznetwork "github.com/pulumi/pulumi-azure-native-sdk/network/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/internal/logical"
)

type vnetResources struct {
	vnet      *aznetwork.VirtualNetwork
	client    *aznetwork.Subnet
	endpoints *aznetwork.Subnet
}

// newVnet creates the VNet and its two subnets as separate Subnet resources, never inline in
// the VNet, so the two are not managed twice (a VNet PUT that omits a subnet in use fails with
// InUseSubnetCannotBeDeleted). The second subnet waits for the first: ARM rejects concurrent
// writes to one VNet with AnotherOperationInProgress (pulumi-azure-native #699, #1024).
func newVnet(ctx *pulumi.Context, names logical.Names, args *NetworkArgs, nsg *aznetwork.NetworkSecurityGroup) (*vnetResources, error) {
	vnet, err := aznetwork.NewVirtualNetwork(ctx, names.Name("vnet"), &aznetwork.VirtualNetworkArgs{
		VirtualNetworkName: pulumi.String(args.VnetName),
		ResourceGroupName:  args.ResourceGroupName,
		Location:           pulumi.String(args.Location),
		AddressSpace: &aznetwork.AddressSpaceArgs{
			AddressPrefixes: pulumi.StringArray{pulumi.String(args.AddressSpace)},
		},
		Tags: args.Tags,
	}, names.Opts("vnet")...)
	if err != nil {
		return nil, err
	}
	nsgRef := &aznetwork.NetworkSecurityGroupTypeArgs{Id: nsg.ID().ToStringOutput()}
	client, err := aznetwork.NewSubnet(ctx, names.Name("snet-clients"), &aznetwork.SubnetArgs{
		SubnetName:           pulumi.String("snet-clients"),
		VirtualNetworkName:   vnet.Name,
		ResourceGroupName:    args.ResourceGroupName,
		AddressPrefix:        pulumi.String(args.ClientSubnetPrefix),
		NetworkSecurityGroup: nsgRef,
	}, names.Opts("snet-clients")...)
	if err != nil {
		return nil, err
	}
	// Private endpoints need the subnet's private-endpoint network policies disabled
	// (https://learn.microsoft.com/azure/private-link/disable-private-endpoint-network-policy).
	// No service endpoints: data traffic uses private endpoints.
	endpoints, err := aznetwork.NewSubnet(ctx, names.Name("snet-private-endpoints"), &aznetwork.SubnetArgs{
		SubnetName:                     pulumi.String("snet-private-endpoints"),
		VirtualNetworkName:             vnet.Name,
		ResourceGroupName:              args.ResourceGroupName,
		AddressPrefix:                  pulumi.String(args.PrivateEndpointSubnetPrefix),
		NetworkSecurityGroup:           nsgRef,
		PrivateEndpointNetworkPolicies: pulumi.String(string(aznetwork.VirtualNetworkPrivateEndpointNetworkPoliciesDisabled)),
	}, names.Opts("snet-private-endpoints", pulumi.DependsOn([]pulumi.Resource{client}))...)
	if err != nil {
		return nil, err
	}
	return &vnetResources{vnet: vnet, client: client, endpoints: endpoints}, nil
}
