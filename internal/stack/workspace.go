package stack

import (
	"azure-ml-security/components/network"
	"azure-ml-security/components/workspace"
	"azure-ml-security/internal/settings"
)

func workspaceArgs(cfg *settings.Settings, b *base, net *network.Network) *workspace.WorkspaceArgs {
	return &workspace.WorkspaceArgs{
		ResourceGroupName: b.rg.Name,
		Location:          cfg.Location,
		SubscriptionID:    b.client.SubscriptionId,
		TenantID:          b.client.TenantId,
		Names:             b.names,
		AllowedIPs:        cfg.AllowedIPs,
		Private:           cfg.PrivateWorkspace,
		PrivateLink:       net.PrivateLink,
		IsolationMode:     cfg.IsolationMode,
		FirewallSku:       cfg.FirewallSku,
		Tags:              b.tags,
	}
}
