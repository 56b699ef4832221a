package main

import (
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"azure-ml-security/internal/testing/fakeazure"
)

// TestStackSwitchUpdatesInPlace plans dev, switches it to private (and toggles compute) and
// checks that no resource present in both plans changes a replacement key (azure-native
// replaces a resource when a URL path parameter of its REST API changes, and a replaced
// workspace, storage account, key vault, registry or SQL server loses its data), and that no
// update is one Azure refuses in place (fakeazure.UpdateRefusal) unless the resource replaces
// itself on that change.
func TestStackSwitchUpdatesInPlace(t *testing.T) {
	switches := []struct {
		name    string
		from    map[string]any
		to      map[string]any
		changed []string // stateful resources whose inputs must change (so the test is not vacuous)
	}{
		{"dev to private", nil, map[string]any{"privateWorkspace": true, "createJumpVm": true, "uploadSampleData": false},
			[]string{"workspace-ml", "workspace-storage", "workspace-key-vault", "workspace-registry", "datastores-lake", "datastores-blob", "datastores-sql-server"}},
		{"compute off and on", map[string]any{"createComputeInstance": false}, nil, nil},
		{"private to dev", map[string]any{"privateWorkspace": true, "createJumpVm": true, "uploadSampleData": false}, nil,
			[]string{"workspace-ml", "workspace-storage", "workspace-key-vault", "workspace-registry", "datastores-lake", "datastores-blob", "datastores-sql-server"}},
	}
	stateful := []string{"machinelearningservices:Workspace", "storage:StorageAccount", "keyvault:Vault",
		"containerregistry:Registry", "sql:Server", "sql:Database", "resources:ResourceGroup", "managedidentity:UserAssignedIdentity"}
	for _, sw := range switches {
		t.Run(sw.name, func(t *testing.T) {
			a, b := mustPlan(t, "dev", sw.from), mustPlan(t, "dev", sw.to)
			checked := 0
			for _, ra := range a.Resources() {
				rb := b.ByURN(ra.URN)
				if rb == nil || !ra.Custom {
					continue
				}
				for _, key := range fakeazure.ReplaceKeys(ra.Type) {
					va, vb := fakeazure.Plain(ra.Inputs[resource.PropertyKey(key)]), fakeazure.Plain(rb.Inputs[resource.PropertyKey(key)])
					if va != vb {
						t.Errorf("%s %s: replacement key %s changes %v -> %v (the resource would be replaced)", ra.Key(), ra.Name, key, va, vb)
					}
				}
				if path, refusal := fakeazure.UpdateRefusal(ra.Object(), rb.Object()); refusal != nil && !slices.Contains(rb.ReplaceOnChanges, strings.Split(path, ".")[0]) {
					t.Errorf("%s %s: %v", ra.Key(), ra.Name, refusal)
				}
				if ra.Type == "random:index/randomString:RandomString" && !ra.Inputs.DeepEquals(rb.Inputs) {
					t.Error("the name suffix's inputs change: every name would change")
				}
				checked++
			}
			for _, key := range stateful {
				for _, r := range a.Find(key) {
					if b.ByURN(r.URN) == nil {
						t.Errorf("stateful %s %s disappears in the switch", key, r.Name)
					}
				}
			}
			for _, name := range sw.changed {
				var ra *fakeazure.Resource
				for _, r := range a.Resources() {
					if r.Custom && r.Name == name && slices.Contains(stateful, r.Key()) {
						ra = r
					}
				}
				if ra == nil {
					t.Errorf("no stateful resource %s", name)
					continue
				}
				if rb := b.ByURN(ra.URN); rb != nil && ra.Inputs.DeepEquals(rb.Inputs) {
					t.Errorf("%s does not change in the switch; the test would not notice a replacement", name)
				}
			}
			if checked < 20 {
				t.Errorf("only %d resources compared", checked)
			}
		})
	}
}

// TestComputeToggle: turning the instance off deletes exactly the instance.
func TestComputeToggle(t *testing.T) {
	on := mustPlan(t, "dev", nil)
	off := mustPlan(t, "dev", map[string]any{"createComputeInstance": false})
	gone := diffURNs(on, off)
	want := []string{"compute-instance", "compute-instance-identity", "compute-instance-identity-blob-blob-data-reader",
		"compute-instance-identity-lake-blob-data-reader", "compute-instance-identity-workspace-contributor"}
	if !slices.Equal(gone, want) {
		t.Errorf("turning the compute instance off removes %v, want %v", gone, want)
	}
	// U5: without the instance, a cluster builds the images.
	if extra := diffURNs(off, on); !slices.Equal(extra, []string{"compute-build-cluster"}) {
		t.Errorf("turning the compute instance off adds %v, want the image-build cluster", extra)
	}
}

// TestSQLToggleOff removes the server, database, firewall rules, outbound rule, auditing,
// diagnostics, connection and private endpoint, and nothing else of the data.
func TestSQLToggleOff(t *testing.T) {
	for _, stack := range stacks {
		t.Run(stack, func(t *testing.T) {
			on := mustPlan(t, stack, nil)
			off := mustPlan(t, stack, map[string]any{"createSqlDatabase": false})
			var gone []string
			offURNs := map[string]bool{}
			for _, r := range off.Resources() {
				offURNs[r.URN] = true
			}
			for _, r := range on.Resources() {
				if !offURNs[r.URN] {
					gone = append(gone, r.Type+"::"+r.Name)
				}
			}
			want := []string{
				"azure-native:machinelearningservices/v20241001:ManagedNetworkSettingsRule::datastores-outbound-sql-server",
				"azure-native:machinelearningservices/v20241001:WorkspaceConnection::datastores-connection-sqldb",
				"azure-native:sql:Database::datastores-sql-database",
				"azure-native:sql:Server::datastores-sql-server",
				"azure-native:insights:DiagnosticSetting::datastores-sql-database-diagnostics",
				"azure-native:insights:DiagnosticSetting::datastores-sql-audit-diagnostics",
				"azure-native:sql:ExtendedServerBlobAuditingPolicy::datastores-sql-auditing",
				"azure-native:sql:ServerSecurityAlertPolicy::datastores-sql-threat-detection",
				"random:index/randomPassword:RandomPassword::datastores-sql-admin-password",
			}
			if cfg := loadStack(t, stack); cfg.Values[cfg.Project+":privateDnsZoneGroups"] == "none" {
				// Azure Policy writes the zone group; the hub owns the zone.
				want = append(want, "azure-native:network:PrivateEndpoint::datastores-pe-sql-server")
			} else if isPrivate(stack) {
				want = append(want,
					"azure-native:network:PrivateDnsZoneGroup::datastores-pe-sql-server-dns",
					"azure-native:network:PrivateEndpoint::datastores-pe-sql-server",
					"azure-native:network:PrivateZone::network-privatelink.database.windows.net",
					"azure-native:network:VirtualNetworkLink::network-privatelink.database.windows.net-link")
			} else {
				want = append(want, "azure-native:sql:FirewallRule::datastores-sql-allowed-ip-0")
			}
			slices.Sort(want)
			slices.Sort(gone)
			if !slices.Equal(gone, want) {
				t.Errorf("turning SQL off removes\n  %v\nwant\n  %v", gone, want)
			}
			if len(off.Resources()) != len(on.Resources())-len(want) {
				t.Errorf("turning SQL off also adds resources: %d -> %d", len(on.Resources()), len(off.Resources()))
			}
		})
	}
}
