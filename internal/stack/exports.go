package stack

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/components/compute"
	"azure-ml-security/components/datastores"
	"azure-ml-security/components/network"
	"azure-ml-security/components/workspace"
	"azure-ml-security/internal/settings"
	"azure-ml-security/internal/verifyspec"
)

// export publishes the stack outputs: names, ids and how to connect, from what the components
// produced. Passwords are exported only as secrets.
func export(ctx *pulumi.Context, cfg *settings.Settings, b *base, net *network.Network, ws *workspace.Workspace, data *datastores.Datastores, cmp *compute.Compute) {
	ctx.Export(verifyspec.OutputName, verification(cfg, b, net, ws, data, cmp))
	ctx.Export("resourceGroupName", b.rg.Name)
	ctx.Export("vnetId", net.VnetID)
	ctx.Export("workspaceName", ws.WorkspaceName)
	ctx.Export("workspaceId", ws.WorkspaceID)
	ctx.Export("studioUrl", ws.StudioURL)
	ctx.Export("workspaceIdentityId", ws.IdentityID)
	ctx.Export("workspaceIdentityPrincipalId", ws.IdentityPrincipalID)
	ctx.Export("workspaceIdentityClientId", ws.IdentityClientID)
	ctx.Export("workspaceStorageAccountName", ws.StorageAccountName)
	ctx.Export("keyVaultName", ws.KeyVaultName)
	ctx.Export("containerRegistryName", ws.RegistryName)
	ctx.Export("lakeAccountName", data.LakeAccountName)
	ctx.Export("blobAccountName", data.BlobAccountName)
	ctx.Export("datastoreNames", data.DatastoreNames)
	ctx.Export("workspaceIpRulesInForce", ws.IPRulesInForce)
	if app := data.App; app != nil {
		ctx.Export("datastoresAppClientId", app.ClientID)
	}
	if cl := cmp.Cluster; cl != nil {
		ctx.Export("imageBuildCluster", cl.Name)
	}
	if ci := cmp.Instance; ci != nil {
		ctx.Export("computeInstanceName", ci.Name)
		ctx.Export("computeInstanceSsh", pulumi.Sprintf("az ml compute connect-ssh --name %s --workspace-name %s --resource-group %s", ci.Name, ws.WorkspaceName, b.rg.Name))
	}
	if vm := cmp.JumpVM; vm != nil {
		ctx.Export("jumpVmName", vm.Name)
		ctx.Export("jumpVmRdp", pulumi.Sprintf("mstsc /v:%s (user %s; password: pulumi stack output jumpVmAdminPassword --show-secrets)", vm.PublicIP, vm.AdminUsername))
		ctx.Export("jumpVmAdminPassword", vm.AdminPassword)
	}
	if sql := data.SQL; sql != nil {
		ctx.Export("sqlServerFqdn", sql.ServerFQDN)
		ctx.Export("sqlDatabaseName", sql.DatabaseName)
		ctx.Export("sqlAdminLogin", sql.AdminLogin)
		ctx.Export("sqlAdminPassword", sql.AdminPassword)
	}
}
