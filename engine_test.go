package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"

	"azure-ml-security/internal/testing/fakeazure"
	"azure-ml-security/internal/testing/offline"
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
	for _, name := range stacks {
		t.Run(name, func(t *testing.T) {
			env := offlineEnv(t, fakeazure.New(fakeazure.Options{}))
			st := selectStack(t, env, name)

			var created int
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

			step(t, "switch privateWorkspace", func() {
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
				for _, on := range []string{"false", "true"} {
					if err := st.SetConfig(ctx, "azure-ml-security:createComputeInstance", auto.ConfigValue{Value: on}); err != nil {
						t.Fatal(err)
					}
					o := watch()
					if _, err := st.Up(ctx, optup.EventStreams(o.ch)); err != nil {
						t.Fatalf("up with createComputeInstance=%s: %v", on, err)
					}
					c := counts(o.wait())
					want := map[string]int{"delete": 1}
					if on == "true" {
						want = map[string]int{"create": 1}
					}
					for op, n := range c {
						if op != "same" && want[op] != n {
							t.Errorf("createComputeInstance=%s: %d %s, want %v", on, n, op, want)
						}
					}
				}
			})

			step(t, "destroy", func() {
				if _, err := st.Destroy(ctx); err != nil {
					t.Fatalf("destroy: %v", err)
				}
				if n := len(stateResources(t, st)); n != 0 {
					t.Errorf("%d resources left in the state after destroy", n)
				}
				for _, o := range env.Cloud.Objects() {
					t.Errorf("the fake cloud still holds %s", o.ID)
				}
			})
		})
	}
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
	ctx := context.Background()
	for _, name := range stacks {
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join("testdata", "legacy", "d405477-"+name+".json"))
			if err != nil {
				t.Fatal(err)
			}
			env := offlineEnv(t, fakeazure.New(fakeazure.Options{}))
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
			checkMigration(t, "up", o.wait())
			if after := len(stateResources(t, st)); after < before {
				t.Errorf("the state shrank from %d to %d resources", before, after)
			}
		})
	}
}

// addedSinceD405477 are the resources the current release creates in a stack made by
// d405477, by logical name.
var addedSinceD405477 = map[string]string{}

func checkMigration(t *testing.T, cmd string, byURN map[string]string) {
	t.Helper()
	c := counts(byURN)
	for op, n := range c {
		switch op {
		case "same", "update":
		case "create":
			for _, r := range urnsWith(byURN, op) {
				if _, ok := addedSinceD405477[r]; !ok {
					t.Errorf("%s creates %s, which the previous release's state should already hold", cmd, r)
				}
			}
		default:
			t.Errorf("%s: %d %s operations %v; want none", cmd, n, op, urnsWith(byURN, op))
		}
	}
	t.Logf("%s over the previous release's state: %v", cmd, c)
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
	for _, k := range []string{"studioUrl", "workspaceName", "resourceGroupName", "datastoreNames", "lakeAccountName", "blobAccountName", "sqlServerFqdn", "computeInstanceName"} {
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
}

// componentOutputs are the outputs each component registers (RegisterResourceOutputs), one per
// output field of its Go type; the jump VM's only with the jump VM (private stack).
var componentOutputs = map[string][]string{
	"Network":    {"vnetId", "vnetName", "clientSubnetId", "privateEndpointSubnetId"},
	"Workspace":  {"workspaceName", "workspaceId", "studioUrl", "identityId", "identityPrincipalId", "identityClientId", "storageAccountName", "keyVaultName", "registryName"},
	"Datastores": {"lakeAccountName", "blobAccountName", "datastoreNames", "appClientId", "sqlServerFqdn", "sqlDatabaseName", "sqlAdminLogin", "sqlAdminPassword"},
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
		if comp == "Compute" && isPrivate(stack) {
			want = append(want, "jumpVmName", "jumpVmPublicIp", "jumpVmAdminUsername", "jumpVmAdminPassword")
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
