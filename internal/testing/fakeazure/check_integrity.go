package fakeazure

import (
	"strconv"
	"strings"
)

// Rule 4: a resource in use cannot be deleted.

var (
	ruleSubnetInUse = rule(Rule{ID: "delete-subnet-in-use", Code: "InUseSubnetCannotBeDeleted", Status: 400, Where: AtEngine,
		Source:    "https://learn.microsoft.com/azure/virtual-network/virtual-network-manage-subnet#delete-a-subnet; hashicorp/terraform-provider-azurerm#688",
		Behaviour: "a subnet (or its VNet) that holds private endpoints or NICs cannot be deleted"})
	ruleNSGInUse = rule(Rule{ID: "delete-nsg-in-use", Code: "InUseNetworkSecurityGroupCannotBeDeleted", Status: 400, Where: AtEngine,
		Source:    "pulumi/pulumi-azure-native#3051",
		Behaviour: "an NSG associated with a subnet or NIC cannot be deleted"})
	ruleZoneNested = rule(Rule{ID: "delete-zone-with-links", Code: "CannotDeleteResource", Status: 409, Where: AtEngine,
		Source:    "https://learn.microsoft.com/azure/dns/private-dns-virtual-network-links; DefangLabs/pulumi-defang#245",
		Behaviour: "a private DNS zone with virtual network links or record sets cannot be deleted"})
	rulePublicIPInUse = rule(Rule{ID: "delete-public-ip-in-use", Code: "PublicIPAddressCannotBeDeleted", Status: 400, Where: AtEngine,
		Source:    "hashicorp/terraform-provider-azurerm#2566 (aka.ms/deletepublicip)",
		Behaviour: "a public IP still allocated to a NIC cannot be deleted"})
	ruleNICInUse = rule(Rule{ID: "delete-nic-in-use", Code: "NicInUse", Status: 400, Where: AtEngine,
		Source:    "hashicorp/terraform-provider-azurerm#8105 (aka.ms/deletenic)",
		Behaviour: "a NIC attached to a VM cannot be deleted"})
)

func init() {
	addCheck(&check{rule: ruleSubnetInUse, kinds: []opKind{opDelete}, engine: true, fn: checkDeleteInUse})
}

// checkDeleteInUse refuses to delete what another resource still uses.
func checkDeleteInUse(o *op, w *world) *AzureError {
	id := o.obj.ID
	uses := func(key string, paths ...string) *Object {
		for _, x := range w.find(key, nil) {
			for _, p := range paths {
				if strings.EqualFold(x.Str(p), id) {
					return x
				}
			}
		}
		return nil
	}
	switch o.obj.Key {
	case "network:Subnet":
		if u := subnetUser(w, id); u != nil {
			return ruleSubnetInUse.errorf("Subnet %s is in use by %s and cannot be deleted. In order to delete the subnet, delete all the resources within the subnet. See aka.ms/deletesubnet.", o.obj.Name, u.ID)
		}
	case "network:VirtualNetwork":
		for _, sub := range w.find("network:Subnet", func(x *Object) bool { return strings.HasPrefix(strings.ToLower(x.ID), strings.ToLower(id)+"/") }) {
			if u := subnetUser(w, sub.ID); u != nil {
				return ruleSubnetInUse.errorf("Subnet %s is in use by %s and cannot be deleted. In order to delete the subnet, delete all the resources within the subnet. See aka.ms/deletesubnet.", sub.Name, u.ID)
			}
		}
	case "network:NetworkSecurityGroup":
		if u := uses("network:Subnet", "networkSecurityGroup.id"); u != nil {
			return ruleNSGInUse.errorf("Network security group %s cannot be deleted because it is in use by the following resources: %s. In order to delete the Network security group, remove the association with the resource(s).", id, u.ID)
		}
	case "network:PrivateZone":
		for _, key := range []string{"network:VirtualNetworkLink", "network:PrivateRecordSet"} {
			for _, x := range w.find(key, func(x *Object) bool { return strings.HasPrefix(strings.ToLower(x.ID), strings.ToLower(id)+"/") }) {
				return ruleZoneNested.errorf("Cannot delete resource while nested resources exist. Some existing nested resource IDs include: '%s'. Please delete all nested resources before deleting this resource.", x.ID)
			}
		}
		for _, zg := range w.find("network:PrivateDnsZoneGroup", nil) {
			for i := 0; ; i++ {
				z := zg.Str(path("privateDnsZoneConfigs", i, "privateDnsZoneId"))
				if z == "" {
					break
				}
				if strings.EqualFold(z, id) {
					return ruleZoneNested.errorf("Cannot delete resource while nested resources exist. Some existing nested resource IDs include: the A records of '%s'. Please delete all nested resources before deleting this resource.", zg.ID)
				}
			}
		}
	case "network:PublicIPAddress":
		if u := uses("network:NetworkInterface", "ipConfigurations.0.publicIPAddress.id"); u != nil {
			return rulePublicIPInUse.errorf("Public IP address %s can not be deleted since it is still allocated to resource %s. In order to delete the public IP, disassociate/detach the Public IP address from the resource.  To learn how to do this, see aka.ms/deletepublicip.", id, u.ID)
		}
	case "network:NetworkInterface":
		if u := uses("compute:VirtualMachine", "networkProfile.networkInterfaces.0.id"); u != nil {
			return ruleNICInUse.errorf("Network Interface %s is used by existing resource %s. In order to delete the network interface, it must be dissociated from the resource. To learn more, see aka.ms/deletenic.", id, u.ID)
		}
	}
	return nil
}

// subnetUser returns a resource placed in the subnet, or nil.
func subnetUser(w *world, subnetID string) *Object {
	for _, x := range w.objects {
		switch x.Key {
		case "network:PrivateEndpoint":
			if strings.EqualFold(x.Str("subnet.id"), subnetID) {
				return x
			}
		case "network:NetworkInterface":
			if strings.EqualFold(x.Str("ipConfigurations.0.subnet.id"), subnetID) {
				return x
			}
		}
	}
	return nil
}

func path(parts ...any) string {
	var b strings.Builder
	for i, p := range parts {
		if i > 0 {
			b.WriteByte('.')
		}
		switch v := p.(type) {
		case string:
			b.WriteString(v)
		case int:
			b.WriteString(strconv.Itoa(v))
		}
	}
	return b.String()
}
