package main

import (
	"slices"
	"sort"
	"strings"
	"testing"

	"azure-ml-security/internal/mockcloud"
	"azure-ml-security/internal/privatelink"
	"azure-ml-security/internal/rbac"
)

func isPrivate(stack string) bool { return stack == "private" }

func TestWorkspaceInputs(t *testing.T) {
	for _, stack := range stacks {
		t.Run(stack, func(t *testing.T) {
			cloud := mustPlan(t, stack, nil)
			ws := one(t, cloud, "machinelearningservices:Workspace", "workspace")
			id := one(t, cloud, "managedidentity:UserAssignedIdentity", "identity")
			if got := ws.Str("identity.type"); got != "UserAssigned" {
				t.Errorf("identity.type = %q", got)
			}
			if got := ws.Strings("identity.userAssignedIdentities"); !slices.Equal(got, []string{id.ID}) {
				t.Errorf("userAssignedIdentities = %v, want [%s]", got, id.ID)
			}
			if got := ws.Str("primaryUserAssignedIdentity"); got != id.ID {
				t.Errorf("primaryUserAssignedIdentity = %q, want %q", got, id.ID)
			}
			if got := ws.Str("managedNetwork.isolationMode"); got != "AllowOnlyApprovedOutbound" {
				t.Errorf("isolationMode = %q", got)
			}
			if got := ws.Str("managedNetwork.firewallSku"); got != "Basic" {
				t.Errorf("firewallSku = %q", got)
			}
			if _, ok := ws.Input("managedNetwork.outboundRules"); ok {
				t.Error("outbound rules must not be inline: they are ManagedNetworkSettingsRule resources (azure-native #3225)")
			}
			if v, _ := ws.Bool("provisionNetworkNow"); !v {
				t.Error("provisionNetworkNow is not true")
			}
			if got := ws.Str("systemDatastoresAuthMode"); got != "Identity" {
				t.Errorf("systemDatastoresAuthMode = %q, want the enum value Identity", got)
			}
			for key, dep := range map[string]string{
				"storageAccount":      one(t, cloud, "storage:StorageAccount", "storage").ID,
				"keyVault":            one(t, cloud, "keyvault:Vault", "key-vault").ID,
				"containerRegistry":   one(t, cloud, "containerregistry:Registry", "registry").ID,
				"applicationInsights": one(t, cloud, "insights:Component", "app-insights").ID,
			} {
				if got := ws.Str(key); got != dep {
					t.Errorf("%s = %q, want %q", key, got, dep)
				}
			}
			if isPrivate(stack) {
				if got := ws.Str("publicNetworkAccess"); got != "Disabled" {
					t.Errorf("publicNetworkAccess = %q, want Disabled", got)
				}
				if _, ok := ws.Input("networkAcls"); ok {
					t.Error("a private workspace has no IP rules to apply")
				}
			} else {
				if got := ws.Str("publicNetworkAccess"); got != "Enabled" {
					t.Errorf("publicNetworkAccess = %q, want Enabled", got)
				}
				if got := ws.Str("networkAcls.defaultAction"); got != "Deny" {
					t.Errorf("networkAcls.defaultAction = %q, want Deny", got)
				}
				if got := ws.Str("networkAcls.ipRules.0.value"); got != "203.0.113.10" {
					t.Errorf("networkAcls.ipRules = %q, want the dev stack's allowed address", got)
				}
			}
			diag := one(t, cloud, "insights:DiagnosticSetting", "workspace-diagnostics")
			if diag.Str("resourceUri") != ws.ID || diag.Str("workspaceId") != one(t, cloud, "operationalinsights:Workspace", "logs").ID {
				t.Error("workspace diagnostics do not go from the workspace to Log Analytics")
			}
			ai := one(t, cloud, "insights:Component", "app-insights")
			if ai.Str("workspaceResourceId") == "" || ai.Str("ingestionMode") != "LogAnalytics" {
				t.Error("Application Insights is not workspace-based")
			}
		})
	}
}

// TestIdentityGrantsBeforeWorkspace: the identity holds every role the workspace needs, on
// the right scope, and the workspace waits for all of them.
func TestIdentityGrantsBeforeWorkspace(t *testing.T) {
	cloud := mustPlan(t, "dev", nil)
	id := one(t, cloud, "managedidentity:UserAssignedIdentity", "identity")
	principal := id.Outputs["principalId"].StringValue()
	ws := one(t, cloud, "machinelearningservices:Workspace", "workspace")
	storage := one(t, cloud, "storage:StorageAccount", "storage").ID
	vault := one(t, cloud, "keyvault:Vault", "key-vault").ID
	want := map[string]bool{
		storage + " " + string(rbac.Contributor):                                                    true,
		storage + " " + string(rbac.StorageBlobDataContributor):                                     true,
		storage + " " + string(rbac.StorageFileDataPrivilegedContributor):                           true,
		vault + " " + string(rbac.Contributor):                                                      true,
		vault + " " + string(rbac.KeyVaultAdministrator):                                            true,
		one(t, cloud, "containerregistry:Registry", "registry").ID + " " + string(rbac.Contributor): true,
		one(t, cloud, "insights:Component", "app-insights").ID + " " + string(rbac.Contributor):     true,
	}
	for _, ra := range cloud.Find("authorization:RoleAssignment") {
		if ra.Str("principalId") != principal || mockcloud.Short(ra.Parent) != "azure-ml-security:components:Workspace::workspace" {
			continue
		}
		def := ra.Str("roleDefinitionId")
		key := ra.Str("scope") + " " + def[strings.LastIndex(def, "/")+1:]
		if !want[key] {
			t.Errorf("unexpected grant to the workspace identity: %s", key)
			continue
		}
		delete(want, key)
		if ra.Str("principalType") != "ServicePrincipal" {
			t.Errorf("grant %s has principalType %q", ra.Name, ra.Str("principalType"))
		}
		if !slices.Contains(ws.Dependencies, ra.URN) {
			t.Errorf("the workspace does not wait for grant %s", ra.Name)
		}
	}
	for k := range want {
		t.Errorf("missing grant to the workspace identity: %s", k)
	}
}

func TestWorkspaceDependenciesHardened(t *testing.T) {
	for _, stack := range stacks {
		t.Run(stack, func(t *testing.T) {
			cloud := mustPlan(t, stack, nil)
			public := "Enabled"
			if isPrivate(stack) {
				public = "Disabled"
			}
			st := one(t, cloud, "storage:StorageAccount", "storage")
			for path, want := range map[string]any{
				"kind": "StorageV2", "minimumTlsVersion": "TLS1_2", "enableHttpsTrafficOnly": true,
				"allowBlobPublicAccess": false, "allowSharedKeyAccess": false,
				"networkRuleSet.defaultAction": "Deny", "publicNetworkAccess": public,
			} {
				checkInput(t, st, path, want)
			}
			kv := one(t, cloud, "keyvault:Vault", "key-vault")
			for path, want := range map[string]any{
				"properties.enableRbacAuthorization": true, "properties.enableSoftDelete": true,
				"properties.enablePurgeProtection": true, "properties.networkAcls.defaultAction": "Deny",
				"properties.publicNetworkAccess": public,
			} {
				checkInput(t, kv, path, want)
			}
			cr := one(t, cloud, "containerregistry:Registry", "registry")
			for path, want := range map[string]any{
				"sku.name": "Premium", "adminUserEnabled": false, "anonymousPullEnabled": false,
				"networkRuleSet.defaultAction": "Deny", "publicNetworkAccess": public,
			} {
				checkInput(t, cr, path, want)
			}
		})
	}
}

func checkInput(t *testing.T, r *mockcloud.Resource, path string, want any) {
	t.Helper()
	v, ok := r.Input(path)
	if !ok {
		t.Errorf("%s %s: %s is not set, want %v", r.Key(), r.Name, path, want)
		return
	}
	if got := mockcloud.Plain(v); got != want {
		t.Errorf("%s %s: %s = %v, want %v", r.Key(), r.Name, path, got, want)
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
		"pe-workspace":              {"workspace", privatelink.GroupWorkspace},
		"pe-workspace-storage-blob": {"storage", privatelink.GroupBlob},
		"pe-workspace-storage-file": {"storage", privatelink.GroupFile},
		"pe-workspace-vault":        {"key-vault", privatelink.GroupVault},
		"pe-workspace-registry":     {"registry", privatelink.GroupRegistry},
	}
	checkEndpoints(t, cloud, want)
}

// checkEndpoints asserts the endpoints in want exist with their targets, groups and zones.
func checkEndpoints(t *testing.T, cloud *mockcloud.Cloud, want map[string][2]string) {
	t.Helper()
	zoneByID := map[string]*mockcloud.Resource{}
	for _, z := range cloud.Find("network:PrivateZone") {
		zoneByID[z.ID] = z
	}
	vnet := one(t, cloud, "network:VirtualNetwork", "vnet")
	linked := map[string]bool{}
	for _, l := range cloud.Find("network:VirtualNetworkLink") {
		if l.Str("virtualNetwork.id") == vnet.ID {
			if reg, _ := l.Bool("registrationEnabled"); reg {
				t.Errorf("zone link %s has auto-registration on", l.Name)
			}
			linked[l.Str("privateZoneName")] = true
		}
	}
	peSubnet := one(t, cloud, "network:Subnet", "snet-private-endpoints")
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
		if zg.Str("privateEndpointName") != name {
			t.Errorf("zone group %s belongs to %q", zg.Name, zg.Str("privateEndpointName"))
		}
		var zones []string
		for i := 0; ; i++ {
			id := zg.Str("privateDnsZoneConfigs." + itoa(i) + ".privateDnsZoneId")
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

func TestNetworkHardening(t *testing.T) {
	for _, stack := range stacks {
		t.Run(stack, func(t *testing.T) {
			cloud := mustPlan(t, stack, nil)
			pe := one(t, cloud, "network:Subnet", "snet-private-endpoints")
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
					rule := "securityRules." + itoa(i)
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

// inboundOpenToInternet reports whether an NSG rule allows inbound traffic from any source.
func inboundOpenToInternet(nsg *mockcloud.Resource, rule string) bool {
	if nsg.Str(rule+".direction") != "Inbound" || nsg.Str(rule+".access") != "Allow" {
		return false
	}
	sources := append(nsg.Strings(rule+".sourceAddressPrefixes"), nsg.Str(rule+".sourceAddressPrefix"))
	for _, s := range sources {
		switch strings.ToLower(s) {
		case "*", "internet", "0.0.0.0/0", "any":
			return true
		}
	}
	return false
}
