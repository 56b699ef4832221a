package workspace

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/internal/azureml"
	"azure-ml-security/internal/logical"
	"azure-ml-security/internal/rbac"
)

// grantIdentity gives the workspace identity what a user-assigned workspace identity needs,
// before the workspace is created
// (https://learn.microsoft.com/azure/machine-learning/how-to-identity-based-service-authentication,
// "User-assigned managed identity"):
//   - Contributor on the storage account, key vault, registry and Application Insights;
//   - Key Vault Administrator, because the vault uses the RBAC model, not access policies;
//   - Storage Blob Data Contributor and Storage File Data Privileged Contributor, because
//     shared keys are off and the system datastores authenticate with the identity.
func grantIdentity(ctx *pulumi.Context, names logical.Names, args *WorkspaceArgs, id *azureml.UserAssignedIdentity, deps *dependencies, mon *monitoring) ([]pulumi.Resource, error) {
	storageID := deps.storage.Account.ID().ToStringOutput()
	vaultID := deps.vault.ID().ToStringOutput()
	grants := []struct {
		name  string
		scope pulumi.StringOutput
		role  rbac.Role
	}{
		{"identity-storage-contributor", storageID, rbac.Contributor},
		{"identity-storage-blob-data", storageID, rbac.StorageBlobDataContributor},
		{"identity-storage-file-data", storageID, rbac.StorageFileDataPrivilegedContributor},
		{"identity-vault-contributor", vaultID, rbac.Contributor},
		{"identity-vault-admin", vaultID, rbac.KeyVaultAdministrator},
		{"identity-registry-contributor", deps.registry.ID().ToStringOutput(), rbac.Contributor},
		{"identity-insights-contributor", mon.insights.ID().ToStringOutput(), rbac.Contributor},
	}
	out := make([]pulumi.Resource, 0, len(grants))
	for _, g := range grants {
		ra, err := rbac.Assign(ctx, names.Name(g.name), args.SubscriptionID, rbac.Grant{
			Scope:         g.scope,
			Role:          g.role,
			PrincipalID:   id.PrincipalId,
			PrincipalType: rbac.PrincipalServicePrincipal,
		}, names.Opts(g.name)...)
		if err != nil {
			return nil, err
		}
		out = append(out, ra)
	}
	return out, nil
}
