// Package fakecloud is a resource provider plugin that plays Azure (azure-native, azuread,
// random) for the real Pulumi engine, offline: Check, Diff, Create, Read, Update, Delete and
// the invokes the program calls. Ids and computed outputs come from mockcloud, so the engine
// tests and the unit tests see the same fake Azure. Diff follows each package's replacement
// rule: for azure-native a change to a URL path parameter replaces, anything else updates.
//
// It is test tooling: cmd/fakecloud-provider is its binary, and the program never imports it.
package fakecloud

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"

	"azure-ml-security/internal/mockcloud"
)

var opts = plugin.MarshalOptions{KeepUnknowns: true, KeepSecrets: true, KeepResources: true, SkipNulls: true}

// Provider serves one package.
type Provider struct {
	pulumirpc.UnimplementedResourceProviderServer

	pkg, version string
	statePath    string

	mu    sync.Mutex
	state map[string]json.RawMessage // id -> serialized outputs
}

// New returns the provider of package pkg at version, keeping its state in stateDir.
func New(pkg, version, stateDir string) (*Provider, error) {
	p := &Provider{pkg: pkg, version: version, state: map[string]json.RawMessage{}}
	if stateDir != "" {
		if err := os.MkdirAll(stateDir, 0o755); err != nil {
			return nil, err
		}
		p.statePath = filepath.Join(stateDir, pkg+".json")
		if raw, err := os.ReadFile(p.statePath); err == nil {
			if err := json.Unmarshal(raw, &p.state); err != nil {
				return nil, fmt.Errorf("fakecloud state %s: %w", p.statePath, err)
			}
		}
	}
	return p, nil
}

func (p *Provider) save(id string, props resource.PropertyMap) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if props == nil {
		delete(p.state, id)
	} else {
		s, err := plugin.MarshalProperties(props, opts)
		if err != nil {
			return err
		}
		raw, err := s.MarshalJSON()
		if err != nil {
			return err
		}
		p.state[id] = raw
	}
	if p.statePath == "" {
		return nil
	}
	raw, err := json.MarshalIndent(p.state, "", " ")
	if err != nil {
		return err
	}
	return os.WriteFile(p.statePath, raw, 0o644)
}

func (p *Provider) load(id string) (resource.PropertyMap, bool, error) {
	p.mu.Lock()
	raw, ok := p.state[id]
	p.mu.Unlock()
	if !ok {
		return nil, false, nil
	}
	var s structpb.Struct
	if err := s.UnmarshalJSON(raw); err != nil {
		return nil, false, err
	}
	m, err := plugin.UnmarshalProperties(&s, opts)
	return m, true, err
}

func unmarshal(s *structpb.Struct) (resource.PropertyMap, error) {
	if s == nil {
		return resource.PropertyMap{}, nil
	}
	return plugin.UnmarshalProperties(s, opts)
}

func marshal(m resource.PropertyMap) (*structpb.Struct, error) {
	return plugin.MarshalProperties(m, opts)
}

// GetPluginInfo reports the version the program requests, so the engine uses this plugin.
func (p *Provider) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: p.version}, nil
}

// GetSchema returns a minimal schema; nothing in an inline program needs more.
func (p *Provider) GetSchema(context.Context, *pulumirpc.GetSchemaRequest) (*pulumirpc.GetSchemaResponse, error) {
	return &pulumirpc.GetSchemaResponse{Schema: fmt.Sprintf(`{"name":%q,"version":%q}`, p.pkg, p.version)}, nil
}

// CheckConfig accepts any provider configuration.
func (p *Provider) CheckConfig(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	return &pulumirpc.CheckResponse{Inputs: req.GetNews()}, nil
}

// DiffConfig never asks for a provider replacement.
func (p *Provider) DiffConfig(context.Context, *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	return &pulumirpc.DiffResponse{Changes: pulumirpc.DiffResponse_DIFF_NONE}, nil
}

// Configure accepts secrets, resources and previews.
func (p *Provider) Configure(context.Context, *pulumirpc.ConfigureRequest) (*pulumirpc.ConfigureResponse, error) {
	return &pulumirpc.ConfigureResponse{AcceptSecrets: true, SupportsPreview: true, AcceptResources: true, AcceptOutputs: true}, nil
}

// Check fills an azure-native auto-name (a role assignment's GUID) the way the real
// provider does: kept from the old inputs, otherwise derived once from the URN.
func (p *Provider) Check(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	news, err := unmarshal(req.GetNews())
	if err != nil {
		return nil, err
	}
	if key := mockcloud.NameKey(req.GetType()); key != "" {
		k := resource.PropertyKey(key)
		if _, ok := news[k]; !ok {
			olds, err := unmarshal(req.GetOlds())
			if err != nil {
				return nil, err
			}
			if old, ok := olds[k]; ok {
				news[k] = old
			} else if mockcloud.TypeKey(req.GetType()) == "authorization:RoleAssignment" {
				id, _ := mockcloud.Compute(req.GetUrn(), req.GetType(), req.GetName(), news)
				news[k] = resource.NewProperty(id[strings.LastIndex(id, "/")+1:])
			}
		}
	}
	out, err := marshal(news)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.CheckResponse{Inputs: out}, nil
}

// Diff compares the old inputs with the new ones, top-level key by key.
func (p *Provider) Diff(_ context.Context, req *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	oldsStruct := req.GetOldInputs()
	if oldsStruct == nil {
		oldsStruct = req.GetOlds()
	}
	olds, err := unmarshal(oldsStruct)
	if err != nil {
		return nil, err
	}
	news, err := unmarshal(req.GetNews())
	if err != nil {
		return nil, err
	}
	replaceKeys := replaceKeys(req.GetType(), olds, news)
	var diffs, replaces []string
	for _, k := range unionKeys(olds, news) {
		o, n := canon(olds[resource.PropertyKey(k)]), canon(news[resource.PropertyKey(k)])
		if o == n {
			continue
		}
		diffs = append(diffs, k)
		if replaceKeys[k] {
			replaces = append(replaces, k)
		}
	}
	resp := &pulumirpc.DiffResponse{Changes: pulumirpc.DiffResponse_DIFF_NONE, Diffs: diffs, Replaces: replaces}
	if len(diffs) > 0 {
		resp.Changes = pulumirpc.DiffResponse_DIFF_SOME
	}
	// azure-native resources have fixed names: a replacement must delete the old one first.
	resp.DeleteBeforeReplace = len(replaces) > 0 && p.pkg == "azure-native"
	return resp, nil
}

// replaceKeys is each package's replacement rule.
func replaceKeys(token string, olds, news resource.PropertyMap) map[string]bool {
	keys := map[string]bool{}
	switch {
	case strings.HasPrefix(token, "azure-native:"):
		for _, k := range mockcloud.ReplaceKeys(token) {
			keys[k] = true
		}
	case strings.HasPrefix(token, "random:"):
		// Every random input is ForceNew.
		for _, k := range unionKeys(olds, news) {
			keys[k] = true
		}
	case token == "azuread:index/applicationPassword:ApplicationPassword":
		for _, k := range unionKeys(olds, news) {
			keys[k] = true
		}
	case token == "azuread:index/servicePrincipal:ServicePrincipal":
		keys["clientId"] = true
	}
	// azuread Application: displayName and owners are updated in place.
	return keys
}

func unionKeys(a, b resource.PropertyMap) []string {
	seen := map[string]bool{}
	for k := range a {
		seen[string(k)] = true
	}
	for k := range b {
		seen[string(k)] = true
	}
	var out []string
	for k := range seen {
		if !strings.HasPrefix(k, "__") {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// canon renders a value for comparison: secrets unwrapped, unknowns distinct from any value.
func canon(v resource.PropertyValue) string {
	var walk func(v resource.PropertyValue) any
	walk = func(v resource.PropertyValue) any {
		switch {
		case v.IsSecret():
			return walk(v.SecretValue().Element)
		case v.IsComputed(), v.IsOutput() && !v.OutputValue().Known:
			return "\x00unknown"
		case v.IsOutput():
			return walk(v.OutputValue().Element)
		case v.IsObject():
			m := map[string]any{}
			for k, e := range v.ObjectValue() {
				m[string(k)] = walk(e)
			}
			return m
		case v.IsArray():
			var a []any
			for _, e := range v.ArrayValue() {
				a = append(a, walk(e))
			}
			return a
		case v.IsAsset():
			return "asset:" + v.AssetValue().Hash
		case v.IsArchive():
			return "archive:" + v.ArchiveValue().Hash
		}
		return v.V
	}
	b, _ := json.Marshal(walk(v))
	return string(b)
}

// Create returns the resource's id and outputs; in a preview, its inputs.
func (p *Provider) Create(_ context.Context, req *pulumirpc.CreateRequest) (*pulumirpc.CreateResponse, error) {
	news, err := unmarshal(req.GetProperties())
	if err != nil {
		return nil, err
	}
	if req.GetPreview() {
		return &pulumirpc.CreateResponse{Properties: req.GetProperties()}, nil
	}
	id, outputs := mockcloud.Compute(req.GetUrn(), req.GetType(), req.GetName(), news)
	if p.exists(id) && strings.HasPrefix(req.GetType(), "azure-native:") {
		// Azure refuses to create what exists (azure-reference.md §1).
		return nil, fmt.Errorf("resource %s already exists; it must be imported", id)
	}
	if err := p.save(id, outputs); err != nil {
		return nil, err
	}
	out, err := marshal(outputs)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.CreateResponse{Id: id, Properties: out}, nil
}

func (p *Provider) exists(id string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	_, ok := p.state[id]
	return ok
}

// Read returns the stored outputs, or no id when the resource is gone.
func (p *Provider) Read(_ context.Context, req *pulumirpc.ReadRequest) (*pulumirpc.ReadResponse, error) {
	props, ok, err := p.load(req.GetId())
	if err != nil {
		return nil, err
	}
	if !ok {
		return &pulumirpc.ReadResponse{}, nil
	}
	out, err := marshal(props)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.ReadResponse{Id: req.GetId(), Properties: out, Inputs: req.GetInputs()}, nil
}

// Update recomputes the outputs from the new inputs under the same id.
func (p *Provider) Update(_ context.Context, req *pulumirpc.UpdateRequest) (*pulumirpc.UpdateResponse, error) {
	news, err := unmarshal(req.GetNews())
	if err != nil {
		return nil, err
	}
	if req.GetPreview() {
		return &pulumirpc.UpdateResponse{Properties: req.GetNews()}, nil
	}
	_, outputs := mockcloud.Compute(req.GetUrn(), req.GetType(), req.GetName(), news)
	if err := p.save(req.GetId(), outputs); err != nil {
		return nil, err
	}
	out, err := marshal(outputs)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.UpdateResponse{Properties: out}, nil
}

// Delete forgets the resource.
func (p *Provider) Delete(_ context.Context, req *pulumirpc.DeleteRequest) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, p.save(req.GetId(), nil)
}

// Invoke answers the program's invokes.
func (p *Provider) Invoke(_ context.Context, req *pulumirpc.InvokeRequest) (*pulumirpc.InvokeResponse, error) {
	ret, err := mockcloud.Invoke(req.GetTok())
	if err != nil {
		return nil, err
	}
	out, err := marshal(ret)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.InvokeResponse{Return: out}, nil
}
