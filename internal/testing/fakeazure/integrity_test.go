package fakeazure

import "testing"

// planReferenceExists: a subnet that does not wait for its virtual network is refused in the
// plan; the same subnet waiting for it is not.
func planReferenceExists(t *testing.T) (refused, accepted error) {
	refused = planErr(t, Options{}, resVNet, resSubnet)
	accepted = planErr(t, Options{}, resVNet, resSubnet.with("vnet"))
	return refused, accepted
}

// engineReferenceExists: a subnet created before its virtual network is refused; after it,
// accepted.
func engineReferenceExists(t *testing.T) (refused, accepted error) {
	f := newFake(t, Options{})
	_, refused = f.create(resSubnet)
	f.must(resVNet)
	_, accepted = f.create(resSubnet)
	return refused, accepted
}

// endpointIn is a private endpoint placed in a subnet.
func endpointIn(subnetID string) res {
	return res{token: tokEndpoint, name: "endpoint", in: in{"privateEndpointName": "pe-st", "resourceGroupName": "rg", "subnet": in{"id": subnetID}}}
}

// engineDeleteSubnetInUse: a subnet (or its VNet) holding a private endpoint cannot be deleted;
// once the endpoint is gone, it can.
func engineDeleteSubnetInUse(t *testing.T) (refused, accepted error) {
	f := newFake(t, Options{})
	vnet := f.must(resVNet)
	subnet := f.must(resSubnet)
	pe := f.must(endpointIn(subnet.ID))
	refused = joinRefusals(t, []string{"delete of the subnet", "delete of the VNet"}, f.delete(subnet), f.delete(vnet))
	f.mustDelete(pe)
	accepted = f.delete(subnet)
	if accepted == nil && f.c.Get(subnet.ID) != nil {
		t.Error("the subnet still exists after its delete")
	}
	return refused, accepted
}

// engineDeleteNSGInUse: an NSG associated with a subnet cannot be deleted; once the subnet no
// longer names it, it can.
func engineDeleteNSGInUse(t *testing.T) (refused, accepted error) {
	f := newFake(t, Options{})
	nsg := f.must(res{token: tokNSG, name: "nsg", in: in{"networkSecurityGroupName": "nsg-pe", "resourceGroupName": "rg"}})
	f.must(resVNet)
	withNSG := resSubnet.set(in{"networkSecurityGroup": in{"id": nsg.ID}})
	subnet := f.must(withNSG)
	refused = f.delete(nsg)
	if _, err := f.update(subnet, resSubnet); err != nil {
		t.Fatalf("setup: dissociate the NSG: %v", err)
	}
	accepted = f.delete(nsg)
	return refused, accepted
}

// engineDeleteZoneWithLinks: a private DNS zone with a virtual network link, or with the A
// records of an endpoint's zone group, cannot be deleted; once they are gone, it can.
func engineDeleteZoneWithLinks(t *testing.T) (refused, accepted error) {
	f := newFake(t, Options{})
	zone := f.must(res{token: tokZone, name: "zone", in: in{"privateZoneName": "privatelink.blob.core.windows.net", "resourceGroupName": "rg"}})
	vnet := f.must(resVNet)
	link := f.must(res{token: tokLink, name: "link", in: in{"virtualNetworkLinkName": "link-ml", "privateZoneName": "privatelink.blob.core.windows.net",
		"resourceGroupName": "rg", "virtualNetwork": in{"id": vnet.ID}, "registrationEnabled": false}})
	byLink := f.delete(zone)
	f.mustDelete(link)
	pe := f.must(res{token: tokEndpoint, name: "endpoint", in: in{"privateEndpointName": "pe-st", "resourceGroupName": "rg"}})
	group := f.must(res{token: tokZoneGroup, name: "zone-group", in: in{"privateDnsZoneGroupName": "default", "privateEndpointName": "pe-st", "resourceGroupName": "rg",
		"privateDnsZoneConfigs": []any{in{"name": "blob", "privateDnsZoneId": zone.ID}}}})
	byRecords := f.delete(zone)
	f.mustDelete(group)
	f.mustDelete(pe)
	refused = joinRefusals(t, []string{"delete with a link", "delete with a zone group's records"}, byLink, byRecords)
	accepted = f.delete(zone)
	return refused, accepted
}

// engineDeletePublicIPInUse: a public IP allocated to a NIC cannot be deleted; once the NIC is
// gone, it can.
func engineDeletePublicIPInUse(t *testing.T) (refused, accepted error) {
	f := newFake(t, Options{})
	pip := f.must(res{token: tokPIP, name: "pip", in: in{"publicIpAddressName": "pip-jump", "resourceGroupName": "rg"}})
	nic := f.must(res{token: tokNIC, name: "nic", in: in{"networkInterfaceName": "nic-jump", "resourceGroupName": "rg",
		"ipConfigurations": []any{in{"name": "ipconfig", "publicIPAddress": in{"id": pip.ID}}}}})
	refused = f.delete(pip)
	f.mustDelete(nic)
	accepted = f.delete(pip)
	return refused, accepted
}

// engineDeleteNICInUse: a NIC attached to a VM cannot be deleted; once the VM is gone, it can.
func engineDeleteNICInUse(t *testing.T) (refused, accepted error) {
	f := newFake(t, Options{})
	nic := f.must(res{token: tokNIC, name: "nic", in: in{"networkInterfaceName": "nic-jump", "resourceGroupName": "rg"}})
	vm := f.must(res{token: tokVM, name: "vm", in: in{"vmName": "vm-jump", "resourceGroupName": "rg",
		"networkProfile": in{"networkInterfaces": []any{in{"id": nic.ID}}}}})
	refused = f.delete(nic)
	f.mustDelete(vm)
	accepted = f.delete(nic)
	return refused, accepted
}
