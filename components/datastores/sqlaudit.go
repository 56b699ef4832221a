package datastores

import (
	"github.com/pulumi/pulumi-azure-native-sdk/sql/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/internal/diagnostics"
)

// auditSQL sends the database's logs and metrics to Log Analytics, audits the server to Log
// Analytics and turns on Microsoft Defender for SQL's threat detection on it:
//   - server auditing to Azure Monitor is an auditing policy with isAzureMonitorTargetEnabled
//     and no storage target, plus a diagnostic setting with SQLSecurityAuditEvents on the
//     server's master database (sql ExtendedServerBlobAuditingPolicy: "for server level audit
//     you should use the 'master' database"). The audit category of the database's own
//     setting "does not activate auditing"
//     (https://learn.microsoft.com/azure/azure-monitor/platform/diagnostic-settings);
//   - the server's security alert policy is Defender for SQL's threat detection at resource
//     level; the subscription's Defender plan (Microsoft.Security/pricings SqlServers) is the
//     platform team's to set.
func auditSQL(ctx *pulumi.Context, w *wiring, server *sql.Server, db *sql.Database) error {
	law := w.args.LogAnalyticsWorkspaceID
	if _, err := diagnostics.Send(ctx, w.names.Name("sql-database-diagnostics"), db.ID(), law, diagnostics.SQLDatabase, w.names.Parented()...); err != nil {
		return err
	}
	master := pulumi.Sprintf("%s/databases/master", server.ID())
	auditLogs, err := diagnostics.Send(ctx, w.names.Name("sql-audit-diagnostics"), master, law, diagnostics.SQLServerAudit, w.names.Parented()...)
	if err != nil {
		return err
	}
	if _, err := sql.NewExtendedServerBlobAuditingPolicy(ctx, w.names.Name("sql-auditing"), &sql.ExtendedServerBlobAuditingPolicyArgs{
		BlobAuditingPolicyName:      pulumi.String("default"),
		ServerName:                  server.Name,
		ResourceGroupName:           w.args.ResourceGroupName,
		State:                       sql.BlobAuditingPolicyStateEnabled,
		IsAzureMonitorTargetEnabled: pulumi.Bool(true),
		IsDevopsAuditEnabled:        pulumi.Bool(true),
	}, w.names.Parented(pulumi.DependsOn([]pulumi.Resource{auditLogs}))...); err != nil {
		return err
	}
	_, err = sql.NewServerSecurityAlertPolicy(ctx, w.names.Name("sql-threat-detection"), &sql.ServerSecurityAlertPolicyArgs{
		SecurityAlertPolicyName: pulumi.String("Default"),
		ServerName:              server.Name,
		ResourceGroupName:       w.args.ResourceGroupName,
		State:                   sql.SecurityAlertsPolicyStateEnabled,
	}, w.names.Parented()...)
	return err
}
