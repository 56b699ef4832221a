package fakeazure

import (
	"context"
	"errors"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Tokens of the fragments (no API version: TypeKey strips it anyway).
const (
	tokRG        = "azure-native:resources:ResourceGroup"
	tokVNet      = "azure-native:network:VirtualNetwork"
	tokSubnet    = "azure-native:network:Subnet"
	tokNSG       = "azure-native:network:NetworkSecurityGroup"
	tokZone      = "azure-native:network:PrivateZone"
	tokLink      = "azure-native:network:VirtualNetworkLink"
	tokEndpoint  = "azure-native:network:PrivateEndpoint"
	tokZoneGroup = "azure-native:network:PrivateDnsZoneGroup"
	tokPIP       = "azure-native:network:PublicIPAddress"
	tokNIC       = "azure-native:network:NetworkInterface"
	tokVM        = "azure-native:compute:VirtualMachine"
	tokStorage   = "azure-native:storage:StorageAccount"
	tokBlobSvc   = "azure-native:storage:BlobServiceProperties"
	tokContainer = "azure-native:storage:BlobContainer"
	tokBlob      = "azure-native:storage:Blob"
	tokVault     = "azure-native:keyvault:Vault"
	tokRegistry  = "azure-native:containerregistry:Registry"
	tokLogs      = "azure-native:operationalinsights:Workspace"
	tokInsights  = "azure-native:insights:Component"
	tokRA        = "azure-native:authorization:RoleAssignment"
	tokIdentity  = "azure-native:managedidentity:UserAssignedIdentity"
	tokWorkspace = "azure-native:machinelearningservices:Workspace"
	tokCompute   = "azure-native:machinelearningservices:Compute"
	tokDatastore = "azure-native:machinelearningservices:Datastore"
	tokRule      = "azure-native:machinelearningservices:ManagedNetworkSettingsRule"
	tokSQL       = "azure-native:sql:Server"
	tokSQLDB     = "azure-native:sql:Database"
)

// Ids and role definitions the fragments use.
const (
	rgID         = "/subscriptions/" + SubscriptionID + "/resourceGroups/rg"
	roleDefs     = "/subscriptions/" + SubscriptionID + "/providers/Microsoft.Authorization/roleDefinitions/"
	approverRole = roleDefs + "b556d68e-0be0-4f35-a333-ad7ee1ce17ea" // Azure AI Enterprise Network Connection Approver
	readerRole   = roleDefs + "acdd72a7-3385-48ef-bd42-f606fba81ae7" // Reader
	callerIP     = "203.0.113.7"
	otherIP      = "198.51.100.20"
)

// in is a fragment's inputs.
type in = map[string]any

// res is one resource of a fragment: its token, logical name and inputs, and (in a plan) the
// logical names of the earlier resources it waits for.
type res struct {
	token, name string
	in          in
	deps        []string
}

// with returns a copy of r with other dependencies.
func (r res) with(deps ...string) res { r.deps = deps; return r }

// set returns a copy of r with the inputs changed at the given top-level keys.
func (r res) set(kv in) res {
	m := in{}
	for k, v := range r.in {
		m[k] = v
	}
	for k, v := range kv {
		m[k] = v
	}
	r.in = m
	return r
}

func testURN(token, name string) string { return "urn:pulumi:s::p::" + token + "::" + name }

// preview computes a resource's id and outputs without any cloud (for inputs that name it).
func preview(t *testing.T, r res) *Object {
	t.Helper()
	o, err := New(Options{}).compute(r.token, testURN(r.token, r.name), r.name, resource.NewPropertyMapFromMap(r.in))
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// Fragments shared by several cases.
var (
	resRG       = res{token: tokRG, name: "rg", in: in{"resourceGroupName": "rg", "location": "eastus2"}}
	resIdentity = res{token: tokIdentity, name: "identity", in: in{"resourceName": "id-ml", "resourceGroupName": "rg"}}
	resStorage  = res{token: tokStorage, name: "storage", in: in{"accountName": "stml01", "resourceGroupName": "rg", "kind": "StorageV2", "sku": in{"name": "Standard_LRS"}}}
	resVNet     = res{token: tokVNet, name: "vnet", in: in{"virtualNetworkName": "vnet-ml", "resourceGroupName": "rg", "addressSpace": in{"addressPrefixes": []any{"10.60.0.0/16"}}}}
	resSubnet   = res{token: tokSubnet, name: "subnet", in: in{"subnetName": "snet-pe", "virtualNetworkName": "vnet-ml", "resourceGroupName": "rg", "addressPrefix": "10.60.1.0/24"}}
	resVault    = res{token: tokVault, name: "vault", in: in{"vaultName": "kv-ml", "resourceGroupName": "rg",
		"properties": in{"tenantId": TenantID, "sku": in{"family": "A", "name": "standard"}, "enableSoftDelete": true}}}
)

// workspaceRes is a workspace with a managed network in mode (none when ""), with the
// identity above as its primary identity.
func workspaceRes(t *testing.T, mode string, extra in) res {
	r := res{token: tokWorkspace, name: "workspace", in: in{"workspaceName": "mlw-test", "resourceGroupName": "rg",
		"primaryUserAssignedIdentity": preview(t, resIdentity).ID}}
	if mode != "" {
		r.in["managedNetwork"] = in{"isolationMode": mode}
	}
	return r.set(extra)
}

// grantRes assigns role on scope to the identity above.
func grantRes(t *testing.T, name, role, scope string) res {
	return res{token: tokRA, name: name, in: in{"scope": scope, "principalId": preview(t, resIdentity).Out("principalId"),
		"principalType": PrincipalServicePrincipal, "roleDefinitionId": role}}
}

// ruleRes is an outbound rule of the workspace above.
func ruleRes(name string, props in) res {
	return res{token: tokRule, name: name, in: in{"ruleName": name, "workspaceName": "mlw-test", "resourceGroupName": "rg", "properties": props}}
}

var fqdnRule = in{"type": "FQDN", "category": "UserDefined", "destination": "pypi.org"}

// computeRes is a compute instance of the workspace above.
var computeRes = res{token: tokCompute, name: "compute", in: in{"computeName": "ci-ml", "workspaceName": "mlw-test", "resourceGroupName": "rg",
	"properties": in{"computeType": "ComputeInstance", "properties": in{"vmSize": "Standard_DS3_v2"}}}}

// ---- the plan path ----

// runPlan runs a program that registers rs in order under pulumi.WithMocks, each waiting
// (dependsOn) for its deps, and returns the monitor; a registration refused by the mocks fails
// the test.
func runPlan(t *testing.T, opts Options, rs ...res) *Monitor {
	t.Helper()
	m, err := RunMocked("p", "s", opts, func(ctx *pulumi.Context) error {
		byName := map[string]pulumi.Resource{}
		for _, r := range rs {
			var deps []pulumi.Resource
			for _, d := range r.deps {
				dep, ok := byName[d]
				if !ok {
					t.Errorf("%s waits for %s, which is not registered before it", r.name, d)
				}
				deps = append(deps, dep)
			}
			var state pulumi.CustomResourceState
			if err := ctx.RegisterResource(r.token, r.name, pulumi.ToMap(r.in), &state, pulumi.DependsOn(deps)); err != nil {
				return err
			}
			byName[r.name] = &state
		}
		return nil
	})
	if err != nil {
		t.Fatalf("the plan's registrations failed: %v", err)
	}
	return m
}

// planErr runs rs as a plan and returns its violations.
func planErr(t *testing.T, opts Options, rs ...res) error {
	t.Helper()
	return runPlan(t, opts, rs...).Err()
}

// register runs one registration through the Monitor as pulumi.WithMocks does, and returns
// its refusal (the judgement of a resource's own inputs: its name, its required inputs).
func register(r res) error {
	m := NewMonitor("p", "s", Options{})
	_, _, err := m.NewResource(pulumi.MockResourceArgs{TypeToken: r.token, Name: r.name, Inputs: resource.NewPropertyMapFromMap(r.in), Custom: true})
	return err
}

// ---- the engine path ----

// fake runs engine operations on one cloud for a test.
type fake struct {
	t *testing.T
	c *Cloud
}

func newFake(t *testing.T, opts Options) *fake { return &fake{t: t, c: New(opts)} }

func (f *fake) create(r res) (*Object, error) {
	return f.c.Create(context.Background(), r.token, testURN(r.token, r.name), r.name, resource.NewPropertyMapFromMap(r.in))
}

// must creates what a fragment needs; its refusal fails the test.
func (f *fake) must(rs ...res) *Object {
	f.t.Helper()
	var last *Object
	for _, r := range rs {
		o, err := f.create(r)
		if err != nil {
			f.t.Fatalf("setup: create %s %s: %v", r.token, r.name, err)
		}
		last = o
	}
	return last
}

func (f *fake) update(o *Object, r res) (*Object, error) {
	return f.c.Update(context.Background(), o.Token, o.URN, r.name, o.ID, o.Inputs, resource.NewPropertyMapFromMap(r.in))
}

func (f *fake) delete(o *Object) error {
	return f.c.Delete(context.Background(), o.Token, o.URN, o.ID, o.Inputs)
}

// mustDelete deletes what a fragment no longer needs; its refusal fails the test.
func (f *fake) mustDelete(o *Object) {
	f.t.Helper()
	if err := f.delete(o); err != nil {
		f.t.Fatalf("setup: delete %s: %v", o.ID, err)
	}
}

// errOf turns a possibly nil *AzureError into an error that is nil when it is.
func errOf(e *AzureError) error {
	if e == nil {
		return nil
	}
	return e
}

// joinRefusals joins the refusals of several breaking fragments, reporting any that was
// accepted (errors.Join would drop it silently).
func joinRefusals(t *testing.T, what []string, errs ...error) error {
	t.Helper()
	for i, err := range errs {
		if err == nil {
			t.Errorf("the breaking fragment %s was accepted", what[i])
		}
	}
	return errors.Join(errs...)
}
