package workspace

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/internal/azureml"
	"azure-ml-security/internal/rbac"
)

// grantIdentity gives the workspace identity what a user-assigned workspace identity needs,
// before the workspace is created (azure-reference.md §4; MS docs
// how-to-identity-based-service-authentication, "user-assigned managed identity"):
//   - Contributor on the storage account, key vault, registry and Application Insights;
//   - Key Vault Administrator, because the vault uses the RBAC model, not access policies;
//   - Storage Blob Data Contributor and Storage File Data Privileged Contributor, because
//     shared keys are off and the system datastores authenticate with the identity.
func grantIdentity(ctx *pulumi.Context, args *WorkspaceArgs, id *azureml.UserAssignedIdentity, deps *dependencies, mon *monitoring, parent pulumi.ResourceOption) ([]pulumi.Resource, error) {
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
		ra, err := rbac.Assign(ctx, g.name, args.SubscriptionID, rbac.Grant{
			Scope:         g.scope,
			Role:          g.role,
			PrincipalID:   id.PrincipalId,
			PrincipalType: rbac.PrincipalServicePrincipal,
		}, parent)
		if err != nil {
			return nil, err
		}
		out = append(out, ra)
	}
	return out, nil
}
