// Package network is the customer VNet: a client subnet (jump VM), a private-endpoint subnet,
// an NSG on both, and the private DNS zones the enabled private endpoints need. Its PrivateLink
// output is where every private endpoint of the program goes (internal/privatelink).
package network

import (
	"errors"
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/internal/logical"
	"azure-ml-security/internal/privatelink"
)

// NetworkArgs configure the VNet.
type NetworkArgs struct {
	ResourceGroupName           pulumi.StringInput
	Location                    string
	VnetName                    string
	AddressSpace                string
	ClientSubnetPrefix          string
	PrivateEndpointSubnetPrefix string
	// PrivateLinkGroups are the private-link group ids that will get endpoints in this VNet;
	// their DNS zones are created and linked.
	PrivateLinkGroups []string
	// ExtraZones are further private DNS zones to create and link (instances.azureml.ms for
	// SSH to a private compute instance).
	ExtraZones []string
	// RDPAllowedSources, when not empty, admits RDP (TCP 3389) to the client subnet from these
	// public addresses only (the jump VM). No other inbound rule from outside the VNet exists.
	RDPAllowedSources []string
	Tags              pulumi.StringMap
}

// Network is the customer VNet component.
type Network struct {
	pulumi.ResourceState

	VnetID                  pulumi.StringOutput
	VnetName                pulumi.StringOutput
	ClientSubnetID          pulumi.StringOutput
	PrivateEndpointSubnetID pulumi.StringOutput
	// PrivateLink places private endpoints in the private-endpoint subnet with this VNet's zones.
	PrivateLink *privatelink.Placement
	// Zones are the private DNS zones created, by name (the output waits for the zone).
	Zones map[string]pulumi.StringOutput
}

// NewNetwork creates the VNet, subnets, NSG and private DNS zones.
func NewNetwork(ctx *pulumi.Context, name string, args *NetworkArgs, opts ...pulumi.ResourceOption) (*Network, error) {
	if args == nil || args.ResourceGroupName == nil {
		return nil, errors.New("network: ResourceGroupName is required")
	}
	n := &Network{}
	if err := ctx.RegisterComponentResource("azure-ml-security:components:Network", name, n, opts...); err != nil {
		return nil, fmt.Errorf("network: registering the component: %w", err)
	}
	names := logical.New(name, n)

	nsg, err := newSecurityGroup(ctx, names, args)
	if err != nil {
		return nil, fmt.Errorf("network: security group: %w", err)
	}
	vnet, err := newVnet(ctx, names, args, nsg)
	if err != nil {
		return nil, fmt.Errorf("network: virtual network: %w", err)
	}
	zoneIDs, zoneNames, err := newPrivateZones(ctx, names, args, vnet.vnet.ID().ToStringOutput())
	if err != nil {
		return nil, fmt.Errorf("network: private DNS zones: %w", err)
	}

	n.VnetID = vnet.vnet.ID().ToStringOutput()
	n.VnetName = vnet.vnet.Name
	n.Zones = zoneNames
	n.ClientSubnetID = vnet.client.ID().ToStringOutput()
	n.PrivateEndpointSubnetID = vnet.endpoints.ID().ToStringOutput()
	n.PrivateLink = &privatelink.Placement{
		ResourceGroupName: args.ResourceGroupName,
		Location:          pulumi.String(args.Location),
		SubnetID:          n.PrivateEndpointSubnetID,
		ZoneIDs:           zoneIDs,
		Tags:              args.Tags,
	}
	if err := ctx.RegisterResourceOutputs(n, pulumi.Map{
		"vnetId":                  n.VnetID,
		"vnetName":                n.VnetName,
		"clientSubnetId":          n.ClientSubnetID,
		"privateEndpointSubnetId": n.PrivateEndpointSubnetID,
	}); err != nil {
		return nil, fmt.Errorf("network: registering outputs: %w", err)
	}
	return n, nil
}
