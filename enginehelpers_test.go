package main

// Helpers of the tests that run the real engine (the Pulumi CLI through the Automation API)
// against the fake Azure served in this process.

import (
	"context"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"

	"azure-ml-security/internal/rbac"
	"azure-ml-security/internal/stack"
	"azure-ml-security/internal/testing/fakeazure"
	"azure-ml-security/internal/testing/offline"
)

// grantWait is how long the program waits for a new grant to take effect (rbac.InEffect)
// against the fake: far longer than the fake's own propagation (2 minutes of 10 ms) and than
// the engine's gap between two steps, so a missing wait shows (checkGrantWait).
const grantWait = 150 * time.Millisecond

func init() { rbac.Propagation = grantWait }

// checkGrantWait: the workspace was created only after the approver grant had taken effect,
// which in the fake is grantWait after the grant's create ended.
func checkGrantWait(t *testing.T, cloud *fakeazure.Cloud, stack string) {
	t.Helper()
	var grantEnd, wsStart time.Time
	for _, r := range cloud.Log() {
		if !strings.HasPrefix(r.URN, "urn:pulumi:"+stack+"::") || r.Kind != "create" {
			continue
		}
		switch {
		case strings.HasSuffix(r.URN, "::workspace-identity-network-approver"):
			grantEnd = r.End
		case strings.HasSuffix(r.URN, "::workspace-ml"):
			wsStart = r.Start
		}
	}
	if grantEnd.IsZero() || wsStart.IsZero() {
		t.Fatalf("no create of the approver grant or the workspace in the fake's log")
	}
	if gap := wsStart.Sub(grantEnd); gap < grantWait {
		t.Errorf("the workspace was created %v after its approver grant, before the grant could take effect (%v)", gap, grantWait)
	}
}

// offlineEnv sets up the real engine against cloud, or skips (fails in CI) when no Pulumi CLI
// has been built.
func offlineEnv(t *testing.T, cloud *fakeazure.Cloud) *offline.Env {
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
	env, err := offline.Setup(t.TempDir(), wd, root, cloud)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { env.Close() })
	return env
}

// strictCloud is the fake Azure the engine tests run against: operations take time (a minute
// of Azure in 10 ms), so the engine's parallelism overlaps them as it would on Azure, the
// deployer calls from the stack's first allowed address, and the test principals exist.
func strictCloud(t *testing.T, stack string, opts ...fakeazure.Options) *fakeazure.Cloud {
	t.Helper()
	var o fakeazure.Options
	if len(opts) > 0 {
		o = opts[0]
	}
	if o.Timing == nil {
		o.Timing = fakeazure.DefaultTiming()
	}
	if o.CallerIP == "" {
		o.CallerIP = loadStack(t, stack).CallerIP()
	}
	if o.Directory == nil {
		o.Directory = directory
	}
	if o.Existing == nil {
		o.Existing = fakeazure.Preexisting(loadStack(t, stack).ExistingIDs()...)
	}
	return fakeazure.New(o)
}

// selectStack creates the stack name in env running the program.
func selectStack(t *testing.T, env *offline.Env, name string) auto.Stack {
	t.Helper()
	st, err := env.Stack(context.Background(), name, stack.Deploy)
	if err != nil {
		t.Fatal(err)
	}
	return st
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

// urnsWith lists the logical names of the resources with operation op.
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
var statefulNames = []string{"workspace-ml", "workspace-storage", "workspace-key-vault", "workspace-registry",
	"datastores-lake", "datastores-blob", "datastores-sql-server", "datastores-sql-database", "workspace-identity", "resource-group"}

func stateful(urn string) bool {
	parts := strings.Split(urn, "::") // urn:pulumi:<stack>, <project>, <parent$>type, name
	if len(parts) != 4 {
		return false
	}
	typ := parts[2][strings.LastIndex(parts[2], "$")+1:]
	if !strings.HasPrefix(typ, "azure-native:") {
		return false
	}
	for _, n := range statefulNames {
		if parts[3] == n {
			return true
		}
	}
	return false
}

func step(t *testing.T, name string, f func()) {
	t.Helper()
	start := time.Now()
	f()
	t.Logf("%-40s %6.1fs", name, time.Since(start).Seconds())
}
