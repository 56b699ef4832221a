package fakeazure

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"
)

var marshalOpts = plugin.MarshalOptions{KeepUnknowns: true, KeepSecrets: true, KeepResources: true, SkipNulls: true}

// Provider adapts the fake cloud to the real engine: the resource provider of one package
// (azure-native, azuread or random) whose operations run against a shared Cloud. Diff follows
// each package's replacement rule: for azure-native a change to a URL path parameter replaces,
// anything else updates.
type Provider struct {
	pulumirpc.UnimplementedResourceProviderServer

	pkg, version string
	cloud        *Cloud
}

// NewProvider returns the provider of package pkg at version over cloud.
func NewProvider(cloud *Cloud, pkg, version string) *Provider {
	return &Provider{pkg: pkg, version: version, cloud: cloud}
}

func unmarshal(s *structpb.Struct) (resource.PropertyMap, error) {
	if s == nil {
		return resource.PropertyMap{}, nil
	}
	return plugin.UnmarshalProperties(s, marshalOpts)
}

func marshal(m resource.PropertyMap) (*structpb.Struct, error) {
	return plugin.MarshalProperties(m, marshalOpts)
}

// azureStatus turns a fake Azure refusal into the gRPC error the engine reports.
func azureStatus(err error) error {
	var ae *AzureError
	if errors.As(err, &ae) {
		return status.Error(codes.Unknown, err.Error())
	}
	return err
}

// GetPluginInfo reports the version the program requests.
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

// Check fills an azure-native auto-name (a role assignment's GUID) the way the real provider
// does, kept from the old inputs or derived once from the URN, and reports the rules one
// resource's own inputs break (its name, a required input), so that a preview shows Azure's
// error before Azure would.
func (p *Provider) Check(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	news, err := unmarshal(req.GetNews())
	if err != nil {
		return nil, err
	}
	t, err := lookupType(req.GetType())
	if err != nil {
		return nil, err
	}
	if k := resource.PropertyKey(t.nameKey); t.nameKey != "" {
		if _, ok := news[k]; !ok {
			olds, err := unmarshal(req.GetOlds())
			if err != nil {
				return nil, err
			}
			if old, ok := olds[k]; ok {
				news[k] = old
			} else if TypeKey(req.GetType()) == "authorization:RoleAssignment" {
				news[k] = resource.NewProperty(uuidFrom(req.GetUrn()))
			}
		}
	}
	resp := &pulumirpc.CheckResponse{}
	if !news.ContainsUnknowns() {
		obj, err := p.cloud.compute(req.GetType(), req.GetUrn(), req.GetName(), news)
		if err != nil {
			return nil, err
		}
		for _, fn := range []func(*op, *world) *AzureError{checkName, checkRequired} {
			if e := fn(&op{kind: opCreate, obj: obj}, nil); e != nil {
				resp.Failures = append(resp.Failures, &pulumirpc.CheckFailure{Reason: e.Error()})
			}
		}
	}
	if resp.Inputs, err = marshal(news); err != nil {
		return nil, err
	}
	return resp, nil
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
	replaceKeys := replaceKeysOf(req.GetType(), olds, news)
	var diffs, replaces []string
	for _, k := range unionKeys(olds, news) {
		if canon(olds[resource.PropertyKey(k)]) == canon(news[resource.PropertyKey(k)]) {
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

// replaceKeysOf is each package's replacement rule.
func replaceKeysOf(token string, olds, news resource.PropertyMap) map[string]bool {
	keys := map[string]bool{}
	switch {
	case strings.HasPrefix(token, "azure-native:"):
		for _, k := range ReplaceKeys(token) {
			keys[k] = true
		}
	case strings.HasPrefix(token, "random:"), token == "azuread:index/applicationPassword:ApplicationPassword":
		// Every input of these is ForceNew.
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
	b, _ := json.Marshal(plainValue(v, "\x00unknown"))
	return string(b)
}

// Create creates the resource in the cloud; in a preview, it returns the inputs.
func (p *Provider) Create(ctx context.Context, req *pulumirpc.CreateRequest) (*pulumirpc.CreateResponse, error) {
	news, err := unmarshal(req.GetProperties())
	if err != nil {
		return nil, err
	}
	if req.GetPreview() {
		return &pulumirpc.CreateResponse{Properties: req.GetProperties()}, nil
	}
	obj, err := p.cloud.Create(ctx, req.GetType(), req.GetUrn(), req.GetName(), news)
	if err != nil {
		return nil, azureStatus(err)
	}
	out, err := marshal(obj.Outputs)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.CreateResponse{Id: obj.ID, Properties: out}, nil
}

// Read returns the stored outputs, or no id when the resource is gone.
func (p *Provider) Read(_ context.Context, req *pulumirpc.ReadRequest) (*pulumirpc.ReadResponse, error) {
	obj := p.cloud.Read(req.GetId())
	if obj == nil {
		return &pulumirpc.ReadResponse{}, nil
	}
	out, err := marshal(obj.Outputs)
	if err != nil {
		return nil, err
	}
	inputs := req.GetInputs()
	if inputs == nil {
		if inputs, err = marshal(obj.Inputs); err != nil {
			return nil, err
		}
	}
	return &pulumirpc.ReadResponse{Id: obj.ID, Properties: out, Inputs: inputs}, nil
}

// Update applies the new inputs in the cloud under the same id.
func (p *Provider) Update(ctx context.Context, req *pulumirpc.UpdateRequest) (*pulumirpc.UpdateResponse, error) {
	news, err := unmarshal(req.GetNews())
	if err != nil {
		return nil, err
	}
	if req.GetPreview() {
		return p.previewUpdate(req, news)
	}
	olds, err := unmarshal(req.GetOldInputs())
	if err != nil {
		return nil, err
	}
	obj, err := p.cloud.Update(ctx, req.GetType(), req.GetUrn(), req.GetName(), req.GetId(), olds, news)
	if err != nil {
		return nil, azureStatus(err)
	}
	out, err := marshal(obj.Outputs)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.UpdateResponse{Properties: out}, nil
}

// previewUpdate answers as azure-native does: the new inputs, plus the old state's name and
// location, which an update cannot change, so that dependents see them known and a preview
// does not plan their replacement (pulumi-azure-native provider/pkg/provider/provider.go,
// Update: "stableOutputs").
func (p *Provider) previewUpdate(req *pulumirpc.UpdateRequest, news resource.PropertyMap) (*pulumirpc.UpdateResponse, error) {
	if !strings.HasPrefix(req.GetType(), "azure-native:") {
		return &pulumirpc.UpdateResponse{Properties: req.GetNews()}, nil
	}
	olds, err := unmarshal(req.GetOlds())
	if err != nil {
		return nil, err
	}
	out := news.Copy()
	for _, k := range []resource.PropertyKey{"name", "location"} {
		if v, ok := olds[k]; ok {
			out[k] = v
		}
	}
	props, err := marshal(out)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.UpdateResponse{Properties: props}, nil
}

// Delete deletes the resource from the cloud.
func (p *Provider) Delete(ctx context.Context, req *pulumirpc.DeleteRequest) (*emptypb.Empty, error) {
	olds, err := unmarshal(req.GetOldInputs())
	if err != nil {
		return nil, err
	}
	return &emptypb.Empty{}, azureStatus(p.cloud.Delete(ctx, req.GetType(), req.GetUrn(), req.GetId(), olds))
}

// Invoke answers the program's invokes.
func (p *Provider) Invoke(_ context.Context, req *pulumirpc.InvokeRequest) (*pulumirpc.InvokeResponse, error) {
	args, err := unmarshal(req.GetArgs())
	if err != nil {
		return nil, err
	}
	ret, err := p.cloud.Invoke(req.GetTok(), args)
	if err != nil {
		return nil, err
	}
	out, err := marshal(ret)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.InvokeResponse{Return: out}, nil
}

// Attach accepts the engine's address; the fake needs nothing from the engine.
func (p *Provider) Attach(context.Context, *pulumirpc.PluginAttach) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}

// Cancel has nothing to stop.
func (p *Provider) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}

// Servers are the in-process providers of one Cloud, one gRPC server per package.
type Servers struct {
	ports  map[string]int
	cancel []chan bool
}

// Serve starts a provider for each package (name -> version) over cloud, on loopback ports the
// kernel picks.
func Serve(cloud *Cloud, packages map[string]string) (*Servers, error) {
	s := &Servers{ports: map[string]int{}}
	for pkg, version := range packages {
		prov := NewProvider(cloud, pkg, version)
		cancel := make(chan bool)
		h, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
			Cancel: cancel,
			Init: func(srv *grpc.Server) error {
				pulumirpc.RegisterResourceProviderServer(srv, prov)
				return nil
			},
		})
		if err != nil {
			s.Stop()
			return nil, fmt.Errorf("fakeazure: serving %s: %w", pkg, err)
		}
		s.ports[pkg] = h.Port
		s.cancel = append(s.cancel, cancel)
	}
	return s, nil
}

// DebugProviders is the value of PULUMI_DEBUG_PROVIDERS that makes the CLI attach to these
// servers instead of launching plugins.
func (s *Servers) DebugProviders() string {
	var parts []string
	for pkg, port := range s.ports {
		parts = append(parts, fmt.Sprintf("%s:%d", pkg, port))
	}
	sort.Strings(parts)
	return strings.Join(parts, ",")
}

// Stop shuts the servers down.
func (s *Servers) Stop() {
	for _, c := range s.cancel {
		close(c)
	}
	s.cancel = nil
}
