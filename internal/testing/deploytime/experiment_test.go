package deploytime

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"azure-ml-security/internal/testing/fakeazure"
)

// The outbound-rule experiment: the same workspace, datastore targets and compute instance,
// made on the fake Azure with timing in two ways, and the two replayed:
//
//   - chained: the workspace provisions its managed network, then one ManagedNetworkSettingsRule
//     per target, one after another (a write to the managed network at a time), then the
//     compute instance, which waits for the rules (what components/datastores and
//     components/compute do);
//   - inline: the rules in the workspace's managedNetwork.outboundRules, written with the
//     provisioning; the targets must then exist before the workspace, and the compute
//     instance waits for the workspace only.
//
// The result is the model's: a provisioning makes the managed endpoints of all its rules in
// one pass (inlineRuleMinutes, an assumption), a separate rule write takes 2.5 min
// (Azure/terraform-provider-azapi#453), a compute instance holds the managed network while it
// is created.

const (
	expRG       = "rg-exp"
	approverDef = "/subscriptions/" + fakeazure.SubscriptionID + "/providers/Microsoft.Authorization/roleDefinitions/b556d68e-0be0-4f35-a333-ad7ee1ce17ea"
)

// experiment makes resources on a fake cloud one after another and records the program's
// order as a Pulumi state would.
type experiment struct {
	t     *testing.T
	cloud *fakeazure.Cloud
	state []StateResource
	ids   map[string]string // logical name -> id
}

func newExperiment(t *testing.T) *experiment {
	// A millisecond a minute: the replay, not the real time, gives the result. Roles act at
	// once here; the analysis applies the model's propagation.
	timing := &fakeazure.Timing{Scale: time.Millisecond}
	return &experiment{t: t, cloud: fakeazure.New(fakeazure.Options{Timing: timing}), ids: map[string]string{}}
}

func (e *experiment) urn(token, name string) string {
	return "urn:pulumi:exp::exp::" + token + "::" + name
}

// create makes a resource whose inputs are given as plain values, after deps (logical names).
func (e *experiment) create(token, name string, inputs map[string]any, deps ...string) string {
	e.t.Helper()
	obj, err := e.cloud.Create(context.Background(), token, e.urn(token, name), name, resource.NewPropertyMapFromMap(inputs))
	if err != nil {
		e.t.Fatalf("%s: %v", name, err)
	}
	r := StateResource{URN: e.urn(token, name), Custom: true, ID: obj.ID, Type: token}
	for _, d := range deps {
		for _, s := range e.state {
			if strings.HasSuffix(s.URN, "::"+d) {
				r.Dependencies = append(r.Dependencies, s.URN)
			}
		}
	}
	e.state = append(e.state, r)
	e.ids[name] = obj.ID
	return obj.ID
}

func (e *experiment) run() *Run {
	return &Run{Ops: e.cloud.Log(), After: e.state, Timing: e.cloud.Timing(), Propagation: fakeazure.DefaultTiming().Propagation}
}

// targets are the datastores' managed endpoints: the lake (dfs, blob), the blob account, SQL.
var targets = []struct{ rule, account, group string }{
	{"lake-dfs", "lake", "dfs"}, {"lake-blob", "lake", "blob"}, {"blob-blob", "blob", "blob"}, {"sql-server", "sql", "sqlServer"},
}

// base makes what the workspace needs and the datastore targets.
func (e *experiment) base() {
	e.create("azure-native:resources:ResourceGroup", "rg", map[string]any{"resourceGroupName": expRG, "location": "eastus2"})
	id := e.create("azure-native:managedidentity:UserAssignedIdentity", "identity", map[string]any{"resourceGroupName": expRG, "resourceName": "id-exp"}, "rg")
	principal := e.cloud.Get(id).Out("principalId")
	e.create("azure-native:authorization:RoleAssignment", "approver", map[string]any{
		"principalId": principal, "principalType": "ServicePrincipal", "roleDefinitionId": approverDef,
		"scope": "/subscriptions/" + fakeazure.SubscriptionID + "/resourceGroups/" + expRG, "roleAssignmentName": "7f5b3b0e-6a4e-4c39-9d53-000000000001",
	}, "identity", "rg")
	account := func(name, account string) {
		e.create("azure-native:storage:StorageAccount", name, map[string]any{"resourceGroupName": expRG, "accountName": account,
			"kind": "StorageV2", "sku": map[string]any{"name": "Standard_LRS"}}, "rg")
	}
	account("storage", "stexpws")
	account("lake", "stexplake")
	account("blob", "stexpblob")
	e.create("azure-native:keyvault:Vault", "vault", map[string]any{"resourceGroupName": expRG, "vaultName": "kv-exp-ws",
		"properties": map[string]any{"tenantId": fakeazure.TenantID, "sku": map[string]any{"name": "standard", "family": "A"}}}, "rg")
	e.create("azure-native:containerregistry:Registry", "registry", map[string]any{"resourceGroupName": expRG, "registryName": "crexpws",
		"sku": map[string]any{"name": "Premium"}}, "rg")
	e.create("azure-native:sql:Server", "sql", map[string]any{"resourceGroupName": expRG, "serverName": "sql-exp"}, "rg")
}

func (e *experiment) workspace(inline bool) {
	mn := map[string]any{"isolationMode": "AllowOnlyApprovedOutbound"}
	deps := []string{"identity", "approver", "storage", "vault", "registry"}
	if inline {
		rules := map[string]any{}
		for _, x := range targets {
			rules[x.rule] = map[string]any{"type": "PrivateEndpoint", "destination": map[string]any{"serviceResourceId": e.ids[x.account], "subresourceTarget": x.group}}
			deps = append(deps, x.account)
		}
		mn["outboundRules"] = rules
	}
	e.create("azure-native:machinelearningservices/v20241001preview:Workspace", "workspace", map[string]any{
		"resourceGroupName": expRG, "workspaceName": "mlw-exp",
		"identity":                    map[string]any{"type": "UserAssigned", "userAssignedIdentities": []any{e.ids["identity"]}},
		"primaryUserAssignedIdentity": e.ids["identity"],
		"storageAccount":              e.ids["storage"], "keyVault": e.ids["vault"], "containerRegistry": e.ids["registry"],
		"managedNetwork": mn, "provisionNetworkNow": true,
	}, deps...)
}

func (e *experiment) rules() {
	previous := "workspace"
	for _, x := range targets {
		e.create("azure-native:machinelearningservices/v20241001:ManagedNetworkSettingsRule", "rule-"+x.rule, map[string]any{
			"resourceGroupName": expRG, "workspaceName": "mlw-exp", "ruleName": x.rule,
			"properties": map[string]any{"type": "PrivateEndpoint", "destination": map[string]any{"serviceResourceId": e.ids[x.account], "subresourceTarget": x.group}},
		}, "workspace", "approver", previous)
		previous = "rule-" + x.rule
	}
}

func (e *experiment) compute(after string) {
	e.create("azure-native:machinelearningservices/v20241001preview:Compute", "compute", map[string]any{
		"resourceGroupName": expRG, "workspaceName": "mlw-exp", "computeName": "ci-exp",
		"properties": map[string]any{"computeType": "ComputeInstance", "properties": map[string]any{"vmSize": "Standard_DS11_v2"}},
	}, "workspace", after)
}

func analyze(t *testing.T, run *Run) *Report {
	t.Helper()
	rep, err := Analyze(run)
	if err != nil {
		t.Fatal(err)
	}
	if rep.LowerBound > rep.Wall+eps {
		t.Errorf("lower bound %.2f above the wall time %.2f", rep.LowerBound, rep.Wall)
	}
	return rep
}

// TestOutboundRulesInlineOrChained measures both ways and logs the comparison.
func TestOutboundRulesInlineOrChained(t *testing.T) {
	chained := newExperiment(t)
	chained.base()
	chained.workspace(false)
	chained.rules()
	chained.compute("rule-sql-server")
	inline := newExperiment(t)
	inline.base()
	inline.workspace(true)
	inline.compute("workspace")

	c, i := analyze(t, chained.run()), analyze(t, inline.run())
	// What the chained way would take if a compute instance did not hold the managed network
	// while it is created (the fake's assumption, see serial.go): the instance after the
	// workspace only, beside the rules.
	unlocked := chained.run()
	for k := range unlocked.Ops {
		if unlocked.Ops[k].Key == "machinelearningservices:Compute" {
			unlocked.Ops[k].Locks = nil
		}
	}
	for k := range unlocked.After {
		if strings.HasSuffix(unlocked.After[k].URN, "::compute") {
			unlocked.After[k].Dependencies = []string{chained.urn("azure-native:machinelearningservices/v20241001preview:Workspace", "workspace")}
		}
	}
	u := analyze(t, unlocked)

	var b strings.Builder
	fmt.Fprintf(&b, "%-58s %8s %8s %6s\n", "outbound rules", "wall", "LB", "ratio")
	for _, row := range []struct {
		name string
		rep  *Report
	}{{"chained ManagedNetworkSettingsRule resources (the program)", c}, {"inline managedNetwork.outboundRules", i}, {"chained, compute not serialised with rule writes", u}} {
		fmt.Fprintf(&b, "%-58s %8.2f %8.2f %6.2f\n", row.name, row.rep.Wall, row.rep.LowerBound, row.rep.Ratio())
	}
	fmt.Fprintln(&b, "chained:")
	WriteChain(&b, c.Critical)
	fmt.Fprintln(&b, "inline:")
	WriteChain(&b, i.Critical)
	t.Log("\n" + b.String())

	if i.Wall >= c.Wall {
		t.Errorf("inline rules (%.2f min) are not quicker than chained ones (%.2f min)", i.Wall, c.Wall)
	}
	// The chained way is bound by the writes on the managed network: the workspace's
	// provisioning, four rules and the instance, one after another.
	if want := 5.5 + 4*2.5 + 8; c.Wall < want {
		t.Errorf("chained: %.2f min, less than the %.2f min of serialised writes", c.Wall, want)
	}
	if !strings.Contains(c.LowerBoundWhy, "serialises") {
		t.Errorf("chained: the lower bound is not the managed network's writes: %s", c.LowerBoundWhy)
	}
}
