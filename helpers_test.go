package main

// The whole-program tests run the real program (internal/stack) under pulumi.WithMocks against
// the fake Azure, with the real stack files merged the way the CLI merges them. This file holds
// what every topic file shares: loading a stack, planning it, and reading the plan.

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/internal/rbac"
	"azure-ml-security/internal/stack"
	"azure-ml-security/internal/testing/fakeazure"
	"azure-ml-security/internal/testing/stackconfig"
)

// stacks are the committed stack files; every test that plans runs for each.
var stacks = []string{"dev", "private", "landingzone"}

// isPrivate says whether a stack file makes a private workspace.
func isPrivate(stack string) bool {
	cfg, err := stackconfig.Load(".", stack)
	if err != nil {
		panic(err)
	}
	return cfg.Values[cfg.Project+":privateWorkspace"] == "true"
}

// loadStack merges Pulumi.yaml and Pulumi.<stack>.yaml the way the CLI does.
func loadStack(t testing.TB, name string) *stackconfig.Config {
	t.Helper()
	cfg, err := stackconfig.Load(".", name)
	if err != nil {
		t.Fatalf("loading stack %s: %v", name, err)
	}
	return cfg
}

// plan runs the program under mocks with cfg. PULUMI_CONFIG is set as the CLI sets it, so the
// program's unknown-key check sees the whole configuration.
func plan(t testing.TB, name string, cfg *stackconfig.Config, opts ...fakeazure.Options) (*fakeazure.Monitor, error) {
	t.Helper()
	t.Setenv(pulumi.EnvConfig, cfg.JSON())
	var o fakeazure.Options
	if len(opts) > 0 {
		o = opts[0]
	}
	if o.CallerIP == "" {
		o.CallerIP = cfg.CallerIP()
	}
	if o.Directory == nil {
		o.Directory = directory
	}
	if o.Existing == nil {
		o.Existing = fakeazure.Preexisting(cfg.ExistingIDs()...)
	}
	return fakeazure.RunMocked(cfg.Project, name, o, stack.Deploy, func(info *pulumi.RunInfo) {
		info.Config = cfg.Values
		info.ConfigSecretKeys = cfg.Secrets
	})
}

// Principals of the fake tenant besides the deployer, for configurations that name them.
const (
	testUser  = "11111111-2222-3333-4444-555555555555"
	testGroup = "22222222-3333-4444-5555-666666666666"
)

var directory = map[string]string{testUser: fakeazure.PrincipalUser, testGroup: fakeazure.PrincipalGroup}

// mustPlan plans a stack, optionally with config changes applied on top of its file, and fails
// on any error or any rule of the fake Azure the plan breaks.
func mustPlan(t testing.TB, name string, changes map[string]any) *fakeazure.Monitor {
	t.Helper()
	cfg := loadStack(t, name)
	for k, v := range changes {
		if err := cfg.Set(k, v, false); err != nil {
			t.Fatal(err)
		}
	}
	m, err := plan(t, name, cfg)
	if err != nil {
		t.Fatalf("planning %s with %v: %v", name, changes, err)
	}
	if err := m.Err(); err != nil {
		t.Fatalf("the plan of %s with %v breaks Azure's rules:\n%v", name, changes, err)
	}
	return m
}

// one returns the only custom resource of a type key with this logical name.
func one(t testing.TB, m *fakeazure.Monitor, key, name string) *fakeazure.Resource {
	t.Helper()
	r := m.ByName(key, name)
	if r == nil {
		var names []string
		for _, x := range m.Find(key) {
			names = append(names, x.Name)
		}
		t.Fatalf("no %s named %q (have %v)", key, name, names)
	}
	return r
}

// want returns why input path of r is not value, or nil.
func want(r *fakeazure.Resource, path string, value any) error {
	v, ok := r.Input(path)
	if !ok {
		return fmt.Errorf("%s is not set (want %v)", path, value)
	}
	if got := fakeazure.Plain(v); got != value {
		return fmt.Errorf("%s = %v, want %v", path, got, value)
	}
	return nil
}

// checkInput reports when input path of r is not value.
func checkInput(t *testing.T, r *fakeazure.Resource, path string, value any) {
	t.Helper()
	if err := want(r, path, value); err != nil {
		t.Errorf("%s %s: %v", r.Key(), r.Name, err)
	}
}

// zoneNamed returns the private DNS zone with this Azure name, or nil.
func zoneNamed(m *fakeazure.Monitor, zone string) *fakeazure.Resource {
	for _, z := range m.Find("network:PrivateZone") {
		if z.Str("privateZoneName") == zone {
			return z
		}
	}
	return nil
}

// all returns the first error, or nil.
func all(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// grantOn returns the role assignment of role on scope to principal, or nil.
func grantOn(m *fakeazure.Monitor, scope string, role rbac.Role, principal string) *fakeazure.Resource {
	for _, ra := range m.Find("authorization:RoleAssignment") {
		if ra.Str("scope") == scope && strings.HasSuffix(ra.Str("roleDefinitionId"), "/"+string(role)) && ra.Str("principalId") == principal {
			return ra
		}
	}
	return nil
}

// identityPrincipal is the workspace identity's principal id.
func identityPrincipal(t *testing.T, m *fakeazure.Monitor) string {
	t.Helper()
	return one(t, m, "managedidentity:UserAssignedIdentity", "workspace-identity").Outputs["principalId"].StringValue()
}

// waitsFor reports whether r waits for other, directly or through a component.
func waitsFor(r, other *fakeazure.Resource) bool { return slices.Contains(r.Dependencies, other.URN) }

// inboundOpenToInternet reports whether an NSG rule allows inbound traffic from any source.
func inboundOpenToInternet(nsg *fakeazure.Resource, rule string) bool {
	if nsg.Str(rule+".direction") != "Inbound" || nsg.Str(rule+".access") != "Allow" {
		return false
	}
	sources := append(nsg.Strings(rule+".sourceAddressPrefixes"), nsg.Str(rule+".sourceAddressPrefix"))
	for _, s := range sources {
		switch strings.ToLower(s) {
		case "*", "internet", "0.0.0.0/0", "any":
			return true
		}
	}
	return false
}

// walkPlain calls fn for every string not under a secret.
func walkPlain(v resource.PropertyValue, path string, fn func(path, s string)) {
	switch {
	case v.IsSecret():
		return
	case v.IsString():
		fn(path, v.StringValue())
	case v.IsObject():
		for k, e := range v.ObjectValue() {
			walkPlain(e, path+"."+string(k), fn)
		}
	case v.IsArray():
		for i, e := range v.ArrayValue() {
			walkPlain(e, path+"."+strconv.Itoa(i), fn)
		}
	case v.IsAsset():
		fn(path, v.AssetValue().Text)
	}
}

// secretLike reports whether an input's name says it holds a secret.
func secretLike(path string) bool {
	key := strings.ToLower(path[strings.LastIndex(path, ".")+1:])
	return strings.Contains(key, "password") || strings.Contains(key, "secret") && !strings.Contains(key, "type")
}

// diffURNs lists the logical names of resources in a and not in b.
func diffURNs(a, b *fakeazure.Monitor) []string {
	in := map[string]bool{}
	for _, r := range b.Resources() {
		in[r.URN] = true
	}
	var out []string
	for _, r := range a.Resources() {
		if !in[r.URN] {
			out = append(out, r.Name)
		}
	}
	slices.Sort(out)
	return out
}

// snapshot renders a plan for the goldens: every resource's type, name, parent, inputs
// (secrets masked), aliases and explicit dependsOn.
func snapshot(m *fakeazure.Monitor) []byte {
	type entry struct {
		Type      string         `json:"type"`
		Name      string         `json:"name"`
		Parent    string         `json:"parent,omitempty"`
		Component bool           `json:"component,omitempty"`
		Aliases   []string       `json:"aliases,omitempty"`
		Inputs    map[string]any `json:"inputs,omitempty"`
		DependsOn []string       `json:"dependsOn,omitempty"`
	}
	var entries []entry
	for _, r := range m.Resources() {
		e := entry{Type: r.Type, Name: r.Name, Component: !r.Custom}
		if r.Parent != "" {
			e.Parent = fakeazure.Short(r.Parent)
		}
		for _, a := range r.Aliases {
			if strings.HasPrefix(a, "name=") {
				e.Aliases = append(e.Aliases, a)
			}
		}
		if r.Custom {
			e.Inputs = map[string]any{}
			for k, v := range r.Inputs {
				e.Inputs[string(k)] = fakeazure.Plain(v)
			}
		}
		for _, d := range r.DependsOn {
			e.DependsOn = append(e.DependsOn, fakeazure.Short(d))
		}
		entries = append(entries, e)
	}
	b, _ := json.MarshalIndent(entries, "", "  ")
	return append(b, '\n')
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			return fmt.Sprintf("line %d:\n  golden: %s\n  plan:   %s", i+1, x, y)
		}
	}
	return ""
}
