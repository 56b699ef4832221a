package stack

import (
	"github.com/pulumi/pulumi-azure-native-sdk/operationalinsights/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/internal/settings"
)

// newLogs creates the Log Analytics workspace every component sends its diagnostics to. It
// belongs to no component because all of them use it, the network's security group first,
// before the workspace component exists. With private monitoring, ingestion and queries from
// public networks are off: Log Analytics ingestion uses resource-specific endpoints that the
// Private Link Scope's access modes do not cover
// (https://learn.microsoft.com/azure/azure-monitor/logs/private-link-design).
//
// Earlier versions made it as the workspace component's child "logs", later "workspace-logs";
// the aliases keep their stacks' Log Analytics workspace, and its data, in place.
//
// Its name carries the stack's random suffix: a deleted Log Analytics workspace keeps its name
// for 14 days, and creating it again succeeds only in the same resource group ("The name is
// kept for 14 days and cannot be used for another workspace",
// https://learn.microsoft.com/rest/api/loganalytics/workspaces/delete), while a stack created
// again after `pulumi destroy` gets a new resource group. Earlier versions named it
// log-<workload>; ignoring changes to the name keeps their workspace rather than replacing it
// (the name is part of its id).
func newLogs(ctx *pulumi.Context, cfg *settings.Settings, b *base) (*operationalinsights.Workspace, error) {
	access := pulumi.String(string(operationalinsights.PublicNetworkAccessTypeEnabled))
	if cfg.MonitoringPrivate() {
		access = pulumi.String(string(operationalinsights.PublicNetworkAccessTypeDisabled))
	}
	formerParent := pulumi.CreateURN(pulumi.String("workspace"), pulumi.String("azure-ml-security:components:Workspace"), nil,
		pulumi.String(ctx.Project()), pulumi.String(ctx.Stack()))
	return operationalinsights.NewWorkspace(ctx, "log-analytics", &operationalinsights.WorkspaceArgs{
		WorkspaceName:                   b.names.Dashed("log"),
		ResourceGroupName:               b.rg.Name,
		Location:                        pulumi.String(cfg.Location),
		Sku:                             &operationalinsights.WorkspaceSkuArgs{Name: pulumi.String(string(operationalinsights.WorkspaceSkuNameEnumPerGB2018))},
		RetentionInDays:                 pulumi.Int(30),
		PublicNetworkAccessForIngestion: access,
		PublicNetworkAccessForQuery:     access,
		Tags:                            b.tags,
	}, pulumi.Aliases([]pulumi.Alias{
		{Name: pulumi.String("workspace-logs"), ParentURN: formerParent},
		{Name: pulumi.String("logs"), ParentURN: formerParent},
	}), pulumi.IgnoreChanges([]string{"workspaceName"}))
}
