package deploytime

import (
	"math"
	"strings"
	"testing"
	"time"

	"azure-ml-security/internal/testing/fakeazure"
)

// synthetic builds runs by hand: operations in the order they ran, with the model's minutes.
type synthetic struct {
	t0  time.Time
	ops []fakeazure.OpRecord
	at  time.Duration
}

func newSynthetic() *synthetic { return &synthetic{t0: time.Unix(0, 0)} }

func urn(name string) string { return "urn:pulumi:s::p::t::" + name }

// op records an operation that ran after everything recorded before it.
func (s *synthetic) op(kind, key, name string, minutes float64, f ...func(*fakeazure.OpRecord)) {
	rec := fakeazure.OpRecord{Kind: kind, Key: key, ID: "/id/" + name, URN: urn(name), Minutes: minutes,
		Start: s.t0.Add(s.at), End: s.t0.Add(s.at + time.Millisecond)}
	s.at += 2 * time.Millisecond
	for _, g := range f {
		g(&rec)
	}
	s.ops = append(s.ops, rec)
}

func (s *synthetic) run(before, after []StateResource) *Run {
	return &Run{Ops: s.ops, Before: before, After: after, Timing: &fakeazure.Timing{Scale: time.Millisecond}, Propagation: 2}
}

func state(deps map[string][]string, names ...string) []StateResource {
	var out []StateResource
	for _, n := range names {
		r := StateResource{URN: urn(n), Custom: true, ID: "/id/" + n}
		for _, d := range deps[n] {
			r.Dependencies = append(r.Dependencies, urn(d))
		}
		out = append(out, r)
	}
	return out
}

func mustAnalyze(t *testing.T, run *Run) *Report {
	t.Helper()
	rep, err := Analyze(run)
	if err != nil {
		t.Fatal(err)
	}
	if err := rep.Check(); err != nil {
		t.Fatal(err)
	}
	return rep
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func names(chain []Link) string {
	var out []string
	for _, l := range chain {
		out = append(out, l.Op.Name)
	}
	return strings.Join(out, " > ")
}

// TestDeleteWaves: the engine deletes in waves, each ending before the next starts, so a
// quick delete that nothing orders waits for a slow one of the wave before; Azure does not
// require it.
func TestDeleteWaves(t *testing.T) {
	deps := map[string][]string{"b": {"a"}, "c": {"a"}, "d": {"b"}}
	before := state(deps, "a", "b", "c", "d")
	s := newSynthetic()
	s.op("delete", "x:D", "d", 1)
	s.op("delete", "x:C", "c", 5)
	s.op("delete", "x:B", "b", 1)
	s.op("delete", "x:A", "a", 1)
	rep := mustAnalyze(t, s.run(before, nil))
	// Waves: d; b, c; a.
	if !near(rep.Wall, 7) || names(rep.Critical) != "d > c > a" {
		t.Errorf("wall %.2f, critical path %s; want 7, d > c > a", rep.Wall, names(rep.Critical))
	}
	if l := rep.Critical[1]; l.Required || !strings.HasPrefix(l.Reasons[0], "engine: delete wave") {
		t.Errorf("c waits for d: %v (required %v), want the engine's wave", l.Reasons, l.Required)
	}
	if l := rep.Critical[2]; l.Reasons[0] != "dependency: deleted after what depends on it" {
		t.Errorf("a waits for c: %v", l.Reasons)
	}
	if !near(rep.LowerBound, 5) {
		t.Errorf("lower bound %.2f, want the longest delete, 5", rep.LowerBound)
	}
	// Skipping c (deleted with its parent) takes it off the path.
	if w := mustAnalyze(t, s.run(before, nil).Skipping(func(op fakeazure.OpRecord) bool { return strings.HasSuffix(op.URN, "::c") })).Wall; !near(w, 3) {
		t.Errorf("without c: %.2f min, want 3", w)
	}
}

// TestPropagationAndLocks: a managed endpoint waits for the first of its grants to propagate;
// writes on one lock add up in the lower bound even when nothing orders them.
func TestPropagationAndLocks(t *testing.T) {
	after := state(map[string][]string{"rule": {"ws", "slow-grant"}, "other": {"ws"}}, "quick-grant", "slow-grant", "ws", "rule", "other")
	s := newSynthetic()
	s.op("create", "authorization:RoleAssignment", "quick-grant", 0.1)
	s.op("create", "authorization:RoleAssignment", "slow-grant", 1)
	s.op("create", "machinelearningservices:Workspace", "ws", 3, func(r *fakeazure.OpRecord) {
		r.Locks = []fakeazure.LockHold{{Key: "ws", Exclusive: true}}
	})
	s.op("create", "machinelearningservices:ManagedNetworkSettingsRule", "rule", 2.5, func(r *fakeazure.OpRecord) {
		r.Refs = []fakeazure.Ref{{ID: "/id/ws", Why: "parent"}}
		r.Approvals = []fakeazure.Approval{{Target: "/id/target", Grants: []string{"/id/quick-grant", "/id/slow-grant"}, InEffect: true}}
		r.Locks = []fakeazure.LockHold{{Key: "ws", Exclusive: true}}
	})
	s.op("create", "machinelearningservices:ManagedNetworkSettingsRule", "other", 2.5, func(r *fakeazure.OpRecord) {
		r.Refs = []fakeazure.Ref{{ID: "/id/ws", Why: "parent"}}
		r.Locks = []fakeazure.LockHold{{Key: "ws", Exclusive: true}}
	})
	rep := mustAnalyze(t, s.run(nil, after))
	// The engine: ws 0-3; rule after ws and slow-grant (ends 1): 3-5.5; other after rule (the
	// lock): 5.5-8.
	if !near(rep.Wall, 8) || names(rep.Critical) != "ws > rule > other" {
		t.Errorf("wall %.2f, critical path %s; want 8, ws > rule > other", rep.Wall, names(rep.Critical))
	}
	if l := rep.Critical[2]; !l.Required || !strings.Contains(l.Reasons[0], "one write at a time") {
		t.Errorf("other waits for rule: %v, want the lock", l.Reasons)
	}
	// Azure: the rule after ws (3) and quick-grant's propagation (2.1); other after ws; no
	// order between the rules, but the three writes on the lock take 8 in a row from 0.
	if !near(rep.LowerBound, 8) || !strings.Contains(rep.LowerBoundWhy, "3 operations Azure serialises") {
		t.Errorf("lower bound %.2f (%s), want 8 from the lock", rep.LowerBound, rep.LowerBoundWhy)
	}
}

// TestPropagationBinds: when the engine's order does not leave a grant time to propagate, the
// replay waits for it and says so.
func TestPropagationBinds(t *testing.T) {
	after := state(map[string][]string{"ws": {"grant"}}, "grant", "ws")
	s := newSynthetic()
	s.op("create", "authorization:RoleAssignment", "grant", 0.1)
	s.op("create", "machinelearningservices:Workspace", "ws", 5.5, func(r *fakeazure.OpRecord) {
		r.Approvals = []fakeazure.Approval{{Target: "/id/storage", Grants: []string{"/id/grant"}}}
	})
	rep := mustAnalyze(t, s.run(nil, after))
	if !near(rep.Wall, 7.6) || !near(rep.Critical[1].Gap, 2) || !rep.Critical[1].Required {
		t.Errorf("wall %.2f, link %+v; want 7.6 with a 2-minute propagation", rep.Wall, rep.Critical[1])
	}
	if len(rep.Warnings) != 1 || !strings.Contains(rep.Warnings[0], "before the grant that approves its managed endpoints has propagated") {
		t.Errorf("warnings %v", rep.Warnings)
	}
}

// TestNothingRecordedFailsCheck: a run in which the recorder saw no operation (say, a stack
// name it does not match) fails the check instead of passing with a zero wall time.
func TestNothingRecordedFailsCheck(t *testing.T) {
	rep, err := Analyze(newSynthetic().run(nil, nil))
	if err != nil {
		t.Fatal(err)
	}
	if err := rep.Check(); err == nil || !strings.Contains(err.Error(), "no operation") {
		t.Errorf("an empty run: Check() = %v, want a failure", err)
	}
}
