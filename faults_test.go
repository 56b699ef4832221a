package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"

	"azure-ml-security/internal/testing/fakeazure"
	"azure-ml-security/internal/testing/offline"
)

// faultSeeds is how many seeds TestUpConvergesUnderFaults runs (FAKEAZURE_FAULT_SEEDS
// overrides it).
func faultSeeds(t *testing.T) int {
	if v := os.Getenv("FAKEAZURE_FAULT_SEEDS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			t.Fatalf("FAKEAZURE_FAULT_SEEDS=%q: %v", v, err)
		}
		return n
	}
	return 20
}

// TestUpConvergesUnderFaults (catalogue rule 11): under each seed, `pulumi up` of the private
// stack meets throttling, server errors and lost answers on a share of its operations; then
// the README's recovery runs without faults: `pulumi up` again, importing whatever a lost
// answer left in Azure but not in the state ("cannot create already existing resource").
// The stack must converge to the fault-free result: the state holds exactly the resources the
// fault-free plan has, the fake Azure holds nothing the state does not, and no data store was
// deleted or replaced on the way. The seeds run in two groups at once, each against its own
// fake Azure (faults are set per cloud).
func TestUpConvergesUnderFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("engine test skipped in -short mode")
	}
	t.Parallel()
	const name = "private"
	want := goldenResources(t, name)
	var mu sync.Mutex
	faulted, orphans := 0, 0
	seeds := faultSeeds(t)
	for group := 0; group < 2; group++ {
		t.Run(fmt.Sprintf("seeds-%d", group), func(t *testing.T) {
			t.Parallel()
			timing := fakeazure.DefaultTiming()
			timing.Scale /= 5 // the order of operations matters here, not their length
			cloud := strictCloud(t, name, fakeazure.Options{Timing: timing})
			env := offlineEnv(t, cloud)
			for seed := 1 + group; seed <= seeds; seed += 2 {
				f, o := convergeUnderFaults(t, env, cloud, name, seed, want)
				mu.Lock()
				faulted, orphans = faulted+f, orphans+o
				mu.Unlock()
			}
		})
	}
	t.Cleanup(func() {
		if !t.Failed() && (faulted == 0 || orphans == 0) {
			t.Errorf("%d faulted operations and %d orphans over all seeds: the test exercised nothing", faulted, orphans)
		}
		t.Logf("%d seeds: %d operations faulted, %d orphans imported", seeds, faulted, orphans)
	})
}

// convergeUnderFaults runs one seed on a new stack with the configuration of stack name and
// returns how many operations faulted and how many orphans were imported.
func convergeUnderFaults(t *testing.T, env *offline.Env, cloud *fakeazure.Cloud, name string, seed int, want map[string]bool) (faulted, orphans int) {
	t.Helper()
	ctx := context.Background()
	seedStack := fmt.Sprintf("%s-seed-%d", name, seed)
	copyStackFile(t, env, name, seedStack)
	st := selectStack(t, env, seedStack)
	noDataLost := func(step string, byURN map[string]string) {
		for urn, op := range byURN {
			if stateful(urn) && (op == "delete" || offline.IsReplacement(op)) {
				t.Errorf("seed %d: %s %ss %s", seed, step, op, urn)
			}
		}
	}

	cloud.SetFaults(&fakeazure.Faults{Seed: int64(seed), Rate: 0.04})
	o := watch()
	_, firstErr := st.Up(ctx, optup.EventStreams(o.ch))
	noDataLost("the faulted up", o.wait())
	for _, r := range cloud.Faulted() {
		if strings.HasPrefix(r.URN, "urn:pulumi:"+seedStack+"::") {
			faulted++
		}
	}

	cloud.SetFaults(nil)
	for attempt := 1; firstErr != nil; attempt++ {
		o := watch()
		_, err := st.Up(ctx, optup.EventStreams(o.ch))
		noDataLost("the recovery", o.wait())
		if err == nil {
			break
		}
		if attempt == 3 {
			t.Fatalf("seed %d: no convergence after the first up failed with %v:\n%v", seed, short(firstErr), err)
		}
		n := adoptOrphans(t, env, st, cloud)
		if n == 0 {
			t.Fatalf("seed %d: up without faults fails and nothing is left to import: %v", seed, err)
		}
		orphans += n
	}

	state := stateURNs(t, st)
	got := map[string]bool{}
	for _, u := range state {
		parts := strings.Split(u, "::")
		typ := parts[2][strings.LastIndex(parts[2], "$")+1:]
		if !strings.HasPrefix(typ, "pulumi:") {
			got[typ+"::"+parts[3]] = true
		}
	}
	for r := range want {
		if !got[r] {
			t.Errorf("seed %d: the converged state lacks %s", seed, r)
		}
	}
	for r := range got {
		if !want[r] {
			t.Errorf("seed %d: the converged state holds %s, which the fault-free plan has not", seed, r)
		}
	}
	for _, o := range outside(st.Name(), state, cloud) {
		t.Errorf("seed %d: the fake Azure holds %s (%s), which the state does not", seed, o.ID, o.URN)
	}
	return faulted, orphans
}

// copyStackFile gives stack to the configuration of a committed stack file, from.
func copyStackFile(t *testing.T, env *offline.Env, from, to string) {
	t.Helper()
	raw, err := os.ReadFile("Pulumi." + from + ".yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(env.WorkDir, "Pulumi."+to+".yaml"), raw, 0o644); err != nil {
		t.Fatal(err)
	}
}

// adoptOrphans records in the state every resource the fake Azure holds for this stack that
// the state lacks, as the README's `pulumi import` recovery of a lost answer does.
func adoptOrphans(t *testing.T, env *offline.Env, st auto.Stack, cloud *fakeazure.Cloud) int {
	t.Helper()
	orphans := notInState(t, st, cloud)
	if len(orphans) == 0 {
		return 0
	}
	if err := env.Adopt(context.Background(), st, orphans); err != nil {
		t.Fatalf("importing %d orphans: %v", len(orphans), err)
	}
	return len(orphans)
}

// stateURNs are the URNs of the stack's state.
func stateURNs(t *testing.T, st auto.Stack) []string {
	t.Helper()
	var out []string
	for _, raw := range stateResources(t, st) {
		var r struct {
			URN string `json:"urn"`
		}
		if err := json.Unmarshal(raw, &r); err != nil {
			t.Fatal(err)
		}
		out = append(out, r.URN)
	}
	return out
}

// notInState are the fake Azure's resources of this stack that its state does not hold. The
// random provider's values live only in the state (the fake keeps them to answer reads), so a
// lost one is no orphan.
func notInState(t *testing.T, st auto.Stack, cloud *fakeazure.Cloud) []*fakeazure.Object {
	t.Helper()
	return outside(st.Name(), stateURNs(t, st), cloud)
}

// outside are the fake Azure's resources of stack that state (its URNs) does not hold.
func outside(stack string, state []string, cloud *fakeazure.Cloud) []*fakeazure.Object {
	inState := map[string]bool{}
	for _, u := range state {
		inState[u] = true
	}
	var out []*fakeazure.Object
	for _, o := range cloud.Objects() {
		if strings.HasPrefix(o.URN, "urn:pulumi:"+stack+"::") && !inState[o.URN] && !strings.HasPrefix(o.Token, "random:") {
			out = append(out, o)
		}
	}
	return out
}

func short(err error) string {
	if err == nil {
		return "success"
	}
	msg := err.Error()
	if i := strings.Index(msg, "\n"); i > 0 {
		msg = msg[:i]
	}
	return msg
}

// goldenResources are the resources of a stack's fault-free plan (testdata/golden), as
// "<type>::<logical name>".
func goldenResources(t *testing.T, stack string) map[string]bool {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "golden", stack+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var plan []struct {
		Type string `json:"type"`
		Name string `json:"name"`
	}
	if err := json.Unmarshal(raw, &plan); err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, r := range plan {
		out[r.Type+"::"+r.Name] = true
	}
	return out
}
