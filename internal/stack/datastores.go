package stack

import (
	"azure-ml-security/components/datastores"
	"azure-ml-security/components/network"
	"azure-ml-security/components/workspace"
	"azure-ml-security/internal/settings"
)

func datastoresArgs(cfg *settings.Settings, b *base, net *network.Network, ws *workspace.Workspace) *datastores.DatastoresArgs {
	args := &datastores.DatastoresArgs{
		ResourceGroupName:            b.rg.Name,
		Location:                     cfg.Location,
		SubscriptionID:               b.client.SubscriptionId,
		TenantID:                     b.client.TenantId,
		Deployer:                     b.deployer,
		DeployerClientID:             appClientID(b.client.ClientId),
		Names:                        b.names,
		AllowedIPs:                   cfg.AllowedIPs,
		Private:                      cfg.PrivateWorkspace,
		PrivateLink:                  net.PrivateLink,
		WorkspaceName:                ws.WorkspaceName,
		WorkspaceIdentityPrincipalID: ws.IdentityPrincipalID,
		RulesAfter:                   ws.ManagedNetworkWrites,
		Approver:                     ws.Approver,
		Users:                        users(cfg, b),
		UploadSampleData:             cfg.Data.UploadSampleData,
		ServicePrincipalAuth:         cfg.Data.DatastoreAuth == settings.DatastoreAuthServicePrincipal,
		LogAnalyticsWorkspaceID:      b.logs.ID(),
		Protect:                      cfg.ProtectData,
		Tags:                         b.tags,
	}
	if q := cfg.Data.SQL; q.Create {
		args.SQL = &datastores.SQLArgs{
			AdminLogin:    q.AdminLogin,
			AdminPassword: q.AdminPassword,
			HasPassword:   q.HasPassword,
			Sku:           datastores.SQLSku(q.Sku),
			MaxSizeGB:     q.MaxSizeGB,
		}
	}
	return args
}
