package workspace

import (
	"github.com/pulumi/pulumi-azure-native-sdk/insights/v2"
	"github.com/pulumi/pulumi-azure-native-sdk/operationalinsights/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/internal/azureml"
	"azure-ml-security/internal/logical"
)

type monitoring struct {
	logs     *operationalinsights.Workspace
	insights *insights.Component
}

// newMonitoring creates Log Analytics and a workspace-based Application Insights (classic
// Application Insights is retired).
func newMonitoring(ctx *pulumi.Context, names logical.Names, args *WorkspaceArgs) (*monitoring, error) {
	logs, err := operationalinsights.NewWorkspace(ctx, names.Name("logs"), &operationalinsights.WorkspaceArgs{
		WorkspaceName:     pulumi.String(args.Names.Plain("log")),
		ResourceGroupName: args.ResourceGroupName,
		Location:          pulumi.String(args.Location),
		Sku:               &operationalinsights.WorkspaceSkuArgs{Name: pulumi.String(string(operationalinsights.WorkspaceSkuNameEnumPerGB2018))},
		RetentionInDays:   pulumi.Int(30),
		Tags:              args.Tags,
	}, names.Opts("logs")...)
	if err != nil {
		return nil, err
	}
	ai, err := insights.NewComponent(ctx, names.Name("app-insights"), &insights.ComponentArgs{
		ResourceName:        pulumi.String(args.Names.Plain("appi")),
		ResourceGroupName:   args.ResourceGroupName,
		Location:            pulumi.String(args.Location),
		Kind:                pulumi.String("web"),
		ApplicationType:     pulumi.String(string(insights.ApplicationTypeWeb)),
		IngestionMode:       pulumi.String(string(insights.IngestionModeLogAnalytics)),
		WorkspaceResourceId: logs.ID(),
		Tags:                args.Tags,
	}, names.Opts("app-insights")...)
	if err != nil {
		return nil, err
	}
	return &monitoring{logs: logs, insights: ai}, nil
}

// newDiagnostics sends the workspace's logs and metrics to Log Analytics.
func newDiagnostics(ctx *pulumi.Context, names logical.Names, ws *azureml.Workspace, mon *monitoring) error {
	_, err := insights.NewDiagnosticSetting(ctx, names.Name("diagnostics"), &insights.DiagnosticSettingArgs{
		Name:        pulumi.String("to-log-analytics"),
		ResourceUri: ws.ID(),
		WorkspaceId: mon.logs.ID(),
		Logs: insights.LogSettingsArray{
			insights.LogSettingsArgs{CategoryGroup: pulumi.String("allLogs"), Enabled: pulumi.Bool(true)},
		},
		Metrics: insights.MetricSettingsArray{
			insights.MetricSettingsArgs{Category: pulumi.String("AllMetrics"), Enabled: pulumi.Bool(true)},
		},
	}, names.Parented()...)
	return err
}
