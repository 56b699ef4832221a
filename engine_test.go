package main

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"

	"azure-ml-security/internal/rbac"
	"azure-ml-security/internal/testing/offline"
	"azure-ml-security/internal/testing/stackconfig"
	"azure-ml-security/internal/verifyspec"
)

// TestEngineLifecycle runs each stack through the real engine against the fake Azure:
// preview, up, a no-op up, the privateWorkspace switch and the compute toggle as in-place
// changes, and destroy, asserting on the engine's own operations, the exported state and what
// is left in the fake cloud.
func TestEngineLifecycle(t *testing.T) {
	if testing.Short() {
		t.Skip("engine lifecycle skipped in -short mode")
	}
	ctx := context.Background()
	switches := map[string]map[string]string{
		"dev":     {"privateWorkspace": "true", "createJumpVm": "true", "uploadSampleData": "false"},
		"private": {"privateWorkspace": "false", "createJumpVm": "false"},
	}
	t.Parallel()
	for _, name := range stacks {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			env := offlineEnv(t, strictCloud(t, name))
			st := selectStack(t, env, name)

			var created int
			var vaultName any // the first up's key vault, soft-deleted by destroy
			step(t, "preview", func() {
				o := watch()
				res, err := st.Preview(ctx, optpreview.EventStreams(o.ch))
				if err != nil {
					t.Fatalf("preview: %v", err)
				}
				c := counts(o.wait())
				created = c["create"]
				if created < 40 || len(c) != 1 {
					t.Fatalf("preview plans %v, want only creates", c)
				}
				if res.ChangeSummary["create"] != created+1 { // + the stack
					t.Errorf("engine summary %v disagrees with the %d creates seen", res.ChangeSummary, created)
				}
			})

			step(t, "up", func() {
				o := watch()
				res, err := st.Up(ctx, optup.EventStreams(o.ch))
				if err != nil {
					t.Fatalf("up: %v", err)
				}
				o.wait()
				if got := (*res.Summary.ResourceChanges)["create"]; got != created+1 {
					t.Errorf("up created %d, preview planned %d (+ stack)", got, created)
				}
				checkOutputs(t, name, res.Outputs)
				checkComponentOutputs(t, name, stateResources(t, st))
				checkGrantWait(t, env.Cloud, name)
				vaultName = res.Outputs["keyVaultName"].Value
			})

			step(t, "up again (no changes)", func() {
				o := watch()
				res, err := st.Up(ctx, optup.EventStreams(o.ch))
				if err != nil {
					t.Fatalf("second up: %v", err)
				}
				byURN := o.wait()
				for op := range counts(byURN) {
					if op != "same" {
						t.Errorf("second up is not a no-op: %s %v", op, urnsWith(byURN, op))
					}
				}
				if rc := *res.Summary.ResourceChanges; len(rc) != 1 || rc["same"] == 0 {
					t.Errorf("second up changes %v", rc)
				}
			})

			step(t, "landing-zone options on, then off", func() {
				if name == "dev" {
					return // the private stacks switch the same options and more
				}
				for _, phase := range []string{"on", "off"} {
					for k, v := range landingZoneToggles(loadStack(t, name), name)[phase] {
						setConfigJSON(t, st, k, v)
					}
					o := watch()
					if _, err := st.Up(ctx, optup.EventStreams(o.ch)); err != nil {
						t.Fatalf("up with the landing-zone options %s: %v", phase, err)
					}
					byURN := o.wait()
					for urn, op := range byURN {
						if offline.IsReplacement(op) || (stateful(urn) && op != "same" && op != "update") {
							t.Errorf("landing-zone options %s: %s %s", phase, op, urn)
						}
					}
					// The options take effect: switching them creates outbound rules and grants,
					// switching back deletes them.
					want := map[string]string{"on": "create", "off": "delete"}[phase]
					for _, typ := range []string{":ManagedNetworkSettingsRule::", ":authorization:RoleAssignment::"} {
						if !slices.ContainsFunc(slices.Collect(maps.Keys(byURN)), func(urn string) bool { return strings.Contains(urn, typ) && byURN[urn] == want }) {
							t.Errorf("landing-zone options %s: no %s %s: %v", phase, strings.Trim(typ, ":"), want, counts(byURN))
						}
					}
					t.Logf("landing-zone options %s: %v", phase, counts(byURN))
				}
			})

			step(t, "switch privateWorkspace", func() {
				if switches[name] == nil {
					return // the landing zone's workspace is private by design
				}
				for k, v := range switches[name] {
					if err := st.SetConfig(ctx, "azure-ml-security:"+k, auto.ConfigValue{Value: v}); err != nil {
						t.Fatal(err)
					}
				}
				o := watch()
				if _, err := st.Up(ctx, optup.EventStreams(o.ch)); err != nil {
					t.Fatalf("up after switching: %v", err)
				}
				byURN := o.wait()
				updated := 0
				for urn, op := range byURN {
					if offline.IsReplacement(op) {
						t.Errorf("switching replaces %s (%s)", urn, op)
					}
					if stateful(urn) && op == "update" {
						updated++
					}
				}
				if updated < 5 {
					t.Errorf("only %d stateful resources updated by the switch: %v", updated, counts(byURN))
				}
				t.Logf("switch: %v", counts(byURN))
			})

			step(t, "compute instance off, then on", func() {
				if name == "landingzone" {
					return // the same components as in the other stacks
				}
				for _, on := range []string{"false", "true"} {
					if err := st.SetConfig(ctx, "azure-ml-security:createComputeInstance", auto.ConfigValue{Value: on}); err != nil {
						t.Fatal(err)
					}
					o := watch()
					if _, err := st.Up(ctx, optup.EventStreams(o.ch)); err != nil {
						t.Fatalf("up with createComputeInstance=%s: %v", on, err)
					}
					c := counts(o.wait())
					// The instance, its identity and that identity's 3 grants go; the image-build
					// cluster comes, and the workspace names it as its image-build compute.
					want := map[string]int{"delete": 5, "create": 1, "update": 1}
					if on == "true" {
						want = map[string]int{"create": 5, "delete": 1, "update": 1}
					}
					delete(c, "same")
					if !maps.Equal(c, want) {
						t.Errorf("createComputeInstance=%s: %v, want %v", on, c, want)
					}
				}
			})

			step(t, "destroy", func() {
				if loadStack(t, name).Values["azure-ml-security:protectData"] != "false" {
					// The safety net holds, and the README's way around it works: protectData
					// false, pulumi up, pulumi destroy.
					if _, err := st.Destroy(ctx); err == nil || !strings.Contains(err.Error(), "cannot be deleted") {
						t.Fatalf("destroy of a protected stack: %v, want the engine to refuse", err)
					}
					if err := st.SetConfig(ctx, "azure-ml-security:protectData", auto.ConfigValue{Value: "false"}); err != nil {
						t.Fatal(err)
					}
					if _, err := st.Up(ctx); err != nil {
						t.Fatalf("up with protectData false: %v", err)
					}
				}
				if _, err := st.Destroy(ctx); err != nil {
					t.Fatalf("destroy: %v", err)
				}
				if n := len(stateResources(t, st)); n != 0 {
					t.Errorf("%d resources left in the state after destroy", n)
				}
				for _, o := range env.Cloud.Objects() {
					if !o.Done.IsZero() { // what the landing zone had before stays
						t.Errorf("the fake cloud still holds %s", o.ID)
					}
				}
			})

			if name != "dev" {
				return
			}
			step(t, "up after destroy (soft-deleted names)", func() {
				// The destroyed key vault keeps its name for its retention period (purge
				// protection refuses a purge); a new name suffix is drawn, so up succeeds.
				res, err := st.Up(ctx)
				if err != nil {
					t.Fatalf("up after destroy: %v", err)
				}
				if kv := res.Outputs["keyVaultName"].Value; kv == vaultName {
					t.Errorf("the key vault name %v was reused while soft-deleted", kv)
				}
				if err := env.Cloud.PurgeDeletedVault(fmt.Sprint(vaultName)); err == nil {
					t.Error("purge protection let the destroyed vault be purged")
				}
				if _, err := st.Destroy(ctx); err != nil {
					t.Fatalf("second destroy: %v", err)
				}
			})
		})
	}
}

// landingZoneToggles are the landing-zone options switched on, then back to the stack file's
// values, on a live stack: none may replace or delete a data store.
func landingZoneToggles(cfg *stackconfig.Config, stack string) map[string]map[string]string {
	value := func(k string) string { return cfg.Values[cfg.Project+":"+k] }
	on := map[string]string{
		"workspaceUsers":          `[{"objectId":"` + testUser + `","type":"User"}]`,
		"outboundProfiles":        `["pypi"]`,
		"outboundServiceTagRules": `[{"serviceTag":"DataFactory","protocol":"TCP","portRanges":"443"}]`,
		"protectData":             flip(value("protectData")),
	}
	if stack == "private" {
		on["privateMonitoring"] = flip(value("privateMonitoring"))
	}
	off := map[string]string{}
	for k := range on {
		off[k] = value(k)
	}
	return map[string]map[string]string{"on": on, "off": off}
}

// setConfigJSON sets a key of the project to a value as the stack file would hold it (JSON
// for lists and objects), the way `pulumi config set --path` writes one element at a time.
func setConfigJSON(t *testing.T, st auto.Stack, key, value string) {
	t.Helper()
	ctx := context.Background()
	full := "azure-ml-security:" + key
	var v any
	if err := json.Unmarshal([]byte(value), &v); err != nil {
		v = value // a plain string
	}
	if err := st.RemoveConfig(ctx, full); err != nil {
		t.Fatal(err)
	}
	var set func(path string, v any)
	set = func(path string, v any) {
		switch x := v.(type) {
		case []any:
			for i, e := range x {
				set(fmt.Sprintf("%s[%d]", path, i), e)
			}
		case map[string]any:
			for k, e := range x {
				set(path+"."+k, e)
			}
		default:
			if err := st.SetConfigWithOptions(ctx, path, auto.ConfigValue{Value: fmt.Sprint(x)}, &auto.ConfigOptions{Path: true}); err != nil {
				t.Fatal(err)
			}
		}
	}
	set(full, v)
}

func flip(b string) string {
	if b == "false" {
		return "true"
	}
	return "false"
}

// TestStateOfThePreviousReleaseUpdatesInPlace starts each stack from the state the previous
// release (commit d405477, before component children were named after their component) left,
// exported after its `pulumi up` against the fake cloud, and previews and runs the current
// program over it: the aliases must map every resource, so nothing is deleted or replaced.
// The only creates are the resources this release adds, listed with their reason.
func TestStateOfThePreviousReleaseUpdatesInPlace(t *testing.T) {
	if testing.Short() {
		t.Skip("engine test skipped in -short mode")
	}
	t.Parallel()
	ctx := context.Background()
	var mu sync.Mutex
	seen := map[string]bool{} // "<op> <logical name>" over every stack's up
	t.Cleanup(func() {
		// Every listed change happens in some stack: a fix that is reverted leaves its
		// listed creates and deletes undone.
		for op, names := range sinceD405477 {
			for pattern := range names {
				found := false
				for k := range seen {
					o, name, _ := strings.Cut(k, " ")
					if ok, _ := path.Match(pattern, name); ok && o == op {
						found = true
					}
				}
				if !found && !t.Failed() {
					t.Errorf("the release lists %s of %s, which no stack's up did", op, pattern)
				}
			}
		}
	})
	for _, name := range []string{"dev", "private"} { // the stacks d405477 had
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			raw, err := os.ReadFile(filepath.Join("testdata", "legacy", "d405477-"+name+".json"))
			if err != nil {
				t.Fatal(err)
			}
			env := offlineEnv(t, strictCloud(t, name))
			st := selectStack(t, env, name)
			if err := env.Import(ctx, st, raw); err != nil {
				t.Fatal(err)
			}
			before := len(stateResources(t, st))

			o := watch()
			if _, err := st.Preview(ctx, optpreview.EventStreams(o.ch)); err != nil {
				t.Fatalf("preview over the previous release's state: %v", err)
			}
			checkMigration(t, "preview", o.wait())

			o = watch()
			if _, err := st.Up(ctx, optup.EventStreams(o.ch)); err != nil {
				t.Fatalf("up over the previous release's state: %v", err)
			}
			byURN := o.wait()
			checkMigration(t, "up", byURN)
			mu.Lock()
			for urn, op := range byURN {
				seen[op+" "+deployerInName.ReplaceAllString(urn[strings.LastIndex(urn, "::")+2:], "<deployer>")] = true
			}
			mu.Unlock()
			removed := len(sinceD405477["delete"])
			if after := len(stateResources(t, st)); after < before-removed {
				t.Errorf("the state shrank from %d to %d resources; only the %d deletions listed were planned", before, after, removed)
			}
		})
	}
}

// sinceD405477 is every change the current release makes to a stack deployed by d405477, by
// logical name (the deployer's object id written as <deployer>), with the finding it comes
// from. Anything else planned over that state is a regression: an alias missing, an input
// that forces a replacement, a resource dropped by mistake.
var sinceD405477 = map[string]map[string]string{
	"create": {
		"*-diagnostics":                                           "issue 12: every resource's diagnostics go to Log Analytics",
		"datastores-sql-auditing":                                 "issue 12: the SQL server audits to Log Analytics",
		"datastores-sql-threat-detection":                         "issue 12: Defender for SQL's threat detection",
		"workspace-monitor-scope*":                                "issue 12: private monitoring, the Azure Monitor Private Link Scope",
		"workspace-identity-monitor-scope-*":                      "issue 12: private monitoring, the identity approves the endpoint to the scope",
		"workspace-pe-workspace-monitor*":                         "issue 12: private monitoring, its private endpoint",
		"workspace-outbound-monitor":                              "issue 12: private monitoring, the managed network's endpoint to the scope",
		"network-privatelink.monitor.azure.com*":                  "issue 12: private monitoring's DNS zones",
		"network-privatelink.oms.opinsights.azure.com*":           "issue 12: private monitoring's DNS zones",
		"network-privatelink.ods.opinsights.azure.com*":           "issue 12: private monitoring's DNS zones",
		"network-privatelink.agentsvc.azure-automation.net*":      "issue 12: private monitoring's DNS zones",
		"workspace-identity-network-approver":                     "F1: the approver role at resource-group scope, granted before the workspace",
		"workspace-identity-workspace-contributor":                "F1: the workspace identity approves the endpoint to the workspace itself",
		"workspace-identity-pe-workspace-storage-blob-reader":     "U3: Reader on the workspace storage's private endpoints (private mode)",
		"workspace-identity-pe-workspace-storage-file-reader":     "U3: Reader on the workspace storage's private endpoints (private mode)",
		"compute-instance-identity":                               "U1/S1: the compute instance's own identity",
		"compute-instance-identity-workspace-contributor":         "U1: the compute identity uses the workspace",
		"compute-instance-identity-lake-blob-data-reader":         "U1: the compute identity reads the lake",
		"compute-instance-identity-blob-blob-data-reader":         "U1: the compute identity reads the blob account",
		"workspace-user-<deployer>-storage-blob-data-contributor": "U2: the person using the studio reaches the workspace storage",
		"workspace-user-<deployer>-storage-file-data":             "U2: the person using the studio reaches the notebooks share",
		"datastores-user-<deployer>-lake-blob-data-reader":        "U2: the person using the studio previews the lake",
		"datastores-user-<deployer>-blob-blob-data-reader":        "U2: the person using the studio previews the blob account",
	},
	"delete": {
		"datastores-app":                  "S2: the Entra app exists only with datastoreAuth servicePrincipal",
		"datastores-sp":                   "S2: the Entra app exists only with datastoreAuth servicePrincipal",
		"datastores-secret":               "S2: the Entra app exists only with datastoreAuth servicePrincipal",
		"app-lake-blob-data-contributor":  "S2: the Entra app exists only with datastoreAuth servicePrincipal",
		"app-blob-blob-data-contributor":  "S2: the Entra app exists only with datastoreAuth servicePrincipal",
		"identity-lake-network-approver":  "F1: one approver grant at resource-group scope replaces the grants per target",
		"identity-blob-network-approver":  "F1: one approver grant at resource-group scope replaces the grants per target",
		"identity-sql-network-approver":   "F1: one approver grant at resource-group scope replaces the grants per target",
		"identity-sql-server-contributor": "S3: SQL Server Contributor was never needed",
	},
	// The instance moves to its own identity (U1), which Azure takes only when the instance is
	// created; its OS disk is lost, files in the workspace's file share stay.
	"delete-replaced+replace+create-replacement": {
		"compute-instance": "U1: the compute instance's identity is set at creation",
	},
}

var deployerInName = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

// listed says whether a logical name matches one of the patterns (path.Match syntax).
func listed(patterns map[string]string, name string) bool {
	for p := range patterns {
		if ok, _ := path.Match(p, name); ok {
			return true
		}
	}
	return false
}

func checkMigration(t *testing.T, cmd string, byURN map[string]string) {
	t.Helper()
	for op, n := range counts(byURN) {
		if op == "same" || op == "update" {
			continue
		}
		want, known := sinceD405477[op]
		if !known {
			t.Errorf("%s: %d %s operations %v; want none", cmd, n, op, urnsWith(byURN, op))
			continue
		}
		for _, r := range urnsWith(byURN, op) {
			if !listed(want, deployerInName.ReplaceAllString(r, "<deployer>")) {
				t.Errorf("%s plans %s of %s, which no finding asks for", cmd, op, r)
			}
		}
	}
	for urn, op := range byURN {
		if stateful(urn) && op != "same" && op != "update" {
			t.Errorf("%s plans %s of %s, which holds data", cmd, op, urn)
		}
	}
	t.Logf("%s over the previous release's state: %v", cmd, counts(byURN))
}

// stateResources returns the resources of the stack's state.
func stateResources(t *testing.T, st auto.Stack) []json.RawMessage {
	t.Helper()
	dep, err := st.Export(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var state struct {
		Resources []json.RawMessage `json:"resources"`
	}
	if err := json.Unmarshal(dep.Deployment, &state); err != nil {
		t.Fatal(err)
	}
	return state.Resources
}

// checkOutputs: the documented outputs exist and every secret one is marked secret.
func checkOutputs(t *testing.T, stack string, out auto.OutputMap) {
	t.Helper()
	for _, k := range []string{"studioUrl", "workspaceName", "resourceGroupName", "datastoreNames", "lakeAccountName", "blobAccountName", "sqlServerFqdn", "computeInstanceName", "managedNetworkFirewall"} {
		if _, ok := out[k]; !ok {
			t.Errorf("output %s is missing", k)
		}
	}
	secrets := []string{"sqlAdminPassword"}
	if stack == "private" {
		secrets = append(secrets, "jumpVmAdminPassword")
	}
	for _, k := range secrets {
		if v, ok := out[k]; !ok || !v.Secret {
			t.Errorf("output %s is missing or not secret", k)
		}
	}
	for k, v := range out {
		if strings.Contains(strings.ToLower(k), "password") && !v.Secret {
			t.Errorf("output %s is not secret", k)
		}
	}
	if u, _ := out["studioUrl"].Value.(string); !strings.HasPrefix(u, "https://ml.azure.com/?wsid=/subscriptions/") {
		t.Errorf("studioUrl %q", u)
	}
	checkVerification(t, stack, out)
}

// checkVerification: the "verification" output decodes into what cmd/verify reads, and
// declares the stack as it is.
func checkVerification(t *testing.T, stack string, out auto.OutputMap) {
	t.Helper()
	raw, err := json.Marshal(out[verifyspec.OutputName].Value)
	if err != nil {
		t.Fatal(err)
	}
	var spec verifyspec.Spec
	if err := json.Unmarshal(raw, &spec); err != nil {
		t.Fatalf("the verification output does not decode: %v", err)
	}
	cfg := loadStack(t, stack)
	var peRules []string
	fqdnRules := 0
	for _, r := range spec.OutboundRules {
		switch r.Type {
		case "PrivateEndpoint":
			peRules = append(peRules, r.Name)
			if !strings.HasPrefix(r.Destination, "/subscriptions/") {
				t.Errorf("rule %s destination %q", r.Name, r.Destination)
			}
		case "FQDN":
			fqdnRules++
		}
	}
	want := []string{"blob-blob", "lake-blob", "lake-dfs", "sql-server"}
	if isPrivate(stack) && cfg.Values[cfg.Project+":privateMonitoring"] != "false" {
		want = append(want, "monitor")
	}
	slices.Sort(peRules)
	slices.Sort(want)
	if !slices.Equal(peRules, want) {
		t.Errorf("declared private-endpoint rules %v, want %v", peRules, want)
	}
	if spec.FirewallExpected != (fqdnRules > 0) {
		t.Errorf("firewallExpected %v with %d FQDN rules declared", spec.FirewallExpected, fqdnRules)
	}
	if spec.Private != isPrivate(stack) || len(spec.Exposure) != 7 || spec.Workspace.APIVersion != "2024-10-01-preview" || spec.ComputeInstance == nil {
		t.Errorf("verification spec: private %v, %d exposed, workspace API %q, compute %v", spec.Private, len(spec.Exposure), spec.Workspace.APIVersion, spec.ComputeInstance)
	}
	if n := len(spec.PrivateEndpoints); (n > 0) != isPrivate(stack) {
		t.Errorf("%d private endpoints declared", n)
	}
	if n := len(spec.SampleData); (n == 2) == isPrivate(stack) {
		t.Errorf("%d sample files declared", n)
	}
	approver := false
	for _, ra := range spec.RoleAssignments {
		approver = approver || ra.Role == string(rbac.AzureAIEnterpriseNetworkConnApprover)
	}
	// verify checks the grants the design depends on: the Private Link Scope's approval is one.
	for _, r := range spec.OutboundRules {
		if r.Name == "monitor" && !slices.ContainsFunc(spec.RoleAssignments, func(ra verifyspec.RoleAssignment) bool {
			return ra.Scope == r.Destination && ra.Role == string(rbac.Contributor)
		}) {
			t.Errorf("the monitor rule's scope %s has no declared Contributor grant", r.Destination)
		}
	}
	if !approver || len(spec.Datastores) != 2 || len(spec.Connections) != 1 {
		t.Errorf("verification spec: approver %v, %d datastores, %d connections", approver, len(spec.Datastores), len(spec.Connections))
	}
}

// componentOutputs are the outputs each component registers (RegisterResourceOutputs), one per
// output field of its Go type; the jump VM's only with the jump VM (private stack).
var componentOutputs = map[string][]string{
	"Network":    {"vnetId", "vnetName", "clientSubnetId", "privateEndpointSubnetId"},
	"Workspace":  {"workspaceName", "workspaceId", "studioUrl", "identityId", "identityPrincipalId", "identityClientId", "storageAccountName", "keyVaultName", "registryName", "ipRulesInForce"},
	"Datastores": {"lakeAccountName", "blobAccountName", "datastoreNames", "sqlServerFqdn", "sqlDatabaseName", "sqlAdminLogin", "sqlAdminPassword"},
	"Compute":    {"instanceName"},
}

// checkComponentOutputs: each component's state holds every output it registers.
func checkComponentOutputs(t *testing.T, stack string, state []json.RawMessage) {
	t.Helper()
	seen := 0
	for _, raw := range state {
		var r struct {
			Type    string         `json:"type"`
			Outputs map[string]any `json:"outputs"`
		}
		if err := json.Unmarshal(raw, &r); err != nil {
			t.Fatal(err)
		}
		comp, ok := strings.CutPrefix(r.Type, "azure-ml-security:components:")
		if !ok {
			continue
		}
		seen++
		want := componentOutputs[comp]
		if cfg := loadStack(t, stack); comp == "Compute" && cfg.Values[cfg.Project+":createJumpVm"] == "true" {
			want = append(want, "jumpVmName", "jumpVmPublicIp", "jumpVmAdminUsername", "jumpVmAdminPassword")
		}
		if comp == "Workspace" && isPrivate(stack) {
			want = append(want, "privateEndpointIp")
		}
		for _, k := range want {
			if _, ok := r.Outputs[k]; !ok {
				t.Errorf("component %s does not register output %s (has %v)", comp, k, r.Outputs)
			}
		}
	}
	if seen != len(componentOutputs) {
		t.Errorf("%d components in the state, want %d", seen, len(componentOutputs))
	}
}
