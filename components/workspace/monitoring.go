package workspace

import (
	"github.com/pulumi/pulumi-azure-native-sdk/insights/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/internal/azureml"
	"azure-ml-security/internal/diagnostics"
	"azure-ml-security/internal/logical"
)

type monitoring struct {
	insights *insights.Component
}

// newMonitoring creates the workspace-based Application Insights on the stack's Log Analytics
// workspace (classic Application Insights is retired). With private monitoring, its public
// ingestion and query access are off: "To fully secure workspace-based Application Insights,
// you need to lock down both access to Application Insights resource as well as the
// underlying Log Analytics workspace" (https://learn.microsoft.com/azure/azure-monitor/logs/private-link-design).
func newMonitoring(ctx *pulumi.Context, names logical.Names, args *WorkspaceArgs) (*monitoring, error) {
	access := pulumi.String(string(insights.PublicNetworkAccessTypeEnabled))
	if args.Private && args.PrivateMonitoring {
		access = pulumi.String(string(insights.PublicNetworkAccessTypeDisabled))
	}
	ai, err := insights.NewComponent(ctx, names.Name("app-insights"), &insights.ComponentArgs{
		ResourceName:                    pulumi.String(args.Names.Plain("appi")),
		ResourceGroupName:               args.ResourceGroupName,
		Location:                        pulumi.String(args.Location),
		Kind:                            pulumi.String("web"),
		ApplicationType:                 pulumi.String(string(insights.ApplicationTypeWeb)),
		IngestionMode:                   pulumi.String(string(insights.IngestionModeLogAnalytics)),
		WorkspaceResourceId:             args.LogAnalyticsWorkspaceID,
		PublicNetworkAccessForIngestion: access,
		PublicNetworkAccessForQuery:     access,
		Tags:                            args.Tags,
	}, names.Opts("app-insights")...)
	if err != nil {
		return nil, err
	}
	return &monitoring{insights: ai}, nil
}

// newDiagnostics sends the logs and metrics of the workspace, its key vault and its registry to
// Log Analytics (the storage account sends its own, internal/securestorage).
func newDiagnostics(ctx *pulumi.Context, names logical.Names, args *WorkspaceArgs, ws *azureml.Workspace, deps *dependencies) error {
	for _, d := range []struct {
		name string
		uri  pulumi.StringInput
		kind diagnostics.Kind
	}{
		{"diagnostics", ws.ID(), diagnostics.MLWorkspace},
		{"key-vault-diagnostics", deps.vault.ID(), diagnostics.KeyVault},
		{"registry-diagnostics", deps.registry.ID(), diagnostics.Registry},
	} {
		if _, err := diagnostics.Send(ctx, names.Name(d.name), d.uri, args.LogAnalyticsWorkspaceID, d.kind, names.Parented()...); err != nil {
			return err
		}
	}
	return nil
}
