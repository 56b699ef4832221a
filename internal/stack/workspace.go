package stack

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/components/network"
	"azure-ml-security/components/workspace"
	"azure-ml-security/internal/azureml"
	"azure-ml-security/internal/settings"
)

func workspaceArgs(cfg *settings.Settings, b *base, net *network.Network) *workspace.WorkspaceArgs {
	return &workspace.WorkspaceArgs{
		ResourceGroupName:       b.rg.Name,
		ResourceGroupID:         b.rg.ID().ToStringOutput(),
		Location:                cfg.Location,
		SubscriptionID:          b.client.SubscriptionId,
		TenantID:                b.client.TenantId,
		Names:                   b.names,
		AllowedIPs:              cfg.AllowedIPs,
		Private:                 cfg.PrivateWorkspace,
		PrivateLink:             net.PrivateLink,
		IsolationMode:           cfg.IsolationMode,
		FirewallSku:             cfg.FirewallSku,
		ImageBuildCompute:       imageBuildCompute(cfg, b),
		Users:                   users(cfg, b),
		DataScientists:          workspaceUsers(cfg),
		LogAnalyticsWorkspaceID: b.logs.ID(),
		PrivateMonitoring:       cfg.MonitoringPrivate(),
		Egress:                  egress(cfg),
		Protect:                 cfg.ProtectData,
		Tags:                    b.tags,
	}
}

// egress are the managed network's FQDN rules (the configured ones and the profiles') and
// service-tag rules.
func egress(cfg *settings.Settings) workspace.Egress {
	e := workspace.Egress{FQDNs: cfg.Egress.AllFQDNs()}
	for _, t := range cfg.Egress.ServiceTags {
		e.ServiceTags = append(e.ServiceTags, azureml.ServiceTagOutboundRuleArgs{ServiceTag: t.ServiceTag, Protocol: t.Protocol, PortRanges: t.PortRanges})
	}
	return e
}

// imageBuildCompute is the compute that builds environment images: the compute instance when
// there is one, otherwise the build cluster (compute.ClusterArgs).
func imageBuildCompute(cfg *settings.Settings, b *base) pulumi.StringInput {
	if cfg.Compute.Create {
		return b.computeName
	}
	return pulumi.String(buildClusterName(cfg))
}

// buildClusterName is the image-build cluster's name: it ends in the workload, which starts
// with a letter, so it never ends in -<digits>.
func buildClusterName(cfg *settings.Settings) string { return "build-" + cfg.Workload }
