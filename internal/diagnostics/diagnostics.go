// Package diagnostics sends a resource's logs and metrics to Log Analytics: one diagnostic
// setting per resource, with the categories its type has. Each resource type's categories
// are listed at https://learn.microsoft.com/azure/azure-monitor/reference/supported-logs/logs-index
// and .../supported-metrics/metrics-index; a category the type does not have makes Azure
// refuse the whole setting ("Category 'X' is not supported").
package diagnostics

import (
	"github.com/pulumi/pulumi-azure-native-sdk/insights/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Kind is what one resource type sends. A setting names either category groups or single
// categories, never both ("If you do use category groups in a diagnostic setting, you can't
// select individual category types",
// https://learn.microsoft.com/azure/azure-monitor/platform/diagnostic-settings).
type Kind struct {
	LogGroups     []string
	LogCategories []string
	Metrics       []string
}

// The kinds of the program's resources.
var (
	// MLWorkspace: allLogs; its only metric category is AllMetrics.
	MLWorkspace = Kind{LogGroups: []string{"allLogs"}, Metrics: []string{"AllMetrics"}}
	// StorageAccount: the account itself has no logs, only the Transaction and Capacity
	// metric categories (Capacity cannot be exported), so Transaction.
	StorageAccount = Kind{Metrics: []string{"Transaction"}}
	// StorageService: the blob, file, queue and table services log StorageRead, StorageWrite
	// and StorageDelete; allLogs is what the Azure Verified Module for storage accounts sends.
	StorageService = Kind{LogGroups: []string{"allLogs"}, Metrics: []string{"Transaction"}}
	// KeyVault: AuditEvent and AzurePolicyEvaluationDetails; allLogs as in Microsoft's
	// diagnostic-settings example for a key vault.
	KeyVault = Kind{LogGroups: []string{"allLogs"}, Metrics: []string{"AllMetrics"}}
	// Registry: login and repository events.
	Registry = Kind{LogCategories: []string{"ContainerRegistryLoginEvents", "ContainerRegistryRepositoryEvents"}, Metrics: []string{"AllMetrics"}}
	// SQLDatabase: allLogs; its metric categories are Basic, InstanceAndAppAdvanced and
	// WorkloadManagement, of which Basic holds CPU, DTU, storage and connections.
	SQLDatabase = Kind{LogGroups: []string{"allLogs"}, Metrics: []string{"Basic"}}
	// SQLServerAudit goes on the server's master database, where server-level auditing to
	// Azure Monitor writes (sql ExtendedServerBlobAuditingPolicy, isAzureMonitorTargetEnabled:
	// "Diagnostic Settings with 'SQLSecurityAuditEvents' diagnostic logs category on the
	// database should be also created ... for server level audit you should use the 'master'
	// database").
	SQLServerAudit = Kind{LogCategories: []string{"SQLSecurityAuditEvents", "DevOpsOperationsAudit"}}
	// NetworkSecurityGroup: rule events and counters; an NSG has no metrics.
	NetworkSecurityGroup = Kind{LogCategories: []string{"NetworkSecurityGroupEvent", "NetworkSecurityGroupRuleCounter"}}
)

// SettingName is the name of every diagnostic setting of the program on its resource.
const SettingName = "to-log-analytics"

// Send creates the diagnostic setting of resourceURI to Log Analytics workspace workspaceID.
func Send(ctx *pulumi.Context, name string, resourceURI, workspaceID pulumi.StringInput, kind Kind, opts ...pulumi.ResourceOption) (*insights.DiagnosticSetting, error) {
	logs := insights.LogSettingsArray{}
	for _, g := range kind.LogGroups {
		logs = append(logs, insights.LogSettingsArgs{CategoryGroup: pulumi.String(g), Enabled: pulumi.Bool(true)})
	}
	for _, c := range kind.LogCategories {
		logs = append(logs, insights.LogSettingsArgs{Category: pulumi.String(c), Enabled: pulumi.Bool(true)})
	}
	metrics := insights.MetricSettingsArray{}
	for _, c := range kind.Metrics {
		metrics = append(metrics, insights.MetricSettingsArgs{Category: pulumi.String(c), Enabled: pulumi.Bool(true)})
	}
	args := &insights.DiagnosticSettingArgs{
		Name:        pulumi.String(SettingName),
		ResourceUri: resourceURI,
		WorkspaceId: workspaceID,
	}
	if len(logs) > 0 {
		args.Logs = logs
	}
	if len(metrics) > 0 {
		args.Metrics = metrics
	}
	return insights.NewDiagnosticSetting(ctx, name, args, opts...)
}
