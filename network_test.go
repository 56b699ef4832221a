package main

import (
	"encoding/json"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"
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

// TestHubZonesWithProgramZoneGroups: in a landing zone whose hub holds some of the private DNS
// zones and whose zone groups the program writes (privateDnsZoneGroups: create), the zone
// groups point at the hub's zones, which are neither created nor linked; the zones the hub
// lacks are created and linked to the landing zone's VNet (the parent of the given
// private-endpoint subnet); the jump VM sits in the given client subnet.
func TestHubZonesWithProgramZoneGroups(t *testing.T) {
	lz := loadStack(t, "landingzone")
	value := func(key string) string { return lz.Values[lz.Project+":"+key] }
	var all map[string]string
	if err := json.Unmarshal([]byte(value("privateDnsZoneIds")), &all); err != nil {
		t.Fatal(err)
	}
	hub := map[string]any{}
	for _, z := range []string{"privatelink.api.azureml.ms", "privatelink.notebooks.azure.net", "privatelink.blob.core.windows.net"} {
		hub[z] = all[z]
	}
	clientSubnet, peSubnet := value("existingClientSubnetId"), value("existingPrivateEndpointSubnetId")
	vnet, _, _ := strings.Cut(peSubnet, "/subnets/")
	cloud := mustPlan(t, "landingzone", map[string]any{
		"privateDnsZoneGroups": "create",
		"privateDnsZoneIds":    hub,
		"createJumpVm":         true,
		"allowedIpAddresses":   []any{"1.2.3.4"},
	})

	created := map[string]string{} // zone id -> name
	for _, z := range cloud.Find("network:PrivateZone") {
		name := z.Str("privateZoneName")
		if _, inHub := hub[name]; inHub {
			t.Errorf("zone %s is created although the hub has it", name)
		}
		created[z.ID] = name
	}
	if len(created) == 0 {
		t.Fatal("no zone is created for the endpoints whose zones the hub lacks")
	}
	linked := map[string]bool{}
	for _, l := range cloud.Find("network:VirtualNetworkLink") {
		if _, inHub := hub[l.Str("privateZoneName")]; inHub {
			t.Errorf("hub zone %s is linked by the program", l.Str("privateZoneName"))
		}
		if got := l.Str("virtualNetwork.id"); got != vnet {
			t.Errorf("zone %s is linked to %q, want the landing zone's VNet %s", l.Str("privateZoneName"), got, vnet)
		}
		linked[l.Str("privateZoneName")] = true
	}
	used := map[string]bool{}
	for _, zg := range cloud.Find("network:PrivateDnsZoneGroup") {
		for i := 0; ; i++ {
			id := zg.Str("privateDnsZoneConfigs." + strconv.Itoa(i) + ".privateDnsZoneId")
			if id == "" {
				break
			}
			used[id] = true
			if name, ok := created[id]; ok && !linked[name] {
				t.Errorf("%s uses zone %s, which is not linked to the VNet", zg.Name, name)
			}
			if _, ok := created[id]; !ok && !slices.Contains(slices.Collect(maps.Values(hub)), any(id)) {
				t.Errorf("%s points at %s, neither a created zone nor a hub zone", zg.Name, id)
			}
		}
	}
	for z, id := range hub {
		if !used[id.(string)] {
			t.Errorf("no zone group uses the hub's %s", z)
		}
	}
	for id, name := range created {
		if !used[id] {
			t.Errorf("zone %s is created but no zone group uses it", name)
		}
	}
	if got := one(t, cloud, "network:NetworkInterface", "compute-jump-vm-nic").Str("ipConfigurations.0.subnet.id"); got != clientSubnet {
		t.Errorf("the jump VM's NIC is in subnet %q, want the landing zone's client subnet %s", got, clientSubnet)
	}
	for _, pe := range cloud.Find("network:PrivateEndpoint") {
		if got := pe.Str("subnet.id"); got != peSubnet {
			t.Errorf("%s is in subnet %s, want the landing zone's %s", pe.Name, got, peSubnet)
		}
	}
}
