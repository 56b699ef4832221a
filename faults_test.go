package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
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
// The stack must converge to the fault-free result: a last `pulumi up` changes nothing, no
// resource of the fake Azure is missing from the state, and no data store was deleted or
// replaced on the way.
func TestUpConvergesUnderFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("engine test skipped in -short mode")
	}
	const name = "private"
	ctx := context.Background()
	timing := fakeazure.DefaultTiming()
	timing.Scale /= 5 // the order of operations matters here, not their length
	cloud := strictCloud(t, name, fakeazure.Options{Timing: timing})
	env := offlineEnv(t, cloud)
	faulted, orphans := 0, 0
	for seed := 1; seed <= faultSeeds(t); seed++ {
		cloud.ResetLog()
		cloud.SetFaults(&fakeazure.Faults{Seed: int64(seed), Rate: 0.04})
		seedStack := fmt.Sprintf("%s-seed-%d", name, seed)
		copyStackFile(t, env, name, seedStack)
		st := selectStack(t, env, seedStack)

		o := watch()
		_, firstErr := st.Up(ctx, optup.EventStreams(o.ch))
		first := o.wait()
		faulted += len(cloud.Faulted())

		cloud.SetFaults(nil)
		for attempt := 1; ; attempt++ {
			o := watch()
			_, err := st.Up(ctx, optup.EventStreams(o.ch))
			byURN := o.wait()
			for urn, op := range byURN {
				if stateful(urn) && (op == "delete" || offline.IsReplacement(op)) {
					t.Errorf("seed %d: recovery %ss %s", seed, op, urn)
				}
			}
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
		for urn, op := range first {
			if stateful(urn) && (op == "delete" || offline.IsReplacement(op)) {
				t.Errorf("seed %d: the faulted up %ss %s", seed, op, urn)
			}
		}

		o = watch()
		if _, err := st.Up(ctx, optup.EventStreams(o.ch)); err != nil {
			t.Fatalf("seed %d: last up: %v", seed, err)
		}
		for op, n := range counts(o.wait()) {
			if op != "same" {
				t.Errorf("seed %d: the converged stack still plans %d %s", seed, n, op)
			}
		}
		if missing := notInState(t, st, cloud); len(missing) > 0 {
			t.Errorf("seed %d: the fake Azure holds resources the state does not: %v", seed, missing)
		}
	}
	if faulted == 0 || orphans == 0 {
		t.Errorf("%d faulted operations and %d orphans over all seeds: the test exercised nothing", faulted, orphans)
	}
	t.Logf("%d seeds: %d operations faulted, %d orphans imported", faultSeeds(t), faulted, orphans)
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

// notInState are the fake Azure's resources of this stack that its state does not hold.
func notInState(t *testing.T, st auto.Stack, cloud *fakeazure.Cloud) []*fakeazure.Object {
	t.Helper()
	inState := map[string]bool{}
	for _, u := range stateURNs(t, st) {
		inState[u] = true
	}
	var out []*fakeazure.Object
	for _, o := range cloud.Objects() {
		if strings.HasPrefix(o.URN, "urn:pulumi:"+st.Name()+"::") && !inState[o.URN] {
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
