package main

import (
	"slices"
	"sort"
	"strconv"
	"testing"

	"azure-ml-security/internal/privatelink"
	"azure-ml-security/internal/testing/fakeazure"
)

func TestNetworkHardening(t *testing.T) {
	for _, stack := range stacks {
		t.Run(stack, func(t *testing.T) {
			cloud := mustPlan(t, stack, nil)
			if cfg := loadStack(t, stack); cfg.Values[cfg.Project+":existingPrivateEndpointSubnetId"] != "" {
				checkLandingZoneNetwork(t, cloud, cfg.Values[cfg.Project+":existingPrivateEndpointSubnetId"])
				return
			}
			pe := one(t, cloud, "network:Subnet", "network-snet-private-endpoints")
			checkInput(t, pe, "privateEndpointNetworkPolicies", "Disabled")
			for _, sn := range cloud.Find("network:Subnet") {
				if _, ok := sn.Input("serviceEndpoints"); ok {
					t.Errorf("subnet %s has service endpoints; data traffic must use private endpoints", sn.Name)
				}
				if sn.Str("networkSecurityGroup.id") == "" {
					t.Errorf("subnet %s has no NSG", sn.Name)
				}
			}
			for _, nsg := range cloud.Find("network:NetworkSecurityGroup") {
				for i := 0; ; i++ {
					rule := "securityRules." + strconv.Itoa(i)
					if _, ok := nsg.Input(rule); !ok {
						break
					}
					if inboundOpenToInternet(nsg, rule) {
						t.Errorf("NSG %s rule %s admits inbound traffic from the Internet", nsg.Name, nsg.Str(rule+".name"))
					}
				}
			}
		})
	}
}

// TestPrivateEndpoints: every private endpoint targets the right resource and group and has a
// DNS zone group on exactly the zones that group needs; each zone exists and is linked to the
// VNet without auto-registration.
func TestPrivateEndpoints(t *testing.T) {
	dev := mustPlan(t, "dev", nil)
	if n := len(dev.Find("network:PrivateEndpoint")); n != 0 {
		t.Errorf("dev has %d private endpoints, want none", n)
	}
	cloud := mustPlan(t, "private", nil)
	want := map[string][2]string{ // endpoint -> target resource logical name, group
		"workspace-pe-workspace":              {"workspace-ml", privatelink.GroupWorkspace},
		"workspace-pe-workspace-storage-blob": {"workspace-storage", privatelink.GroupBlob},
		"workspace-pe-workspace-storage-file": {"workspace-storage", privatelink.GroupFile},
		"workspace-pe-workspace-vault":        {"workspace-key-vault", privatelink.GroupVault},
		"workspace-pe-workspace-registry":     {"workspace-registry", privatelink.GroupRegistry},
	}
	checkEndpoints(t, cloud, want)
}

func TestDataPrivateEndpoints(t *testing.T) {
	cloud := mustPlan(t, "private", nil)
	checkEndpoints(t, cloud, map[string][2]string{
		"datastores-pe-lake-dfs":   {"datastores-lake", privatelink.GroupDfs},
		"datastores-pe-lake-blob":  {"datastores-lake", privatelink.GroupBlob},
		"datastores-pe-blob-blob":  {"datastores-blob", privatelink.GroupBlob},
		"datastores-pe-sql-server": {"datastores-sql-server", privatelink.GroupSQLServer},
	})
	for _, acct := range []string{"datastores-lake", "datastores-blob"} {
		st := one(t, cloud, "storage:StorageAccount", acct)
		checkInput(t, st, "publicNetworkAccess", "Disabled")
		checkInput(t, st, "allowSharedKeyAccess", false)
	}
	if n := len(cloud.Find("storage:Blob")); n != 0 {
		t.Errorf("private stack uploads %d sample blobs; it has no network path for them", n)
	}
}

// checkEndpoints asserts the endpoints in want exist with their targets, groups and zones.
func checkEndpoints(t *testing.T, cloud *fakeazure.Monitor, want map[string][2]string) {
	t.Helper()
	zoneByID := map[string]*fakeazure.Resource{}
	for _, z := range cloud.Find("network:PrivateZone") {
		zoneByID[z.ID] = z
	}
	vnet := one(t, cloud, "network:VirtualNetwork", "network-vnet")
	linked := map[string]bool{}
	for _, l := range cloud.Find("network:VirtualNetworkLink") {
		if l.Str("virtualNetwork.id") == vnet.ID {
			if reg, _ := l.Bool("registrationEnabled"); reg {
				t.Errorf("zone link %s has auto-registration on", l.Name)
			}
			linked[l.Str("privateZoneName")] = true
		}
	}
	peSubnet := one(t, cloud, "network:Subnet", "network-snet-private-endpoints")
	for name, tg := range want {
		pe := one(t, cloud, "network:PrivateEndpoint", name)
		var target string
		for _, r := range cloud.Resources() {
			if r.Custom && r.Name == tg[0] && r.ID == pe.Str("privateLinkServiceConnections.0.privateLinkServiceId") {
				target = r.Name
			}
		}
		if target != tg[0] {
			t.Errorf("%s targets %q, want resource %s", name, pe.Str("privateLinkServiceConnections.0.privateLinkServiceId"), tg[0])
		}
		if got := pe.Strings("privateLinkServiceConnections.0.groupIds"); !slices.Equal(got, []string{tg[1]}) {
			t.Errorf("%s group ids = %v, want [%s]", name, got, tg[1])
		}
		if pe.Str("subnet.id") != peSubnet.ID {
			t.Errorf("%s is not in the private-endpoint subnet", name)
		}
		zg := one(t, cloud, "network:PrivateDnsZoneGroup", name+"-dns")
		if zg.Str("privateEndpointName") != pe.Str("privateEndpointName") {
			t.Errorf("zone group %s belongs to %q", zg.Name, zg.Str("privateEndpointName"))
		}
		var zones []string
		for i := 0; ; i++ {
			id := zg.Str("privateDnsZoneConfigs." + strconv.Itoa(i) + ".privateDnsZoneId")
			if id == "" {
				break
			}
			z := zoneByID[id]
			if z == nil {
				t.Errorf("%s points at a zone that is not created: %s", zg.Name, id)
				continue
			}
			zones = append(zones, z.Str("privateZoneName"))
			if !linked[z.Str("privateZoneName")] {
				t.Errorf("zone %s is not linked to the VNet", z.Str("privateZoneName"))
			}
		}
		sort.Strings(zones)
		wantZones, _ := privatelink.ZonesFor(tg[1])
		if !slices.Equal(zones, wantZones) {
			t.Errorf("%s zones = %v, want %v", name, zones, wantZones)
		}
	}
}

// checkLandingZoneNetwork: in a landing zone's network the program creates no VNet, subnet,
// NSG or DNS zone, and puts every private endpoint in the given subnet.
func checkLandingZoneNetwork(t *testing.T, cloud *fakeazure.Monitor, subnet string) {
	t.Helper()
	for _, key := range []string{"network:VirtualNetwork", "network:Subnet", "network:NetworkSecurityGroup", "network:PrivateZone", "network:VirtualNetworkLink", "network:PrivateDnsZoneGroup"} {
		if n := len(cloud.Find(key)); n != 0 {
			t.Errorf("the landing-zone stack creates %d %s", n, key)
		}
	}
	pes := cloud.Find("network:PrivateEndpoint")
	if len(pes) == 0 {
		t.Fatal("no private endpoints")
	}
	for _, pe := range pes {
		if got := pe.Str("subnet.id"); got != subnet {
			t.Errorf("%s is in subnet %s, want the landing zone's %s", pe.Name, got, subnet)
		}
	}
}
