package workspace

import (
	"github.com/pulumi/pulumi-azure-native-sdk/authorization/v2"
	"github.com/pulumi/pulumi-azure-native-sdk/insights/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/internal/logical"
	"azure-ml-security/internal/rbac"
)

// newPrivateMonitoring puts Log Analytics and Application Insights in an Azure Monitor Private
// Link Scope and returns its id once both are in it; the endpoint to it is a row of the
// private-endpoint table (group azuremonitor, five zones). Both access modes are PrivateOnly:
// the VNet reaches only the monitoring resources in the scope, and, with the resources' own
// public ingestion and query off, nothing outside the network reads or writes them
// (https://learn.microsoft.com/azure/azure-monitor/logs/private-link-design). A VNet and its
// DNS take one scope: a landing zone whose hub owns it sets privateMonitoring false.
//
// The managed network reaches the scope through a private-endpoint rule too, which the
// workspace identity must approve. The approver role is documented for "Azure AI common
// dependency resources", a list that does not show Azure Monitor, so the identity gets
// Contributor on the scope alone; it is granted as soon as the scope exists, long before the
// rule is written after the workspace, so that it is in effect by then (role assignments take
// up to 10 minutes, https://learn.microsoft.com/azure/role-based-access-control/troubleshooting).
func newPrivateMonitoring(ctx *pulumi.Context, names logical.Names, args *WorkspaceArgs, mon *monitoring, identity pulumi.StringOutput) (*privateMonitoring, error) {
	scope, err := insights.NewPrivateLinkScope(ctx, names.Name("monitor-scope"), &insights.PrivateLinkScopeArgs{
		ScopeName:         pulumi.String(args.Names.Plain("ampls")),
		ResourceGroupName: args.ResourceGroupName,
		Location:          pulumi.String("global"),
		AccessModeSettings: &insights.AccessModeSettingsArgs{
			IngestionAccessMode: pulumi.String(string(insights.AccessModePrivateOnly)),
			QueryAccessMode:     pulumi.String(string(insights.AccessModePrivateOnly)),
		},
		Tags: args.Tags,
	}, names.Parented()...)
	if err != nil {
		return nil, err
	}
	approver, err := rbac.Assign(ctx, names.Name("identity-monitor-scope-contributor"), args.SubscriptionID, rbac.Grant{
		Scope: scope.ID(), Role: rbac.Contributor, PrincipalID: identity, PrincipalType: rbac.PrincipalServicePrincipal,
	}, names.Parented()...)
	if err != nil {
		return nil, err
	}
	members := []pulumi.Resource{scope}
	for _, m := range []struct {
		name string
		id   pulumi.StringInput
	}{
		{"logs", args.LogAnalyticsWorkspaceID},
		{"insights", mon.insights.ID()},
	} {
		r, err := insights.NewPrivateLinkScopedResource(ctx, names.Name("monitor-scope-"+m.name), &insights.PrivateLinkScopedResourceArgs{
			Name:              pulumi.String(m.name),
			ScopeName:         scope.Name,
			ResourceGroupName: args.ResourceGroupName,
			LinkedResourceId:  m.id,
		}, names.Parented()...)
		if err != nil {
			return nil, err
		}
		members = append(members, r)
	}
	id := pulumi.All(scope.ID(), pulumi.All(resourceIDs(members)...)).ApplyT(func(v []any) string {
		return string(v[0].(pulumi.ID))
	}).(pulumi.StringOutput)
	return &privateMonitoring{scopeID: id, approver: approver}, nil
}

// privateMonitoring is the Private Link Scope, by id once Log Analytics and Application
// Insights are in it, and the grant that lets the workspace identity approve an endpoint to it.
type privateMonitoring struct {
	scopeID  pulumi.StringOutput
	approver *authorization.RoleAssignment
}

func resourceIDs(rs []pulumi.Resource) []any {
	var out []any
	for _, r := range rs {
		if c, ok := r.(pulumi.CustomResource); ok {
			out = append(out, c.ID())
		}
	}
	return out
}
