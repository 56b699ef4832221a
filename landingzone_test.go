package main

import (
	"slices"
	"testing"

	"azure-ml-security/internal/rbac"
	"azure-ml-security/internal/settings"
)

// dataHolders are the resources protectData protects: what holds data or keys.
var dataHolders = [][2]string{
	{"machinelearningservices:Workspace", "workspace-ml"},
	{"storage:StorageAccount", "workspace-storage"},
	{"keyvault:Vault", "workspace-key-vault"},
	{"storage:StorageAccount", "datastores-lake"},
	{"storage:StorageAccount", "datastores-blob"},
	{"sql:Server", "datastores-sql-server"},
	{"sql:Database", "datastores-sql-database"},
}

// TestProtectData: protectData protects exactly the resources that hold data, and nothing
// when off.
func TestProtectData(t *testing.T) {
	for _, on := range []bool{true, false} {
		cloud := mustPlan(t, "dev", map[string]any{"protectData": on})
		want := map[string]bool{}
		for _, d := range dataHolders {
			want[one(t, cloud, d[0], d[1]).URN] = on
		}
		for _, r := range cloud.Resources() {
			if r.Protect != want[r.URN] {
				t.Errorf("protectData %v: %s protect = %v", on, r.Name, r.Protect)
			}
		}
	}
}

// TestEgressRules: profiles and explicit FQDNs become one FQDN rule each (sorted, no
// duplicates), service tags one ServiceTag rule each (internal/stack's tests check the
// firewall output they bring).
func TestEgressRules(t *testing.T) {
	cloud := mustPlan(t, "dev", map[string]any{
		"outboundProfiles":        []any{"pypi", "docker"},
		"outboundFqdnRules":       []any{"pypi.org", "github.com"},
		"outboundServiceTagRules": []any{map[string]any{"serviceTag": "DataFactory", "protocol": "TCP", "portRanges": 443}},
	})
	var fqdns, tags []string
	for _, r := range cloud.Find("machinelearningservices:ManagedNetworkSettingsRule") {
		switch r.Str("properties.type") {
		case "FQDN":
			fqdns = append(fqdns, r.Str("properties.destination"))
		case "ServiceTag":
			tags = append(tags, r.Str("properties.destination.serviceTag")+" "+r.Str("properties.destination.protocol")+"/"+r.Str("properties.destination.portRanges"))
		}
	}
	want := append(append([]string{}, settings.OutboundProfiles["docker"].FQDNs...), "pypi.org", "*.pythonhosted.org", "github.com")
	slices.Sort(want)
	slices.Sort(fqdns)
	if !slices.Equal(fqdns, want) {
		t.Errorf("FQDN rules %v, want %v", fqdns, want)
	}
	if !slices.Equal(tags, []string{"DataFactory TCP/443"}) {
		t.Errorf("service-tag rules %v", tags)
	}
}

// TestWorkspaceUsers: each workspace user gets AzureML Data Scientist on the workspace and the
// data roles on the workspace storage and the datastores, with its own principal type.
func TestWorkspaceUsers(t *testing.T) {
	cloud := mustPlan(t, "dev", map[string]any{"workspaceUsers": []any{
		map[string]any{"objectId": testUser, "type": "User"},
		map[string]any{"objectId": testGroup, "type": "Group"},
	}})
	ws := one(t, cloud, "machinelearningservices:Workspace", "workspace-ml")
	storage := one(t, cloud, "storage:StorageAccount", "workspace-storage")
	for _, u := range []struct{ id, typ string }{{testUser, "User"}, {testGroup, "Group"}} {
		for _, g := range []struct {
			scope string
			role  rbac.Role
		}{
			{ws.ID, rbac.AzureMLDataScientist},
			{storage.ID, rbac.StorageBlobDataContributor},
			{storage.ID, rbac.StorageFileDataPrivilegedContributor},
			{one(t, cloud, "storage:StorageAccount", "datastores-lake").ID, rbac.StorageBlobDataReader},
			{one(t, cloud, "storage:StorageAccount", "datastores-blob").ID, rbac.StorageBlobDataReader},
		} {
			ra := grantOn(cloud, g.scope, g.role, u.id)
			if ra == nil {
				t.Errorf("%s %s lacks %s on %s", u.typ, u.id, rbac.Short(g.role), g.scope)
			} else if ra.Str("principalType") != u.typ {
				t.Errorf("%s's grant has principalType %s", u.id, ra.Str("principalType"))
			}
		}
	}
}

// TestPrivateMonitoring: in the private stack Log Analytics and Application Insights are in a
// Private Link Scope reached through an endpoint, the managed network has an approved endpoint
// to it, and the workspace identity can approve it; off, none of that exists and both keep
// their public ingestion.
func TestPrivateMonitoring(t *testing.T) {
	cloud := mustPlan(t, "private", nil)
	scope := one(t, cloud, "insights:PrivateLinkScope", "workspace-monitor-scope")
	rule := one(t, cloud, "machinelearningservices:ManagedNetworkSettingsRule", "workspace-outbound-monitor")
	if rule.Str("properties.destination.serviceResourceId") != scope.ID || rule.Str("properties.destination.subresourceTarget") != "azuremonitor" {
		t.Errorf("the managed network's monitor rule points at %s", rule.Str("properties.destination.serviceResourceId"))
	}
	grant := grantOn(cloud, scope.ID, rbac.Contributor, identityPrincipal(t, cloud))
	if grant == nil || !waitsFor(rule, grant) {
		t.Error("the monitor rule does not wait for a grant that lets the workspace identity approve it")
	}
	off := mustPlan(t, "private", map[string]any{"privateMonitoring": false})
	if n := len(off.Find("insights:PrivateLinkScope")); n != 0 {
		t.Errorf("privateMonitoring false still makes %d scopes", n)
	}
	if got := one(t, off, "operationalinsights:Workspace", "log-analytics").Str("publicNetworkAccessForIngestion"); got != "Enabled" {
		t.Errorf("privateMonitoring false: Log Analytics ingestion %s", got)
	}
}
