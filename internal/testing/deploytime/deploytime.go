// Package deploytime estimates how long a deployment takes on Azure, and why, from a run of the
// real Pulumi engine against the fake Azure with timing on (fakeazure.Options.Timing).
//
// The run gives the order the engine chose (each operation's dependencies in the Pulumi state,
// the delete waves it schedules, the writes it had to serialise) and, from the fake, what each
// operation needed from Azure (fakeazure.OpRecord: the resources its inputs reference, the
// grants that approve the managed endpoints it makes, the locks it held). From these:
//
//   - Wall is the deployment replayed in simulated Azure minutes: every operation starts as
//     soon as everything it waited for in the run has ended and takes the model's duration
//     (fakeazure/durations.go). The replay leaves out the engine's own overhead, which at a
//     scale of milliseconds per minute would otherwise pass for minutes of Azure.
//   - Critical is the chain of operations that sets Wall: walking back from the last one to
//     end, each link is the wait that ended last before the operation started, labelled with
//     its reason and whether Azure requires it.
//   - LowerBound is what Azure's own constraints impose on the same operations: the longest
//     chain of orderings Azure requires (a resource after those its inputs reference, a
//     managed endpoint after the grant that approves it has propagated, a delete after the
//     resources that use what it deletes), and at least the sum of the writes Azure
//     serialises on any one lock.
package deploytime

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"

	"azure-ml-security/internal/testing/fakeazure"
)

// StateResource is one resource of an exported Pulumi state, with what orders it.
type StateResource struct {
	URN                  string              `json:"urn"`
	Custom               bool                `json:"custom"`
	ID                   string              `json:"id"`
	Type                 string              `json:"type"`
	Parent               string              `json:"parent"`
	Provider             string              `json:"provider"`
	Dependencies         []string            `json:"dependencies"`
	PropertyDependencies map[string][]string `json:"propertyDependencies"`
}

// ParseState reads the resources of a deployment exported by `pulumi stack export`.
func ParseState(deployment json.RawMessage) ([]StateResource, error) {
	var d struct {
		Resources []StateResource `json:"resources"`
	}
	if err := json.Unmarshal(deployment, &d); err != nil {
		return nil, err
	}
	return d.Resources, nil
}

// Run is one engine command against the fake cloud.
type Run struct {
	// Ops are the cloud's operations during the command.
	Ops []fakeazure.OpRecord
	// Before and After are the stack's state before and after it.
	Before, After []StateResource
	// Existing is what the cloud held before it (what a delete may find in use).
	Existing []*fakeazure.Object
	// Timing is the cloud's (its Scale converts the run's real times).
	Timing *fakeazure.Timing
	// Propagation is the minutes a role assignment takes to become effective in the replay
	// and the lower bound. It is the model's (fakeazure.DefaultTiming), whatever the cloud ran
	// with: a run may set the cloud's to 0 so that the engine's order, not how much overhead
	// the engine adds at this scale, decides whether a grant was in effect in time.
	Propagation float64
}

// Recorder measures successive engine commands of one stack against a cloud with timing.
// Other stacks may run against the same cloud meanwhile: their operations are left out.
type Recorder struct {
	st    auto.Stack
	cloud *fakeazure.Cloud
	urn   string // the prefix of the stack's URNs
	state []StateResource
}

// NewRecorder reads the stack's state once; each Measure reads it after its command.
func NewRecorder(ctx context.Context, st auto.Stack, cloud *fakeazure.Cloud) (*Recorder, error) {
	if cloud.Timing() == nil {
		return nil, fmt.Errorf("deploytime: the cloud has no timing")
	}
	state, err := export(ctx, st)
	if err != nil {
		return nil, err
	}
	name := st.Name()
	return &Recorder{st: st, cloud: cloud, urn: "urn:pulumi:" + name[strings.LastIndex(name, "/")+1:] + "::", state: state}, nil
}

// Measure runs cmd, an engine command on the stack, and returns what analysing it needs.
func (r *Recorder) Measure(ctx context.Context, cmd func() error) (*Run, error) {
	existing := r.cloud.Objects()
	n := len(r.cloud.Log())
	if err := cmd(); err != nil {
		return nil, err
	}
	var ops []fakeazure.OpRecord
	for _, op := range r.cloud.Log()[n:] {
		if strings.HasPrefix(op.URN, r.urn) {
			ops = append(ops, op)
		}
	}
	after, err := export(ctx, r.st)
	if err != nil {
		return nil, err
	}
	run := &Run{Ops: ops, Before: r.state, After: after, Existing: existing, Timing: r.cloud.Timing(), Propagation: fakeazure.DefaultTiming().Propagation}
	r.state = after
	return run, nil
}

func export(ctx context.Context, st auto.Stack) ([]StateResource, error) {
	dep, err := st.Export(ctx)
	if err != nil {
		return nil, fmt.Errorf("deploytime: exporting the state: %w", err)
	}
	return ParseState(dep.Deployment)
}

// Op is one operation of the replay.
type Op struct {
	fakeazure.OpRecord
	// Name is the resource's logical name.
	Name string
	// Start and End are simulated minutes from the start of the command.
	Start, End float64
}

// Link is one operation of a chain, with how it waited for the one before.
type Link struct {
	Op *Op
	// Start and End are the operation's simulated minutes in the chain's schedule (the
	// replay's for the critical path, Azure's orderings alone for the lower bound's chain).
	Start, End float64
	// Reasons say why it waited for the previous link ("start" for the first): the Pulumi
	// dependency, the input that references it, the lock, the role propagation, the engine's
	// delete wave.
	Reasons []string
	// Required reports whether Azure requires the wait; false for an order only the program or
	// the engine imposes.
	Required bool
	// Gap is the simulated minutes between the previous link's end and this start (a role's
	// propagation).
	Gap float64
}

// Report is the analysis of one run.
type Report struct {
	// Wall is the replayed duration in simulated minutes; Observed is the run's real span
	// converted to minutes, engine overhead included.
	Wall, Observed float64
	// LowerBound is what Azure's constraints alone impose, and LowerBoundWhy says which.
	LowerBound    float64
	LowerBoundWhy string
	// Required is the longest chain of orderings Azure requires.
	Required []Link
	// Critical is the chain that sets Wall, first operation first.
	Critical []Link
	// Ops is every operation of the replay, by simulated start.
	Ops []*Op
	// Warnings are what the replay found questionable: an order the run broke, an endpoint
	// made before its grant took effect.
	Warnings []string
}

// Ratio is Wall over LowerBound.
func (r *Report) Ratio() float64 {
	if r.LowerBound == 0 {
		return math.Inf(1)
	}
	return r.Wall / r.LowerBound
}

// edge is one wait of an operation for another.
type edge struct {
	from     int
	weight   float64 // minutes after from's end (a propagation)
	reasons  []string
	required bool
	lock     bool // a wait for a serialised write, ordered by construction (lockWaits)
}

// anyOf is a wait for the first of several (a managed endpoint needs one approving grant).
type anyOf struct {
	edges  []edge
	target string
}

// node is an operation with its waits.
type node struct {
	op *Op
	// waits are what the engine's order made it wait for (replay); needs what Azure requires
	// (lower bound). Both may hold anyOf groups (propagations).
	waits, needs []anyOf
}

const eps = 1e-9

// Analyze replays a run and finds its critical path and lower bound.
func Analyze(run *Run) (*Report, error) {
	if run.Timing == nil || run.Timing.Scale == 0 {
		return nil, fmt.Errorf("deploytime: the run has no timing")
	}
	g := newGraph(run)
	rep := &Report{Warnings: g.warnings}
	if len(g.nodes) == 0 {
		return rep, nil
	}
	order, err := g.topo()
	if err != nil {
		return nil, err
	}
	first, last := g.nodes[0].op.OpRecord.Start, g.nodes[0].op.OpRecord.End
	for _, n := range g.nodes {
		if n.op.OpRecord.Start.Before(first) {
			first = n.op.OpRecord.Start
		}
		if n.op.OpRecord.End.After(last) {
			last = n.op.OpRecord.End
		}
	}
	rep.Observed = float64(last.Sub(first)) / float64(run.Timing.Scale)

	// The replay: earliest starts under the engine's order (waits) and Azure's (needs); a
	// managed endpoint's propagation is both, since a deployment that does not wait for it
	// leaves the endpoint unapproved.
	start := g.schedule(order, func(n *node) []anyOf { return append(append([]anyOf(nil), n.waits...), n.needs...) })
	for i, n := range g.nodes {
		n.op.Start, n.op.End = start[i], start[i]+n.op.Minutes
		rep.Wall = math.Max(rep.Wall, n.op.End)
		rep.Ops = append(rep.Ops, n.op)
	}
	sort.SliceStable(rep.Ops, func(i, j int) bool { return rep.Ops[i].Start < rep.Ops[j].Start })
	rep.Critical = g.walkBack(start, func(n *node) []anyOf { return append(append([]anyOf(nil), n.needs...), n.waits...) })
	g.checkPropagation(start, rep)

	// The lower bound: Azure's orderings only.
	need := g.schedule(order, func(n *node) []anyOf { return n.needs })
	for i, n := range g.nodes {
		if end := need[i] + n.op.Minutes; end > rep.LowerBound+eps {
			rep.LowerBound = end
		}
	}
	rep.Required = g.walkBack(need, func(n *node) []anyOf { return n.needs })
	rep.LowerBoundWhy = "the longest chain of orderings Azure requires"
	sums := g.lockSums(need)
	keys := make([]string, 0, len(sums))
	for k := range sums {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, key := range keys {
		if l := sums[key]; l.total > rep.LowerBound+eps {
			rep.LowerBound = l.total
			rep.LowerBoundWhy = fmt.Sprintf("%d operations Azure serialises on %s, %.2f min held one after another from %.2f min", l.count, shortKey(key), l.held, l.total-l.held)
		}
	}
	return rep, nil
}

// graph is the run's operations with their waits.
type graph struct {
	run      *Run
	nodes    []*node
	warnings []string
}

func logicalName(urn string) string {
	urn = stripGeneration(urn)
	return urn[strings.LastIndex(urn, "::")+2:]
}

// stripGeneration drops the "#n" the fake adds to the URN of an azuread or random resource
// created again.
func stripGeneration(urn string) string {
	if i := strings.LastIndex(urn, "#"); i > strings.LastIndex(urn, "::") {
		return urn[:i]
	}
	return urn
}

func newGraph(run *Run) *graph {
	g := &graph{run: run}
	for _, rec := range run.Ops {
		if rec.Failed != "" {
			g.warnings = append(g.warnings, fmt.Sprintf("%s of %s failed: %s", rec.Kind, logicalName(rec.URN), rec.Failed))
			continue
		}
		g.nodes = append(g.nodes, &node{op: &Op{OpRecord: rec, Name: logicalName(rec.URN)}})
	}
	byURN := map[string][]int{}
	createdID := map[string]int{}
	deletedID := map[string]int{}
	for i, n := range g.nodes {
		byURN[stripGeneration(n.op.URN)] = append(byURN[stripGeneration(n.op.URN)], i)
		switch n.op.Kind {
		case "create":
			createdID[strings.ToLower(n.op.ID)] = i
		case "delete":
			deletedID[strings.ToLower(n.op.ID)] = i
		}
	}
	after, before := index(run.After), index(run.Before)
	for i, n := range g.nodes {
		if n.op.Kind == "delete" {
			continue
		}
		// The engine's order: an operation starts once what it depends on in the state is done.
		for _, dep := range after.dependencies(stripGeneration(n.op.URN)) {
			for _, j := range byURN[dep.urn] {
				if j != i && g.nodes[j].op.Kind != "delete" {
					n.waits = append(n.waits, anyOf{edges: []edge{{from: j, reasons: []string{dep.why}}}})
				}
			}
		}
		// Azure's: what its inputs reference exists.
		for _, ref := range n.op.Refs {
			if j, ok := createdID[strings.ToLower(ref.ID)]; ok && j != i {
				n.needs = append(n.needs, anyOf{edges: []edge{{from: j, reasons: []string{"Azure: " + ref.Why}, required: true}}})
			}
		}
		// A managed endpoint is approved once one of its grants has propagated; a grant made
		// before this command has.
		for _, a := range n.op.Approvals {
			group := anyOf{target: a.Target}
			for _, gr := range a.Grants {
				j, ok := createdID[strings.ToLower(gr)]
				if !ok {
					group.edges = nil
					break
				}
				group.edges = append(group.edges, edge{from: j, weight: run.Propagation, required: true,
					reasons: []string{fmt.Sprintf("Azure: the grant's propagation (%.0f min) before it approves a managed endpoint", run.Propagation)}})
			}
			if len(group.edges) > 0 {
				n.needs = append(n.needs, group)
			}
		}
	}
	g.deleteWaits(before, after, deletedID)
	g.lockWaits()
	g.checkOrder()
	return g
}

func lastSegment(id string) string { return id[strings.LastIndex(id, "/")+1:] }

// deleteWaits orders the deletes as the engine does and as Azure requires. The engine runs
// deletes after the program's creates and updates, in waves: it splits the condemned
// resources into antichains of the dependency graph and runs each wave to completion before
// the next (pulumi/pulumi pkg/resource/deploy: stepGenerator.ScheduleDeletes,
// deploymentExecutor.performPostSteps).
func (g *graph) deleteWaits(before, after *stateIndex, deletedID map[string]int) {
	var deletes []int
	for i, n := range g.nodes {
		if n.op.Kind == "delete" {
			deletes = append(deletes, i)
		}
	}
	if len(deletes) == 0 {
		return
	}
	var condemned []string
	for _, r := range before.resources {
		if _, kept := after.byURN[r.URN]; !kept {
			condemned = append(condemned, r.URN)
		}
	}
	waves := before.scheduleDeletes(condemned)
	waveOf := map[string]int{}
	for k, w := range waves {
		for _, urn := range w {
			waveOf[urn] = k
		}
	}
	byWave := map[int][]int{}
	for _, i := range deletes {
		k, ok := waveOf[stripGeneration(g.nodes[i].op.URN)]
		if !ok {
			g.warnings = append(g.warnings, fmt.Sprintf("delete of %s is not one the engine schedules in waves (a replacement): only Azure's orderings apply to it", g.nodes[i].op.Name))
			continue
		}
		byWave[k] = append(byWave[k], i)
	}
	var writes []int
	for i, n := range g.nodes {
		if n.op.Kind != "delete" {
			writes = append(writes, i)
		}
	}
	previous := writes
	prevReason := "engine: deletes run after the program's creates and updates"
	for k := range waves {
		ops := byWave[k]
		if len(ops) == 0 {
			continue
		}
		for _, i := range ops {
			dependents := before.dependentsOf(stripGeneration(g.nodes[i].op.URN))
			for _, j := range previous {
				reason := prevReason
				if dependents[stripGeneration(g.nodes[j].op.URN)] {
					reason = "dependency: deleted after what depends on it"
				}
				g.nodes[i].waits = append(g.nodes[i].waits, anyOf{edges: []edge{{from: j, reasons: []string{reason}}}})
			}
		}
		previous = ops
		prevReason = "engine: delete wave (each wave of deletes ends before the next starts)"
	}
	// Azure's: what uses a resource goes before it.
	for _, i := range deletes {
		n := g.nodes[i]
		target := &fakeazure.Object{ID: n.op.ID, Key: n.op.Key}
		for _, x := range g.run.Existing {
			if strings.EqualFold(x.ID, n.op.ID) {
				target = x
			}
		}
		for _, b := range fakeazure.DeleteBlockers(target, g.run.Existing) {
			if j, ok := deletedID[strings.ToLower(b)]; ok {
				n.needs = append(n.needs, anyOf{edges: []edge{{from: j, required: true, reasons: []string{"Azure: " + lastSegment(b) + " uses it until deleted"}}}})
			}
		}
	}
}

// lockWaits: writes Azure serialises on one key ran one after another; each waited for the
// conflicting ones that ended before it (held locks never overlap, so their order is the
// order in which they ended). Azure requires that they do not overlap, not this order, so the
// waits belong to the replay; the lower bound counts the lock's total instead (lockSums).
func (g *graph) lockWaits() {
	type holder struct {
		i         int
		exclusive bool
	}
	byKey := map[string][]holder{}
	for i, n := range g.nodes {
		for _, l := range n.op.Locks {
			byKey[l.Key] = append(byKey[l.Key], holder{i, l.Exclusive})
		}
	}
	for key, hs := range byKey {
		sort.Slice(hs, func(a, b int) bool { return g.nodes[hs[a].i].op.OpRecord.End.Before(g.nodes[hs[b].i].op.OpRecord.End) })
		for a := range hs {
			for b := a - 1; b >= 0; b-- {
				if !hs[a].exclusive && !hs[b].exclusive {
					continue // operations that share a key do not wait for each other
				}
				g.nodes[hs[a].i].waits = append(g.nodes[hs[a].i].waits, anyOf{edges: []edge{{from: hs[b].i, required: true, lock: true,
					reasons: []string{"Azure: one write at a time on " + shortKey(key)}}}})
			}
		}
	}
}

// shortKey names a lock key by its last two segments (".../virtualNetworks/vnet-x").
func shortKey(key string) string {
	parts := strings.Split(key, "/")
	if len(parts) < 2 {
		return key
	}
	return parts[len(parts)-2] + "/" + parts[len(parts)-1]
}

// checkOrder reports a wait the run broke: an operation that started before what it waited
// for had ended (a dependency the state records that the engine did not honour, or a reference
// the fake's own order contradicts), which would make the replay wrong. Such a warning starts
// with "order broken".
func (g *graph) checkOrder() {
	slack := 2 * time.Millisecond // the lock holder records its end just after releasing
	for _, n := range g.nodes {
		for _, group := range append(append([]anyOf(nil), n.waits...), n.needs...) {
			for _, e := range group.edges {
				if len(group.edges) > 1 || e.weight > 0 || e.lock {
					continue
				}
				p := g.nodes[e.from].op
				if p.OpRecord.End.After(n.op.OpRecord.Start.Add(slack)) {
					g.warnings = append(g.warnings, fmt.Sprintf("order broken: %s of %s started %v before %s of %s ended (%s)", n.op.Kind, n.op.Name,
						p.OpRecord.End.Sub(n.op.OpRecord.Start).Round(time.Millisecond), p.Kind, p.Name, strings.Join(e.reasons, "; ")))
				}
			}
		}
	}
}

// topo orders the operations so that each comes after everything it waits for.
func (g *graph) topo() ([]int, error) {
	indeg := make([]int, len(g.nodes))
	out := make([][]int, len(g.nodes))
	for i, n := range g.nodes {
		for _, group := range append(append([]anyOf(nil), n.waits...), n.needs...) {
			for _, e := range group.edges {
				indeg[i]++
				out[e.from] = append(out[e.from], i)
			}
		}
	}
	var queue, order []int
	for i := range g.nodes {
		if indeg[i] == 0 {
			queue = append(queue, i)
		}
	}
	for len(queue) > 0 {
		i := queue[0]
		queue = queue[1:]
		order = append(order, i)
		for _, j := range out[i] {
			if indeg[j]--; indeg[j] == 0 {
				queue = append(queue, j)
			}
		}
	}
	if len(order) != len(g.nodes) {
		return nil, fmt.Errorf("deploytime: the waits of the run form a cycle")
	}
	return order, nil
}

// schedule gives each operation its earliest start under the waits groups returns.
func (g *graph) schedule(order []int, groups func(*node) []anyOf) []float64 {
	start := make([]float64, len(g.nodes))
	for _, i := range order {
		for _, group := range groups(g.nodes[i]) {
			start[i] = math.Max(start[i], g.ready(start, group))
		}
	}
	return start
}

// ready is when a group of waits is satisfied: the first of its edges to be.
func (g *graph) ready(start []float64, group anyOf) float64 {
	t := math.Inf(1)
	for _, e := range group.edges {
		t = math.Min(t, start[e.from]+g.nodes[e.from].op.Minutes+e.weight)
	}
	return t
}

// walkBack follows, from the operation that ends last, the wait that set each start. Among
// waits that end at the same moment, one Azure requires is preferred, so that a link is
// called "not required" only when nothing Azure requires would have held it as long.
func (g *graph) walkBack(start []float64, groups func(*node) []anyOf) []Link {
	last := -1
	for i, n := range g.nodes {
		end := start[i] + n.op.Minutes
		if last < 0 || end > start[last]+g.nodes[last].op.Minutes+eps ||
			(math.Abs(end-start[last]-g.nodes[last].op.Minutes) <= eps && n.op.OpRecord.End.After(g.nodes[last].op.OpRecord.End)) {
			last = i
		}
	}
	var chain []Link
	for i := last; i >= 0; {
		link := Link{Op: g.nodes[i].op, Start: start[i], End: start[i] + g.nodes[i].op.Minutes, Reasons: []string{"start"}}
		next := -1
		if start[i] > eps {
			var best *edge
			for _, group := range groups(g.nodes[i]) {
				for k := range group.edges {
					e := &group.edges[k]
					if math.Abs(start[e.from]+g.nodes[e.from].op.Minutes+e.weight-start[i]) > 1e-6 {
						continue
					}
					if len(group.edges) > 1 && math.Abs(g.ready(start, group)-start[i]) > 1e-6 {
						continue
					}
					switch {
					case best == nil, e.required && !best.required,
						e.required == best.required && g.nodes[e.from].op.OpRecord.End.After(g.nodes[best.from].op.OpRecord.End):
						best = e
					}
				}
			}
			if best != nil {
				next = best.from
				link.Reasons, link.Required, link.Gap = g.reasonsFor(i, best.from), best.required, best.weight
			}
		}
		chain = append(chain, link)
		i = next
	}
	for a, b := 0, len(chain)-1; a < b; a, b = a+1, b-1 {
		chain[a], chain[b] = chain[b], chain[a]
	}
	return chain
}

// reasonsFor collects every reason operation i waited for j: a dependency that is also a
// reference says both.
func (g *graph) reasonsFor(i, j int) []string {
	var out []string
	seen := map[string]bool{}
	for _, group := range append(append([]anyOf(nil), g.nodes[i].waits...), g.nodes[i].needs...) {
		for _, e := range group.edges {
			if e.from != j {
				continue
			}
			for _, r := range e.reasons {
				if !seen[r] {
					seen[r] = true
					out = append(out, r)
				}
			}
		}
	}
	sort.Slice(out, func(a, b int) bool { return strings.HasPrefix(out[a], "Azure") && !strings.HasPrefix(out[b], "Azure") })
	return out
}

// checkPropagation warns of a managed endpoint the engine's order makes before a grant that
// approves it has propagated: the replay waits for it, Azure would not, and the endpoint would
// stay unapproved.
func (g *graph) checkPropagation(start []float64, rep *Report) {
	for _, n := range g.nodes {
		var engine, ready float64
		for _, w := range n.waits {
			engine = math.Max(engine, g.ready(start, w))
		}
		var targets []string
		for _, group := range n.needs {
			if group.target == "" {
				continue
			}
			// In the run itself, at its own pace, the operation started after the grant had
			// propagated: the program waited for it (internal/rbac, InEffect).
			waited := false
			for _, e := range group.edges {
				gap := n.op.OpRecord.Start.Sub(g.nodes[e.from].op.OpRecord.End)
				waited = waited || float64(gap) >= e.weight*float64(g.run.Timing.Scale)
			}
			if waited {
				continue
			}
			if r := g.ready(start, group); r > engine+eps {
				ready = math.Max(ready, r)
				targets = append(targets, lastSegment(group.target))
			}
		}
		if len(targets) > 0 {
			rep.Warnings = append(rep.Warnings, fmt.Sprintf("%s of %s could start at %.2f min in the engine's order, before the grant that approves its managed endpoints has propagated (%.2f min): "+
				"on Azure the endpoints to %s would stay unapproved unless something else delays it; the estimate assumes it waits", n.op.Kind, n.op.Name, engine, ready, strings.Join(targets, ", ")))
		}
	}
}

// lockTotal is what one lock's holders take at least, one after another.
type lockTotal struct {
	count       int
	held, total float64
}

// lockSums: writes Azure serialises on one key cannot overlap, so the last ends no earlier
// than the earliest start of any of them (under Azure's orderings) plus all exclusive holds
// plus the longest shared one (shared holders may overlap each other, not an exclusive one).
func (g *graph) lockSums(start []float64) map[string]lockTotal {
	out := map[string]lockTotal{}
	type acc struct {
		first, excl, shared float64
		count               int
	}
	accs := map[string]*acc{}
	for i, n := range g.nodes {
		for _, l := range n.op.Locks {
			a := accs[l.Key]
			if a == nil {
				a = &acc{first: math.Inf(1)}
				accs[l.Key] = a
			}
			a.count++
			a.first = math.Min(a.first, start[i])
			if l.Exclusive {
				a.excl += n.op.Minutes
			} else {
				a.shared = math.Max(a.shared, n.op.Minutes)
			}
		}
	}
	for k, a := range accs {
		out[k] = lockTotal{count: a.count, held: a.excl + a.shared, total: a.first + a.excl + a.shared}
	}
	return out
}

// Skipping returns a copy of the run in which the operations skip matches take no time: what
// the run would take if the program let the engine skip them (a delete elided by the
// deletedWith option because Azure deletes the resource with its parent). The order stays the
// engine's; only durations change.
func (r *Run) Skipping(skip func(fakeazure.OpRecord) bool) *Run {
	out := *r
	out.Ops = make([]fakeazure.OpRecord, len(r.Ops))
	for i, op := range r.Ops {
		if skip(op) {
			op.Minutes = 0
		}
		out.Ops[i] = op
	}
	return &out
}

// Check verifies what a report promises: the critical path starts at 0 with an operation that
// waited for nothing, each later link starts when the one before ends (plus a propagation),
// for a reason; it ends with the last operation to end, at the wall time; the lower bound is
// no more than the wall time; and the run kept every order the replay assumes. A run that
// recorded no operation proves nothing and fails: the recorder saw none of the stack's.
func (r *Report) Check() error {
	if len(r.Ops) == 0 || r.Wall <= 0 {
		return fmt.Errorf("no operation of the stack was recorded (wall %.2f min): nothing to estimate", r.Wall)
	}
	if len(r.Critical) == 0 {
		return fmt.Errorf("no critical path")
	}
	const tol = 1e-6
	first := r.Critical[0]
	if math.Abs(first.Start) > tol || len(first.Reasons) != 1 || first.Reasons[0] != "start" {
		return fmt.Errorf("the critical path begins with %s at %.2f min (%v), not with an operation that waited for nothing", first.Op.Name, first.Start, first.Reasons)
	}
	for k := 1; k < len(r.Critical); k++ {
		prev, l := r.Critical[k-1], r.Critical[k]
		if math.Abs(prev.End+l.Gap-l.Start) > tol {
			return fmt.Errorf("critical path: %s starts at %.2f min, %s ends at %.2f min (+%.2f)", l.Op.Name, l.Start, prev.Op.Name, prev.End, l.Gap)
		}
		if len(l.Reasons) == 0 || l.Reasons[0] == "start" {
			return fmt.Errorf("critical path: no reason why %s waited for %s", l.Op.Name, prev.Op.Name)
		}
	}
	last := r.Critical[len(r.Critical)-1]
	for _, op := range r.Ops {
		if op.End > last.End+tol {
			return fmt.Errorf("the critical path ends with %s at %.2f min, but %s ends at %.2f min", last.Op.Name, last.End, op.Name, op.End)
		}
	}
	if math.Abs(last.End-r.Wall) > tol {
		return fmt.Errorf("the critical path ends at %.2f min, the wall time is %.2f min", last.End, r.Wall)
	}
	if r.LowerBound > r.Wall+tol {
		return fmt.Errorf("the lower bound %.2f min exceeds the wall time %.2f min", r.LowerBound, r.Wall)
	}
	for _, w := range r.Warnings {
		if strings.HasPrefix(w, "order broken") {
			return fmt.Errorf("%s", w)
		}
	}
	return nil
}
