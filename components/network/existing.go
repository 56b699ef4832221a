package network

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// useExisting takes a landing zone's subnets instead of creating a VNet. The platform team
// owns the VNet, its NSGs, route tables and peering; the private-endpoint subnet must allow
// private endpoints (its private-endpoint network policies, which the platform sets). The VNet
// is the private-endpoint subnet's parent: created zones are linked to it.
func (n *Network) useExisting(args *NetworkArgs) error {
	e := args.Existing
	vnetID, _, ok := strings.Cut(e.PrivateEndpointSubnetID, "/subnets/")
	if !ok || e.ClientSubnetID == "" {
		return fmt.Errorf("network: existing subnets: %q is not a subnet id, or the client subnet is missing", e.PrivateEndpointSubnetID)
	}
	n.VnetID = pulumi.String(vnetID).ToStringOutput()
	n.VnetName = pulumi.String(vnetID[strings.LastIndex(vnetID, "/")+1:]).ToStringOutput()
	n.ClientSubnetID = pulumi.String(e.ClientSubnetID).ToStringOutput()
	n.PrivateEndpointSubnetID = pulumi.String(e.PrivateEndpointSubnetID).ToStringOutput()
	return nil
}
