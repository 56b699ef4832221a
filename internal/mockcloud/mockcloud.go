// Package mockcloud is a fake Azure for `pulumi.WithMocks`: it records every registered
// resource (type, name, parent, inputs, dependencies, provider version) and answers with
// ARM-shaped ids and the computed outputs the program reads (principal ids, random results,
// FQDNs, ...). Tests only; the program never imports it.
package mockcloud

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Fixed identities of the fake deployer.
const (
	SubscriptionID = "00000000-0000-0000-0000-000000000001"
	TenantID       = "00000000-0000-0000-0000-0000000000aa"
	DeployerObject = "00000000-0000-0000-0000-0000000000bb"
	DeployerClient = "00000000-0000-0000-0000-0000000000cc"
)

// Resource is one registration seen by the fake cloud.
type Resource struct {
	URN          string
	Type         string
	Name         string
	Parent       string
	Custom       bool
	Version      string
	ID           string
	Inputs       resource.PropertyMap
	Outputs      resource.PropertyMap
	Dependencies []string
	DependsOn    []string // explicit dependsOn only
}

// Cloud implements pulumi.MockResourceMonitor.
type Cloud struct {
	project   string
	stack     string
	mu        sync.Mutex
	resources []*Resource
	calls     []string
}

// New returns an empty fake cloud for a project's stack (the names must match the ones given
// to pulumi.WithMocks, so URNs line up).
func New(project, stack string) *Cloud { return &Cloud{project: project, stack: stack} }

var _ pulumi.MockResourceMonitor = (*Cloud)(nil)

// NewResource records a registration and computes its outputs.
func (c *Cloud) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	r := &Resource{Type: args.TypeToken, Name: args.Name, Custom: args.Custom, Inputs: args.Inputs}
	if rpc := args.RegisterRPC; rpc != nil {
		r.Parent = rpc.GetParent()
		r.Version = rpc.GetVersion()
		r.Dependencies = append(r.Dependencies, rpc.GetDependencies()...)
		// Explicit dependsOn is not separable in the RPC; property dependencies are.
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
	}
	r.URN = c.urn(r.Parent, r.Type, r.Name)
	id, outputs := Compute(r.URN, r.Type, r.Name, args.Inputs)
	r.ID, r.Outputs = id, outputs
	if !args.Custom {
		id = ""
	}
	c.mu.Lock()
	c.resources = append(c.resources, r)
	c.mu.Unlock()
	return id, outputs, nil
}

// Call answers the invokes the program makes.
func (c *Cloud) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	c.mu.Lock()
	c.calls = append(c.calls, args.Token)
	c.mu.Unlock()
	return Invoke(args.Token)
}

// Invoke answers the invokes the program makes: the deploying principal's client config.
func Invoke(token string) (resource.PropertyMap, error) {
	switch token {
	case "azure-native:authorization:getClientConfig":
		return resource.NewPropertyMapFromMap(map[string]any{
			"clientId": DeployerClient, "objectId": DeployerObject,
			"subscriptionId": SubscriptionID, "tenantId": TenantID,
		}), nil
	case "azuread:index/getClientConfig:getClientConfig":
		return resource.NewPropertyMapFromMap(map[string]any{
			"clientId": DeployerClient, "objectId": DeployerObject, "tenantId": TenantID,
		}), nil
	}
	return nil, fmt.Errorf("mockcloud: no fake for invoke %s", token)
}

// Resources returns the registrations sorted by URN.
func (c *Cloud) Resources() []*Resource {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := append([]*Resource(nil), c.resources...)
	sort.Slice(out, func(i, j int) bool { return out[i].URN < out[j].URN })
	return out
}

// Calls returns the invoke tokens called, in order.
func (c *Cloud) Calls() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.calls...)
}

// urn follows the mock monitor's URN format so Parent and Dependencies line up.
func (c *Cloud) urn(parent, typ, name string) string {
	parentType := tokens.Type("")
	if p := resource.URN(parent); p != "" && p.QualifiedType() != resource.RootStackType {
		parentType = p.QualifiedType()
	}
	return string(resource.NewURN(tokens.QName(c.stack), tokens.PackageName(c.project), parentType, tokens.Type(typ), name))
}

// uuidFrom derives a stable GUID from a seed.
func uuidFrom(seed string) string {
	h := sha256.Sum256([]byte(seed))
	x := hex.EncodeToString(h[:16])
	return fmt.Sprintf("%s-%s-%s-%s-%s", x[0:8], x[8:12], x[12:16], x[16:20], x[20:32])
}

// lowerAlnum derives a stable lowercase alphanumeric string of length n from a seed.
func lowerAlnum(seed string, n int) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	h := sha256.Sum256([]byte(seed))
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[int(h[i%len(h)])%len(alphabet)]
	}
	return string(b)
}
