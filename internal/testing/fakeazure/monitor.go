package fakeazure

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Resource is one registration the Monitor saw.
type Resource struct {
	URN     string
	Type    string
	Name    string // the logical (Pulumi) name
	Parent  string
	Custom  bool
	Version string
	// Aliases are the registration's alias specs, as "name=<n>" or "type=<t>" (parent and
	// project are always the current ones in this program).
	Aliases      []string
	ID           string
	Inputs       resource.PropertyMap
	Outputs      resource.PropertyMap
	Dependencies []string // every URN the resource waits for
	DependsOn    []string // the explicit dependsOn ones
	// Protect and RetainOnDelete are the registration's options.
	Protect, RetainOnDelete bool
	// DeletedWith is the URN of the resource whose deletion deletes this one.
	DeletedWith string
	// DeleteBeforeReplace and ReplaceOnChanges are the registration's replacement options.
	DeleteBeforeReplace bool
	ReplaceOnChanges    []string
}

// Object returns the resource as the cloud model sees it.
func (r *Resource) Object() *Object {
	return &Object{ID: r.ID, URN: r.URN, Token: r.Type, Key: TypeKey(r.Type), Name: plainString(r.Outputs["name"]), Inputs: r.Inputs, Outputs: r.Outputs}
}

// Monitor adapts the fake cloud to pulumi.WithMocks: it records every registration and answers
// with the model's ids and outputs. A type the model does not describe fails the registration;
// a resource whose own inputs break a rule (its name, a required input) fails it with Azure's
// error.
type Monitor struct {
	project, stack string
	cloud          *Cloud

	mu        sync.Mutex
	resources []*Resource
	calls     []string
}

var _ pulumi.MockResourceMonitor = (*Monitor)(nil)

// NewMonitor returns a monitor for a project's stack (the names must match the ones given to
// pulumi.WithMocks, so URNs line up).
func NewMonitor(project, stack string, opts Options) *Monitor {
	return &Monitor{project: project, stack: stack, cloud: New(opts)}
}

// Cloud is the model behind the monitor.
func (m *Monitor) Cloud() *Cloud { return m.cloud }

// NewResource records a registration and computes its outputs.
func (m *Monitor) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	r := &Resource{Type: args.TypeToken, Name: args.Name, Custom: args.Custom, Inputs: args.Inputs}
	if rpc := args.RegisterRPC; rpc != nil {
		r.Parent = rpc.GetParent()
		r.Version = rpc.GetVersion()
		r.Protect = rpc.GetProtect()
		r.RetainOnDelete = rpc.GetRetainOnDelete()
		r.DeletedWith = rpc.GetDeletedWith()
		r.DeleteBeforeReplace = rpc.GetDeleteBeforeReplace()
		r.ReplaceOnChanges = rpc.GetReplaceOnChanges()
		r.Dependencies = append(r.Dependencies, rpc.GetDependencies()...)
		// Explicit dependsOn is what is left after the property dependencies.
		explicit := map[string]bool{}
		for _, d := range rpc.GetDependencies() {
			explicit[d] = true
		}
		for _, deps := range rpc.GetPropertyDependencies() {
			for _, d := range deps.GetUrns() {
				delete(explicit, d)
			}
		}
		for d := range explicit {
			r.DependsOn = append(r.DependsOn, d)
		}
		sort.Strings(r.DependsOn)
		for _, a := range rpc.GetAliases() {
			if spec := a.GetSpec(); spec != nil {
				if spec.GetName() != "" {
					r.Aliases = append(r.Aliases, "name="+spec.GetName())
				}
				if spec.GetType() != "" {
					r.Aliases = append(r.Aliases, "type="+spec.GetType())
				}
			}
		}
		sort.Strings(r.Aliases)
	}
	r.URN = m.urn(r.Parent, r.Type, r.Name)
	if !r.Custom {
		r.Outputs = args.Inputs
		m.record(r)
		return "", args.Inputs, nil
	}
	obj, err := m.cloud.compute(r.Type, r.URN, r.Name, args.Inputs)
	if err != nil {
		return "", nil, err
	}
	r.ID, r.Outputs = obj.ID, obj.Outputs
	o := &op{kind: opCreate, obj: obj}
	for _, fn := range []func(*op, *world) *AzureError{checkName, checkRequired} {
		if e := fn(o, nil); e != nil {
			return "", nil, fmt.Errorf("%s %s: %w", r.Type, r.Name, e)
		}
	}
	m.record(r)
	return r.ID, r.Outputs, nil
}

func (m *Monitor) record(r *Resource) {
	m.mu.Lock()
	m.resources = append(m.resources, r)
	m.mu.Unlock()
}

// Call answers the invokes the program makes.
func (m *Monitor) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	m.mu.Lock()
	m.calls = append(m.calls, args.Token)
	m.mu.Unlock()
	if TypeKey(args.Token) == "machinelearningservices:getWorkspace" {
		var objs []*Object
		for _, r := range m.Resources() {
			if r.Custom {
				objs = append(objs, r.Object())
			}
		}
		return readWorkspace(objs, args.Args, m.cloud.opts.WorkspaceIPRulesIgnoredAtCreate)
	}
	return m.cloud.Invoke(args.Token, args.Args)
}

// Resources returns the registrations sorted by URN.
func (m *Monitor) Resources() []*Resource {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := append([]*Resource(nil), m.resources...)
	sort.Slice(out, func(i, j int) bool { return out[i].URN < out[j].URN })
	return out
}

// Calls returns the invoke tokens called, in order.
func (m *Monitor) Calls() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]string(nil), m.calls...)
}

// Violations judges the whole plan against the rules that can be seen on planned inputs.
// Each resource is judged against what it transitively waits for: a rule that needs
// something to exist first (a grant, a subnet, a writable account) is met only if the
// program orders the two.
func (m *Monitor) Violations() []error {
	all := m.Resources()
	byURN := map[string]*Resource{}
	for _, r := range all {
		byURN[r.URN] = r
	}
	var objs []*Object
	for _, r := range all {
		if r.Custom {
			objs = append(objs, r.Object())
		}
	}
	m.cloud.mu.Lock()
	m.cloud.plan = objs
	m.cloud.mu.Unlock()
	var errs []error
	for _, r := range all {
		if !r.Custom {
			continue
		}
		w := &world{cloud: m.cloud, plan: true}
		for _, d := range transitiveDeps(r, byURN) {
			if d.Custom {
				w.objects = append(w.objects, d.Object())
			}
		}
		o := &op{kind: opCreate, obj: r.Object()}
		for _, ck := range checks {
			if !ck.plan || !ck.applies(opCreate) {
				continue
			}
			if e := ck.fn(o, w); e != nil {
				errs = append(errs, fmt.Errorf("%s %s: %w", TypeKey(r.Type), r.Name, e))
			}
		}
	}
	for _, pc := range planChecks {
		for _, e := range pc(all) {
			errs = append(errs, e)
		}
	}
	return errs
}

// Err joins the violations, or returns nil.
func (m *Monitor) Err() error { return errors.Join(m.Violations()...) }

// planChecks judge the plan as a whole (duplicates, for example).
var planChecks []func(all []*Resource) []error

// transitiveDeps returns every resource r waits for, directly or through others; waiting on a
// component means waiting on everything under it.
func transitiveDeps(r *Resource, byURN map[string]*Resource) []*Resource {
	children := map[string][]*Resource{}
	for _, x := range byURN {
		if x.Parent != "" {
			children[x.Parent] = append(children[x.Parent], x)
		}
	}
	seen := map[string]bool{}
	var out []*Resource
	var visit func(urn string)
	visit = func(urn string) {
		if seen[urn] {
			return
		}
		seen[urn] = true
		d, ok := byURN[urn]
		if !ok {
			return
		}
		out = append(out, d)
		for _, x := range d.Dependencies {
			visit(x)
		}
		if !d.Custom {
			for _, c := range children[urn] {
				visit(c.URN)
			}
		}
	}
	for _, x := range r.Dependencies {
		visit(x)
	}
	return out
}

// urn follows the mock monitor's URN format, so that parents and dependencies line up.
func (m *Monitor) urn(parent, typ, name string) string {
	parentType := tokens.Type("")
	if p := resource.URN(parent); p != "" && p.QualifiedType() != resource.RootStackType {
		parentType = p.QualifiedType()
	}
	return string(resource.NewURN(tokens.QName(m.stack), tokens.PackageName(m.project), parentType, tokens.Type(typ), name))
}

// Short is "Type::name", a readable stand-in for a URN.
func Short(urn string) string {
	u := resource.URN(urn)
	if !u.IsValid() {
		return urn
	}
	return string(u.Type()) + "::" + u.Name()
}

// Key is the resource's type key (see TypeKey).
func (r *Resource) Key() string { return TypeKey(r.Type) }

// Find returns the custom resources of a type key (or whole token).
func (m *Monitor) Find(key string) []*Resource {
	var out []*Resource
	for _, r := range m.Resources() {
		if r.Custom && (r.Key() == key || r.Type == key) {
			out = append(out, r)
		}
	}
	return out
}

// ByName returns the resource of a type key with this logical name, or nil.
func (m *Monitor) ByName(key, name string) *Resource {
	for _, r := range m.Find(key) {
		if r.Name == name {
			return r
		}
	}
	return nil
}

// ByURN returns the resource with this URN, or nil.
func (m *Monitor) ByURN(urn string) *Resource {
	for _, r := range m.Resources() {
		if r.URN == urn {
			return r
		}
	}
	return nil
}

// ByID returns the custom resource with this ARM id, or nil.
func (m *Monitor) ByID(id string) *Resource {
	for _, r := range m.Resources() {
		if r.Custom && strings.EqualFold(r.ID, id) {
			return r
		}
	}
	return nil
}
