package fakeazure

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/structpb"
)

func props(t *testing.T, m map[string]any) *structpb.Struct {
	t.Helper()
	s, err := marshal(resource.NewPropertyMapFromMap(m))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestDiffFollowsEachPackagesReplacementRule(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name, pkg, token string
		olds, news       map[string]any
		changes          pulumirpc.DiffResponse_DiffChanges
		replaces         []string
	}{
		{"azure-native same", "azure-native", "azure-native:storage:StorageAccount",
			map[string]any{"accountName": "st1", "resourceGroupName": "rg", "publicNetworkAccess": "Enabled"},
			map[string]any{"accountName": "st1", "resourceGroupName": "rg", "publicNetworkAccess": "Enabled"},
			pulumirpc.DiffResponse_DIFF_NONE, nil},
		{"azure-native body change updates", "azure-native", "azure-native:storage:StorageAccount",
			map[string]any{"accountName": "st1", "resourceGroupName": "rg", "publicNetworkAccess": "Enabled"},
			map[string]any{"accountName": "st1", "resourceGroupName": "rg", "publicNetworkAccess": "Disabled"},
			pulumirpc.DiffResponse_DIFF_SOME, nil},
		{"azure-native name change replaces", "azure-native", "azure-native:storage:StorageAccount",
			map[string]any{"accountName": "st1", "resourceGroupName": "rg"},
			map[string]any{"accountName": "st2", "resourceGroupName": "rg"},
			pulumirpc.DiffResponse_DIFF_SOME, []string{"accountName"}},
		{"azure-native parent name replaces a child", "azure-native", "azure-native:machinelearningservices/v20241001:Datastore",
			map[string]any{"name": "blobs", "workspaceName": "w1", "resourceGroupName": "rg"},
			map[string]any{"name": "blobs", "workspaceName": "w2", "resourceGroupName": "rg"},
			pulumirpc.DiffResponse_DIFF_SOME, []string{"workspaceName"}},
		{"random input change replaces", "random", "random:index/randomString:RandomString",
			map[string]any{"length": 6}, map[string]any{"length": 8},
			pulumirpc.DiffResponse_DIFF_SOME, []string{"length"}},
		{"azuread display name updates", "azuread", "azuread:index/application:Application",
			map[string]any{"displayName": "a"}, map[string]any{"displayName": "b"},
			pulumirpc.DiffResponse_DIFF_SOME, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := NewProvider(New(Options{}), c.pkg, "1.0.0")
			resp, err := p.Diff(ctx, &pulumirpc.DiffRequest{Type: c.token, OldInputs: props(t, c.olds), News: props(t, c.news)})
			if err != nil {
				t.Fatal(err)
			}
			if resp.Changes != c.changes || !slices.Equal(resp.Replaces, c.replaces) {
				t.Errorf("changes %v replaces %v, want %v %v", resp.Changes, resp.Replaces, c.changes, c.replaces)
			}
			if resp.DeleteBeforeReplace != (len(c.replaces) > 0 && c.pkg == "azure-native") {
				t.Errorf("deleteBeforeReplace = %v", resp.DeleteBeforeReplace)
			}
		})
	}
}

func TestSecretsCompareByValue(t *testing.T) {
	p := NewProvider(New(Options{}), "azure-native", "2.90.0")
	old := resource.PropertyMap{"administratorLoginPassword": resource.MakeSecret(resource.NewProperty("a")), "serverName": resource.NewProperty("s")}
	same := old.Copy()
	changed := resource.PropertyMap{"administratorLoginPassword": resource.MakeSecret(resource.NewProperty("b")), "serverName": resource.NewProperty("s")}
	o, _ := marshal(old)
	for news, want := range map[*resource.PropertyMap]pulumirpc.DiffResponse_DiffChanges{&same: pulumirpc.DiffResponse_DIFF_NONE, &changed: pulumirpc.DiffResponse_DIFF_SOME} {
		n, _ := marshal(*news)
		resp, err := p.Diff(context.Background(), &pulumirpc.DiffRequest{Type: "azure-native:sql:Server", OldInputs: o, News: n})
		if err != nil || resp.Changes != want {
			t.Errorf("secret diff = %v, %v; want %v", resp.GetChanges(), err, want)
		}
	}
}

// TestCreateReadDelete: Create stores ARM-shaped ids and outputs that Read returns until
// Delete; a second Create of the same Azure resource is refused like ARM refuses it.
func TestCreateReadDelete(t *testing.T) {
	ctx := context.Background()
	cloud := New(Options{})
	p := NewProvider(cloud, "azure-native", "2.90.0")
	in := props(t, map[string]any{"resourceName": "id-x", "resourceGroupName": "rg", "location": "eastus2"})
	urn := "urn:pulumi:dev::p::azure-native:managedidentity:UserAssignedIdentity::identity"
	created, err := p.Create(ctx, &pulumirpc.CreateRequest{Urn: urn, Type: "azure-native:managedidentity:UserAssignedIdentity", Name: "identity", Properties: in})
	if err != nil {
		t.Fatal(err)
	}
	if want := "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-x"; created.Id != want {
		t.Errorf("id %s, want %s", created.Id, want)
	}
	out, _ := unmarshal(created.Properties)
	if !out["principalId"].IsString() || out["principalId"].StringValue() == "" {
		t.Error("no principalId output")
	}
	if _, err := p.Create(ctx, &pulumirpc.CreateRequest{Urn: urn, Type: "azure-native:managedidentity:UserAssignedIdentity", Name: "identity", Properties: in}); err == nil || !strings.Contains(err.Error(), "cannot create already existing resource") {
		t.Errorf("creating an existing resource: %v", err)
	}
	reopened := NewProvider(cloud, "azure-native", "2.90.0") // another package's provider shares the cloud
	read, err := reopened.Read(ctx, &pulumirpc.ReadRequest{Id: created.Id, Urn: urn})
	if err != nil || read.Id != created.Id {
		t.Fatalf("read %v, %v", read, err)
	}
	if _, err := reopened.Delete(ctx, &pulumirpc.DeleteRequest{Id: created.Id}); err != nil {
		t.Fatal(err)
	}
	if gone, _ := reopened.Read(ctx, &pulumirpc.ReadRequest{Id: created.Id}); gone.Id != "" {
		t.Error("deleted resource still reads")
	}
}

func TestCheckNamesRoleAssignmentsOnce(t *testing.T) {
	p := NewProvider(New(Options{}), "azure-native", "2.90.0")
	urn := "urn:pulumi:dev::p::azure-native:authorization:RoleAssignment::grant"
	req := &pulumirpc.CheckRequest{Urn: urn, Type: "azure-native:authorization:RoleAssignment", Name: "grant",
		News: props(t, map[string]any{"scope": "/s", "principalId": "p", "roleDefinitionId": "/r"})}
	first, err := p.Check(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := p.Check(context.Background(), req)
	a, _ := unmarshal(first.Inputs)
	b, _ := unmarshal(again.Inputs)
	if !a["roleAssignmentName"].IsString() || a["roleAssignmentName"].StringValue() != b["roleAssignmentName"].StringValue() {
		t.Errorf("role assignment name not stable: %v vs %v", a["roleAssignmentName"], b["roleAssignmentName"])
	}
}

// TestUnmodelledTypeFailsByName: a type the model does not describe fails, naming the type and
// the file to teach, instead of getting a made-up id.
func TestUnmodelledTypeFailsByName(t *testing.T) {
	_, err := RunMocked("p", "s", Options{}, func(ctx *pulumi.Context) error {
		var res pulumi.CustomResourceState
		return ctx.RegisterResource("azure-native:network:ApplicationGateway", "agw", pulumi.Map{"resourceGroupName": pulumi.String("rg")}, &res)
	})
	if err == nil || !strings.Contains(err.Error(), "network:ApplicationGateway") || !strings.Contains(err.Error(), "fakeazure/types.go") {
		t.Errorf("an unmodelled type: %v", err)
	}
	p := NewProvider(New(Options{}), "azure-native", "2.90.0")
	if _, err := p.Check(context.Background(), &pulumirpc.CheckRequest{Type: "azure-native:network:ApplicationGateway", News: props(t, map[string]any{})}); err == nil {
		t.Error("the provider checks an unmodelled type")
	}
}
