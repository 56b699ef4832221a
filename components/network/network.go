// Package network is the customer VNet: a client subnet (jump VM), a private-endpoint subnet,
// an NSG on both, and the private DNS zones the enabled private endpoints need. In a landing
// zone it creates no VNet: it uses the given subnets, and the hub's DNS zones or Azure Policy's
// zone groups (existing.go). Its PrivateLink output is where every private endpoint of the
// program goes (internal/privatelink).
package network

import (
	"errors"
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/internal/diagnostics"
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
	// Existing, when set, are the landing zone's subnets: no VNet, subnet or NSG is created,
	// and the address prefixes above are unused.
	Existing *ExistingSubnets
	// GivenZoneIDs are existing private DNS zones (a hub's) by name: used, neither created nor
	// linked.
	GivenZoneIDs map[string]string
	// PolicyZoneGroups: Azure Policy writes the endpoints' zone groups, so no zone is created.
	PolicyZoneGroups bool
	// LogAnalyticsWorkspaceID receives the security group's diagnostics.
	LogAnalyticsWorkspaceID pulumi.StringInput
	Tags                    pulumi.StringMap
}

// ExistingSubnets are a landing zone's subnets, by ARM id.
type ExistingSubnets struct {
	ClientSubnetID          string
	PrivateEndpointSubnetID string
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
	// Zones are the private DNS zones this component created, by name (the output waits for
	// the zone's VNet link); a given or policy-managed zone is not among them.
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

	var err error
	if args.Existing != nil {
		err = n.useExisting(args)
	} else {
		err = n.create(ctx, names, args)
	}
	if err != nil {
		return nil, err
	}
	zoneIDs, zoneNames, err := newPrivateZones(ctx, names, args, n.VnetID)
	if err != nil {
		return nil, fmt.Errorf("network: private DNS zones: %w", err)
	}
	n.Zones = zoneNames
	n.PrivateLink = &privatelink.Placement{
		ResourceGroupName: args.ResourceGroupName,
		Location:          pulumi.String(args.Location),
		SubnetID:          n.PrivateEndpointSubnetID,
		ZoneIDs:           zoneIDs,
		PolicyZoneGroups:  args.PolicyZoneGroups,
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

// create makes the VNet, its subnets and the NSG with its diagnostics.
func (n *Network) create(ctx *pulumi.Context, names logical.Names, args *NetworkArgs) error {
	nsg, err := newSecurityGroup(ctx, names, args)
	if err != nil {
		return fmt.Errorf("network: security group: %w", err)
	}
	if args.LogAnalyticsWorkspaceID != nil {
		if _, err := diagnostics.Send(ctx, names.Name("nsg-diagnostics"), nsg.ID(), args.LogAnalyticsWorkspaceID,
			diagnostics.NetworkSecurityGroup, names.Parented()...); err != nil {
			return fmt.Errorf("network: security group diagnostics: %w", err)
		}
	}
	vnet, err := newVnet(ctx, names, args, nsg)
	if err != nil {
		return fmt.Errorf("network: virtual network: %w", err)
	}
	n.VnetID = vnet.vnet.ID().ToStringOutput()
	n.VnetName = vnet.vnet.Name
	n.ClientSubnetID = vnet.client.ID().ToStringOutput()
	n.PrivateEndpointSubnetID = vnet.endpoints.ID().ToStringOutput()
	return nil
}
