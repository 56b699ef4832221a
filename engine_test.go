package main

import (
	"context"
	"encoding/json"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"

	"azure-ml-security/internal/offline"
)

// offlineEnv sets up the real engine against the fake cloud, or skips (fails in CI) when no
// Pulumi CLI has been built.
func offlineEnv(t *testing.T) *offline.Env {
	t.Helper()
	root := offline.CLIRoot()
	if _, err := os.Stat(root + "/bin/pulumi"); err != nil {
		msg := "the engine tests need the Pulumi CLI: run .ci/build-pulumi-cli (or set PULUMI_CLI_ROOT to a folder with bin/pulumi)"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	wd, _ := os.Getwd()
	env, err := offline.Setup(t.TempDir(), wd, root)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range env.Vars() {
		t.Setenv(k, v)
	}
	return env
}

// ops collects the engine's per-resource operations of one command.
type ops struct {
	ch    chan events.EngineEvent
	done  chan struct{}
	byURN map[string]string
}

func watch() *ops {
	o := &ops{ch: make(chan events.EngineEvent), done: make(chan struct{}), byURN: map[string]string{}}
	go func() {
		defer close(o.done)
		for e := range o.ch {
			if e.ResourcePreEvent != nil {
				m := e.ResourcePreEvent.Metadata
				if prev, ok := o.byURN[m.URN]; !ok || prev == "same" {
					o.byURN[m.URN] = string(m.Op)
				} else if string(m.Op) != prev {
					o.byURN[m.URN] = prev + "+" + string(m.Op)
				}
			}
		}
	}()
	return o
}

func (o *ops) wait() map[string]string { <-o.done; return o.byURN }

// counts tallies operations, leaving out the stack and the default providers.
func counts(byURN map[string]string) map[string]int {
	c := map[string]int{}
	for urn, op := range byURN {
		if strings.Contains(urn, "pulumi:providers:") || strings.Contains(urn, "pulumi:pulumi:Stack") {
			continue
		}
		c[op]++
	}
	return c
}

func urnsWith(byURN map[string]string, op string) []string {
	var out []string
	for urn, o := range byURN {
		if o == op && !strings.Contains(urn, "pulumi:providers:") {
			out = append(out, urn[strings.LastIndex(urn, "::")+2:])
		}
	}
	sort.Strings(out)
	return out
}

// statefulNames are the resources whose replacement would lose data or configuration.
var statefulNames = []string{"workspace", "storage", "key-vault", "registry", "lake", "blob", "sql-server", "sql-database", "identity", "resource-group"}

func stateful(urn string) bool {
	parts := strings.Split(urn, "::") // urn:pulumi:<stack>, <project>, <parent$>type, name
	if len(parts) != 4 {
		return false
	}
	typ := parts[2][strings.LastIndex(parts[2], "$")+1:]
	return strings.HasPrefix(typ, "azure-native:") && slices.Contains(statefulNames, parts[3])
}

func step(t *testing.T, name string, f func()) {
	t.Helper()
	start := time.Now()
	f()
	t.Logf("%-40s %6.1fs", name, time.Since(start).Seconds())
}

// TestEngineLifecycle runs each stack through the real engine against the fake cloud:
// preview, up, a no-op up, the privateWorkspace switch and the compute toggle as in-place
// changes, and destroy, asserting on the engine's own operations and the exported state.
func TestEngineLifecycle(t *testing.T) {
	if testing.Short() {
		t.Skip("engine lifecycle skipped in -short mode")
	}
	env := offlineEnv(t)
	ctx := context.Background()
	switches := map[string]map[string]string{
		"dev":     {"privateWorkspace": "true", "createJumpVm": "true", "uploadSampleData": "false"},
		"private": {"privateWorkspace": "false", "createJumpVm": "false"},
	}
	for _, name := range stacks {
		t.Run(name, func(t *testing.T) {
			var stack auto.Stack
			step(t, "select stack", func() {
				var err error
				if stack, err = env.Stack(ctx, name, deployStack); err != nil {
					t.Fatal(err)
				}
			})

			var created int
			step(t, "preview", func() {
				o := watch()
				res, err := stack.Preview(ctx, optpreview.EventStreams(o.ch))
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
				res, err := stack.Up(ctx, optup.EventStreams(o.ch))
				if err != nil {
					t.Fatalf("up: %v", err)
				}
				o.wait()
				if got := (*res.Summary.ResourceChanges)["create"]; got != created+1 {
					t.Errorf("up created %d, preview planned %d (+ stack)", got, created)
				}
				checkOutputs(t, name, res.Outputs)
				t.Logf("%s: %d resources created", name, created)
			})

			step(t, "up again (no changes)", func() {
				o := watch()
				res, err := stack.Up(ctx, optup.EventStreams(o.ch))
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
					if err := stack.SetConfig(ctx, "azure-ml-security:"+k, auto.ConfigValue{Value: v}); err != nil {
						t.Fatal(err)
					}
				}
				o := watch()
				if _, err := stack.Up(ctx, optup.EventStreams(o.ch)); err != nil {
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
					if err := stack.SetConfig(ctx, "azure-ml-security:createComputeInstance", auto.ConfigValue{Value: on}); err != nil {
						t.Fatal(err)
					}
					o := watch()
					if _, err := stack.Up(ctx, optup.EventStreams(o.ch)); err != nil {
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
				if _, err := stack.Destroy(ctx); err != nil {
					t.Fatalf("destroy: %v", err)
				}
				dep, err := stack.Export(ctx)
				if err != nil {
					t.Fatal(err)
				}
				var state struct {
					Resources []json.RawMessage `json:"resources"`
				}
				if err := json.Unmarshal(dep.Deployment, &state); err != nil {
					t.Fatal(err)
				}
				if len(state.Resources) != 0 {
					t.Errorf("%d resources left after destroy", len(state.Resources))
				}
				left, _ := os.ReadDir(env.StateDir)
				for _, f := range left {
					raw, _ := os.ReadFile(env.StateDir + "/" + f.Name())
					if strings.TrimSpace(string(raw)) != "{}" {
						t.Errorf("the fake cloud still holds resources of %s: %s", f.Name(), raw)
					}
				}
			})
		})
	}
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
