package workspace

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/internal/azureml"
	"azure-ml-security/internal/logical"
)

// newMLWorkspace creates the workspace itself once the identity holds its roles.
//
//   - The managed VNet's isolation mode and firewall SKU come from config; outbound rules are
//     not set here but as separate rule resources (components/datastores), never both
//     (pulumi-azure-native #3225).
//   - provisionNetworkNow builds the managed VNet at creation instead of at the first compute,
//     so the outbound rules' private endpoints exist before anything uses them.
//   - In the public configuration the workspace is reachable only from the allowed IPs
//     (networkAcls); in the private one, only through its private endpoint.
func newMLWorkspace(ctx *pulumi.Context, names logical.Names, args *WorkspaceArgs, id *azureml.UserAssignedIdentity, deps *dependencies, mon *monitoring, grants []pulumi.Resource) (*azureml.Workspace, error) {
	wsArgs := &azureml.WorkspaceArgs{
		ResourceGroupName: args.ResourceGroupName,
		WorkspaceName:     args.Names.Dashed("mlw"),
		Location:          pulumi.String(args.Location),
		FriendlyName:      args.Names.Dashed("mlw"),
		Description:       pulumi.String("Secure Azure ML workspace (azure-ml-security)"),
		Identity: azureml.ManagedServiceIdentityArgs{
			Type:                   azureml.IdentityTypeUserAssigned,
			UserAssignedIdentities: pulumi.StringArray{id.ID().ToStringOutput()},
		},
		PrimaryUserAssignedIdentity: id.ID().ToStringOutput(),
		StorageAccount:              deps.storage.Account.ID().ToStringOutput(),
		KeyVault:                    deps.vault.ID().ToStringOutput(),
		ContainerRegistry:           deps.registry.ID().ToStringOutput(),
		ApplicationInsights:         mon.insights.ID().ToStringOutput(),
		ManagedNetwork: azureml.ManagedNetworkSettingsArgs{
			IsolationMode: args.IsolationMode,
			FirewallSku:   args.FirewallSku,
		},
		ProvisionNetworkNow:      true,
		SystemDatastoresAuthMode: azureml.SystemDatastoresIdentity,
		PublicNetworkAccess:      azureml.PublicNetworkEnabled,
		SkuName:                  "Basic",
		SkuTier:                  azureml.SkuTierBasic,
		Tags:                     args.Tags,
	}
	if args.Private {
		wsArgs.PublicNetworkAccess = azureml.PublicNetworkDisabled
	} else {
		wsArgs.NetworkAcls = &azureml.NetworkAclsArgs{DefaultAction: azureml.NetworkAclDeny, IPRules: args.AllowedIPs}
	}
	return azureml.NewWorkspace(ctx, names.Name("ml"), wsArgs, names.Formerly("workspace", pulumi.DependsOn(grants))...)
}
