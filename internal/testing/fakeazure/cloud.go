package fakeazure

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Object is one resource that exists in the fake cloud (or, in a plan, will exist).
type Object struct {
	ID      string
	URN     string
	Token   string
	Key     string // TypeKey(Token)
	Name    string // Azure's name of the resource
	Inputs  resource.PropertyMap
	Outputs resource.PropertyMap
	// Done is when its create (or last update) finished, in real time; zero for objects that
	// existed before the program.
	Done time.Time
}

// Str returns a string input at a dotted path ("properties.publicNetworkAccess"), or "".
func (o *Object) Str(path string) string {
	v, ok := Lookup(o.Inputs, path)
	if !ok {
		return ""
	}
	return plainString(v)
}

// Bool returns a boolean input at a dotted path and whether it is set.
func (o *Object) Bool(path string) (bool, bool) {
	v, ok := Lookup(o.Inputs, path)
	if !ok || !v.IsBool() {
		return false, false
	}
	return v.BoolValue(), true
}

// Out returns a string output, or "".
func (o *Object) Out(key string) string { return plainString(o.Outputs[resource.PropertyKey(key)]) }

// Principal types of the directory.
const (
	PrincipalUser             = "User"
	PrincipalGroup            = "Group"
	PrincipalServicePrincipal = "ServicePrincipal"
)

// Options configure a Cloud.
type Options struct {
	// RandomString replaces the random provider's results (default: derived from the URN), so
	// that a test can try every name suffix, including adversarial ones.
	RandomString func(urn string, length int) string
	// Directory lists principals that exist outside the program (object id -> type); the
	// deployer is always there.
	Directory map[string]string
	// DeployerType is the deployer's principal type: User (default: a person signed in with
	// the Azure CLI) or ServicePrincipal (an OIDC login, as in Pulumi Deployments).
	DeployerType string
	// Timing makes operations take time (timing.go); nil means instant.
	Timing *Timing
	// Faults injects failures into engine operations (faults.go); nil means none.
	Faults *Faults
	// Existing are resources that exist before the program runs (a landing zone's hub).
	Existing []*Object
	// CallerIP is the public address data-plane calls of the deployment come from (the
	// deployer's machine); "" means an address no firewall admits.
	CallerIP string
	// WorkspaceIPRulesIgnoredAtCreate plays the reading of Microsoft Learn under which a
	// workspace takes IP rules only after it is created ("You can only set the IP addresses for
	// the workspace after the workspace has been created", how-to-configure-private-link): the
	// IP rules of a create are dropped (its default action is kept).
	WorkspaceIPRulesIgnoredAtCreate bool
}

// Cloud is the fake Azure shared by the adapters: its objects by ARM id, the directory of
// principals, names reserved by soft delete, and the writes in flight.
type Cloud struct {
	opts Options

	mu          sync.Mutex
	objects     map[string]*Object
	directory   map[string]string
	softDeleted map[string]softDeleted // "<type key>/<name>" -> what holds the name
	locks       map[string]*lock       // serialisation key -> writes in flight
	log         []OpRecord
	generation  map[string]int // creates per URN of azuread and random resources
	faulted     map[string]bool
	// plan is the whole plan while the Monitor judges it.
	plan []*Object
}

// New returns an empty fake cloud.
func New(opts Options) *Cloud {
	c := &Cloud{
		opts:        opts,
		objects:     map[string]*Object{},
		directory:   map[string]string{DeployerObject: PrincipalUser},
		softDeleted: map[string]softDeleted{},
		locks:       map[string]*lock{},
		generation:  map[string]int{},
		faulted:     map[string]bool{},
	}
	if c.opts.RandomString == nil {
		c.opts.RandomString = lowerAlnum
	}
	for k, v := range opts.Directory {
		c.directory[k] = v
	}
	if opts.DeployerType != "" {
		c.directory[DeployerObject] = opts.DeployerType
	}
	for _, o := range opts.Existing {
		c.objects[strings.ToLower(o.ID)] = o
	}
	return c
}

// compute returns the id and outputs of a resource without storing anything.
func (c *Cloud) compute(token, urn, name string, inputs resource.PropertyMap) (*Object, error) {
	t, err := lookupType(token)
	if err != nil {
		return nil, err
	}
	id, out := computeOutputs(t, urn, token, name, inputs, c.opts.RandomString)
	return &Object{ID: id, URN: urn, Token: token, Key: TypeKey(token), Name: plainString(out["name"]), Inputs: inputs, Outputs: out}, nil
}

// Objects returns what exists, sorted by id.
func (c *Cloud) Objects() []*Object {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]*Object, 0, len(c.objects))
	for _, o := range c.objects {
		out = append(out, o)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Put stores an object as existing, without any rule: what a test or an earlier deployment
// made.
func (c *Cloud) Put(o *Object) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.objects[strings.ToLower(o.ID)] = o
}

// Get returns the object with this id (ARM ids compare case-insensitively), or nil.
func (c *Cloud) Get(id string) *Object {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.objects[strings.ToLower(id)]
}

// Create creates a resource, as the provider's Create does.
func (c *Cloud) Create(ctx context.Context, token, urn, name string, inputs resource.PropertyMap) (*Object, error) {
	t, err := lookupType(token)
	if err != nil {
		return nil, err
	}
	random := c.opts.RandomString
	if !strings.HasPrefix(token, "azure-native:") {
		// azuread and random make new ids and values on every create (a replacement, or a
		// stack created again after destroy), unlike the fake's plans, which are stable.
		c.mu.Lock()
		gen := c.generation[urn]
		c.generation[urn]++
		c.mu.Unlock()
		if gen > 0 {
			urn = fmt.Sprintf("%s#%d", urn, gen)
			random = lowerAlnum
		}
	}
	id, out := computeOutputs(t, urn, token, name, inputs, random)
	obj := &Object{ID: id, URN: urn, Token: token, Key: TypeKey(token), Name: plainString(out["name"]), Inputs: inputs, Outputs: out}
	return obj, c.run(ctx, &op{kind: opCreate, obj: obj})
}

// Update applies new inputs to an existing resource.
func (c *Cloud) Update(ctx context.Context, token, urn, name, id string, olds, news resource.PropertyMap) (*Object, error) {
	obj, err := c.compute(token, urn, name, news)
	if err != nil {
		return nil, err
	}
	old := c.Get(id)
	if old == nil {
		old = &Object{ID: id, URN: urn, Token: token, Key: TypeKey(token), Inputs: olds, Outputs: olds}
	}
	obj.ID = id
	if !strings.HasPrefix(token, "azure-native:") {
		obj.Outputs = old.Outputs.Copy()
		for k, v := range news {
			obj.Outputs[k] = v
		}
	}
	return obj, c.run(ctx, &op{kind: opUpdate, obj: obj, old: old})
}

// Delete deletes a resource; deleting one that is gone succeeds, as azure-native treats 404.
func (c *Cloud) Delete(ctx context.Context, token, urn, id string, olds resource.PropertyMap) error {
	obj := c.Get(id)
	if obj == nil {
		return nil
	}
	return c.run(ctx, &op{kind: opDelete, obj: obj})
}

// Read returns the stored resource, or nil when it is gone.
func (c *Cloud) Read(id string) *Object { return c.Get(id) }

// Invoke answers the program's invokes: the deploying principal's client config, and a
// workspace read back from the cloud.
func (c *Cloud) Invoke(token string, args resource.PropertyMap) (resource.PropertyMap, error) {
	if TypeKey(token) == "machinelearningservices:getWorkspace" {
		return readWorkspace(c.Objects(), args, false)
	}
	client := DeployerClient
	if c.directory[DeployerObject] == PrincipalServicePrincipal {
		client = DeployerAppClient
	}
	switch token {
	case "azure-native:authorization:getClientConfig":
		return resource.NewPropertyMapFromMap(map[string]any{
			"clientId": client, "objectId": DeployerObject,
			"subscriptionId": SubscriptionID, "tenantId": TenantID,
		}), nil
	case "azuread:index/getClientConfig:getClientConfig":
		return resource.NewPropertyMapFromMap(map[string]any{
			"clientId": client, "objectId": DeployerObject, "tenantId": TenantID,
		}), nil
	}
	return nil, fmt.Errorf("fakeazure: no fake for invoke %s", token)
}

// readWorkspace finds a workspace by resource group and name among objects, as getWorkspace
// reads it.
func readWorkspace(objects []*Object, args resource.PropertyMap, dropACLs bool) (resource.PropertyMap, error) {
	rg, name := plainString(args["resourceGroupName"]), plainString(args["workspaceName"])
	for _, o := range objects {
		if o.Key == "machinelearningservices:Workspace" && strings.EqualFold(o.Name, name) && strings.EqualFold(o.Str("resourceGroupName"), rg) {
			out := o.Outputs
			if dropACLs {
				out = out.Copy()
				acls := resource.PropertyMap{"ipRules": resource.NewProperty([]resource.PropertyValue{})}
				if d := o.Str("networkAcls.defaultAction"); d != "" {
					acls["defaultAction"] = resource.NewProperty(d)
				}
				out["networkAcls"] = resource.NewProperty(acls)
			}
			return out, nil
		}
	}
	return nil, fmt.Errorf("ResourceNotFound: workspace %s/%s not found", rg, name)
}

// opKind is what an operation does.
type opKind string

const (
	opCreate opKind = "create"
	opUpdate opKind = "update"
	opDelete opKind = "delete"
)

// op is one engine operation on the cloud.
type op struct {
	kind  opKind
	obj   *Object // the resource as it will be (create, update) or as it is (delete)
	old   *Object // before an update
	fault *string // the fault decided for this operation (faults.go)
}

// run checks an operation against the rules, lets it take its time (holding the locks of the
// writes Azure serialises), applies it and records it.
func (c *Cloud) run(ctx context.Context, o *op) (err error) {
	rec := OpRecord{Kind: string(o.kind), Key: o.obj.Key, ID: o.obj.ID, URN: o.obj.URN, Start: time.Now()}
	defer func() {
		rec.End = time.Now()
		if err != nil {
			rec.Failed = err.Error()
		}
		c.mu.Lock()
		c.log = append(c.log, rec)
		c.mu.Unlock()
	}()
	if f := c.faultBefore(o); f != nil {
		return f
	}
	w := c.world()
	if err := c.checkWith(o, w); err != nil {
		return err
	}
	release, err := c.acquire(o, w)
	if err != nil {
		return err
	}
	if release != nil {
		defer release()
	}
	recordNeeds(&rec, o, w)
	effects(o, w)
	rec.Minutes = minutesOf(o, w)
	d := c.opts.Timing.real(rec.Minutes)
	if release != nil && c.opts.Timing != nil && d < c.opts.Timing.MinHold && holdsLock(o) {
		d = c.opts.Timing.MinHold
	}
	if d > 0 {
		select {
		case <-time.After(d):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	c.apply(o)
	return c.faultAfter(o)
}

func (c *Cloud) apply(o *op) {
	c.mu.Lock()
	defer c.mu.Unlock()
	key := strings.ToLower(o.obj.ID)
	switch o.kind {
	case opCreate, opUpdate:
		o.obj.Done = time.Now()
		if o.obj.Key == "authorization:RoleAssignment" {
			// ARM reports when an assignment was made (createdOn); the program waits on it
			// for the role to take effect (internal/rbac, InEffect).
			created := o.obj.Done.UTC().Format(time.RFC3339Nano)
			if o.old != nil {
				if v, ok := o.old.Outputs["createdOn"]; ok {
					created = plainString(v)
				}
			}
			o.obj.Outputs["createdOn"] = resource.NewProperty(created)
		}
		c.objects[key] = o.obj
		c.releaseName(o.obj)
	case opDelete:
		delete(c.objects, key)
		// Azure deletes a resource's children with it (subnets, containers, databases, the
		// workspace's computes and rules).
		for k := range c.objects {
			if strings.HasPrefix(k, key+"/") {
				delete(c.objects, k)
			}
		}
		c.reserveName(o.obj)
	}
}

// world is a snapshot of what exists.
func (c *Cloud) world() *world {
	c.mu.Lock()
	defer c.mu.Unlock()
	w := &world{cloud: c, objects: make([]*Object, 0, len(c.objects)), now: time.Now()}
	for _, x := range c.objects {
		w.objects = append(w.objects, x)
	}
	return w
}

// checkWith runs the rules that apply to an operation at the moment it runs.
func (c *Cloud) checkWith(o *op, w *world) error {
	for _, ck := range checks {
		if !ck.engine || !ck.applies(o.kind) {
			continue
		}
		if err := ck.fn(o, w); err != nil {
			return err
		}
	}
	return nil
}

// world is what exists when an operation runs: the cloud's objects (engine), or the resources
// a planned one transitively depends on (plan).
type world struct {
	cloud   *Cloud
	objects []*Object
	plan    bool
	now     time.Time
}

func (w *world) find(key string, match func(*Object) bool) []*Object {
	var out []*Object
	for _, o := range w.objects {
		if (key == "" || o.Key == key) && (match == nil || match(o)) {
			out = append(out, o)
		}
	}
	return out
}

func (w *world) byID(id string) *Object {
	for _, o := range w.objects {
		if strings.EqualFold(o.ID, id) {
			return o
		}
	}
	return nil
}

// check is one rule's test of an operation.
type check struct {
	rule *Rule
	// kinds are the operations it looks at.
	kinds []opKind
	// plan: judged on planned inputs too (Monitor.Violations); engine: at operation time.
	plan, engine bool
	fn           func(o *op, w *world) *AzureError
}

func (ck *check) applies(k opKind) bool {
	for _, x := range ck.kinds {
		if x == k {
			return true
		}
	}
	return false
}

// checks are every rule's tests; each rule file appends its own.
var checks []*check

func addCheck(ck *check) { checks = append(checks, ck) }

func contains(s, sub string) bool { return strings.Contains(s, sub) }
