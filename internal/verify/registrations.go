package verify

import (
	"context"
	"fmt"
	"strings"
)

func (v *Verifier) checkDatastores(ctx context.Context) []Result {
	if len(v.spec.Datastores) == 0 {
		return []Result{skip(CheckDatastores, "the stack registers no datastore")}
	}
	stores, err := list[datastore](ctx, v, v.workspaceID()+"/datastores", apiMLStable)
	if err != nil {
		return []Result{v.errorResult(CheckDatastores, "list the workspace's datastores", err)}
	}
	byName := map[string]datastore{}
	for _, d := range stores {
		byName[strings.ToLower(d.Name)] = d
	}
	var findings []string
	for _, want := range v.spec.Datastores {
		got, ok := byName[strings.ToLower(want.Name)]
		if !ok {
			findings = append(findings, fmt.Sprintf("datastore %s does not exist", want.Name))
			continue
		}
		p := got.Properties
		if !strings.EqualFold(p.DatastoreType, want.Type) {
			findings = append(findings, fmt.Sprintf("datastore %s is of type %s, the stack registers %s", want.Name, orNone(p.DatastoreType), want.Type))
		}
		if want.Account != "" && !strings.EqualFold(p.AccountName, want.Account) {
			findings = append(findings, fmt.Sprintf("datastore %s points to account %s, the stack registers %s", want.Name, orNone(p.AccountName), want.Account))
		}
		if want.Container != "" && got.container() != want.Container {
			findings = append(findings, fmt.Sprintf("datastore %s points to container %s, the stack registers %s", want.Name, orNone(got.container()), want.Container))
		}
		if !strings.EqualFold(p.Credentials.CredentialsType, want.CredentialsType) {
			findings = append(findings, fmt.Sprintf("datastore %s authenticates with %s, the stack registers %s", want.Name, orNone(p.Credentials.CredentialsType), authLabel(want.CredentialsType)))
		}
	}
	if len(findings) > 0 {
		return []Result{fail(CheckDatastores, findings, "run `pulumi up --refresh` to register them again as the stack declares (a datastore edited in studio is overwritten)")}
	}
	names := make([]string, 0, len(v.spec.Datastores))
	for _, d := range v.spec.Datastores {
		names = append(names, fmt.Sprintf("%s (%s, %s)", d.Name, d.Type, authLabel(d.CredentialsType)))
	}
	return []Result{pass(CheckDatastores, strings.Join(names, ", ")+" registered as declared")}
}

// authLabel spells a datastore credentials type for people: None is identity-based access
// (https://learn.microsoft.com/azure/machine-learning/how-to-datastore).
func authLabel(credentialsType string) string {
	if strings.EqualFold(credentialsType, "None") {
		return "None: identity-based"
	}
	return credentialsType
}

func (v *Verifier) checkConnections(ctx context.Context) []Result {
	if len(v.spec.Connections) == 0 {
		return []Result{skip(CheckConnections, "the stack makes no workspace connection")}
	}
	conns, err := list[connection](ctx, v, v.workspaceID()+"/connections", apiMLStable)
	if err != nil {
		return []Result{v.errorResult(CheckConnections, "list the workspace's connections", err)}
	}
	byName := map[string]connection{}
	for _, c := range conns {
		byName[strings.ToLower(c.Name)] = c
	}
	var findings []string
	for _, want := range v.spec.Connections {
		got, ok := byName[strings.ToLower(want.Name)]
		if !ok {
			findings = append(findings, fmt.Sprintf("connection %s does not exist", want.Name))
			continue
		}
		p := got.Properties
		if !strings.EqualFold(p.Category, want.Category) {
			findings = append(findings, fmt.Sprintf("connection %s is of category %s, the stack makes %s", want.Name, orNone(p.Category), want.Category))
		}
		if !strings.EqualFold(p.AuthType, want.AuthType) {
			findings = append(findings, fmt.Sprintf("connection %s authenticates with %s, the stack makes %s", want.Name, orNone(p.AuthType), want.AuthType))
		}
		// The SQL target is an ADO.NET connection string (components/datastores/registration.go).
		target := strings.ToLower(p.Target)
		if want.Server != "" && !strings.Contains(target, strings.ToLower(want.Server)) {
			findings = append(findings, fmt.Sprintf("connection %s targets %q, not server %s", want.Name, p.Target, want.Server))
		}
		if want.Database != "" && !strings.Contains(target, "database="+strings.ToLower(want.Database)) {
			findings = append(findings, fmt.Sprintf("connection %s targets %q, not database %s", want.Name, p.Target, want.Database))
		}
	}
	if len(findings) > 0 {
		return []Result{fail(CheckConnections, findings, "run `pulumi up --refresh` to make the connections again as the stack declares")}
	}
	names := make([]string, 0, len(v.spec.Connections))
	for _, c := range v.spec.Connections {
		names = append(names, fmt.Sprintf("%s (%s, %s)", c.Name, c.Category, c.AuthType))
	}
	return []Result{pass(CheckConnections, strings.Join(names, ", ")+" as declared")}
}

// checkIdleShutdown: a compute instance without idle shutdown bills until someone stops it;
// properties.properties.idleTimeBeforeShutdown is where Azure keeps it (PSRule
// Azure.ML.ComputeIdleShutdown, https://azure.github.io/PSRule.Rules.Azure/en/rules/Azure.ML.ComputeIdleShutdown/).
func (v *Verifier) checkIdleShutdown(ctx context.Context) []Result {
	ci := v.spec.ComputeInstance
	if ci == nil {
		return []Result{skip(CheckIdleShutdown, "the stack has no compute instance")}
	}
	c, err := get[compute](ctx, v, v.workspaceID()+"/computes/"+ci.Name, v.workspaceAPI())
	if isNotFound(err) {
		return []Result{fail(CheckIdleShutdown, []string{"compute instance " + ci.Name + " does not exist"}, "run `pulumi up --refresh` to create it again")}
	}
	if err != nil {
		return []Result{v.errorResult(CheckIdleShutdown, "read compute instance "+ci.Name, err)}
	}
	idle := c.Properties.Properties.IdleTimeBeforeShutdown
	switch {
	case idle == "":
		return []Result{fail(CheckIdleShutdown, []string{"compute instance " + ci.Name + " has no idle shutdown: it bills until stopped by hand"},
			"run `pulumi up --refresh` (the stack sets computeInstanceIdleTimeBeforeShutdown), or set it in studio under the instance's Schedules")}
	case ci.IdleTimeBeforeShutdown != "" && !strings.EqualFold(idle, ci.IdleTimeBeforeShutdown):
		return []Result{fail(CheckIdleShutdown, []string{fmt.Sprintf("compute instance %s stops after %s idle, the stack sets %s", ci.Name, idle, ci.IdleTimeBeforeShutdown)},
			"run `pulumi up --refresh` to set it back, or change computeInstanceIdleTimeBeforeShutdown in the stack's configuration")}
	}
	return []Result{pass(CheckIdleShutdown, fmt.Sprintf("compute instance %s stops after %s idle (now %s)", ci.Name, idle, orDefault(c.Properties.Properties.State, "state unknown")))}
}
