package workspace

import (
	"github.com/pulumi/pulumi-azure-native-sdk/authorization/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/internal/azureml"
	"azure-ml-security/internal/logical"
	"azure-ml-security/internal/rbac"
)

// grantApprover lets the workspace identity approve the managed network's private endpoints:
// Azure AI Enterprise Network Connection Approver on the resource group, which covers the
// workspace itself, its storage, key vault and registry, and every data store
// (https://learn.microsoft.com/azure/machine-learning/how-to-managed-network, "Approval of
// private endpoints": not granted automatically since 2025-04-30). The resource group scope is
// what Microsoft's Foundry samples use, and the only scope that can cover the workspace's own
// endpoint before the workspace exists. It is granted first, right after the identity, so that
// it has taken effect (up to 10 minutes, Microsoft Learn: troubleshoot Azure RBAC) by the time
// the workspace provisions its network and the outbound rules are written.
func grantApprover(ctx *pulumi.Context, names logical.Names, args *WorkspaceArgs, id *azureml.UserAssignedIdentity) (*authorization.RoleAssignment, error) {
	return rbac.Assign(ctx, names.Name("identity-network-approver"), args.SubscriptionID, rbac.Grant{
		Scope:         args.ResourceGroupID,
		Role:          rbac.AzureAIEnterpriseNetworkConnApprover,
		PrincipalID:   id.PrincipalId,
		PrincipalType: rbac.PrincipalServicePrincipal,
	}, names.Parented()...)
}

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

// grantOnWorkspace gives the identity Contributor on the workspace itself, the first row of
// the user-assigned identity table of how-to-identity-based-service-authentication; the
// workspace must exist first.
func grantOnWorkspace(ctx *pulumi.Context, names logical.Names, args *WorkspaceArgs, id *azureml.UserAssignedIdentity, ws *azureml.Workspace) (pulumi.Resource, error) {
	return rbac.Assign(ctx, names.Name("identity-workspace-contributor"), args.SubscriptionID, rbac.Grant{
		Scope:         ws.ID().ToStringOutput(),
		Role:          rbac.Contributor,
		PrincipalID:   id.PrincipalId,
		PrincipalType: rbac.PrincipalServicePrincipal,
	}, names.Parented()...)
}

// grantUsers gives the people who use the workspace what studio notebooks and the compute
// instance's file share need on the workspace storage when shared keys are off: Storage Blob
// Data Contributor and Storage File Data Privileged Contributor
// (https://learn.microsoft.com/azure/machine-learning/how-to-disable-local-auth-storage).
func grantUsers(ctx *pulumi.Context, names logical.Names, args *WorkspaceArgs, deps *dependencies) error {
	storageID := deps.storage.Account.ID().ToStringOutput()
	for _, u := range args.Users {
		for _, role := range []rbac.Role{rbac.StorageBlobDataContributor, rbac.StorageFileDataPrivilegedContributor} {
			name := "user-" + u.ObjectID + "-storage-" + rbac.Short(role)
			if _, err := rbac.Assign(ctx, names.Name(name), args.SubscriptionID, rbac.Grant{
				Scope: storageID, Role: role, PrincipalID: pulumi.String(u.ObjectID), PrincipalType: u.Type,
			}, names.Parented()...); err != nil {
				return err
			}
		}
	}
	return nil
}

// grantDataScientists gives each of the workspace's users AzureML Data Scientist on the
// workspace: every action in it except creating or deleting compute and changing the
// workspace itself (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles).
// Their data roles come with Users.
func grantDataScientists(ctx *pulumi.Context, names logical.Names, args *WorkspaceArgs, ws *azureml.Workspace) error {
	for _, u := range args.DataScientists {
		name := "user-" + u.ObjectID + "-" + rbac.Short(rbac.AzureMLDataScientist)
		if _, err := rbac.Assign(ctx, names.Name(name), args.SubscriptionID, rbac.Grant{
			Scope: ws.ID().ToStringOutput(), Role: rbac.AzureMLDataScientist, PrincipalID: pulumi.String(u.ObjectID), PrincipalType: u.Type,
		}, names.Parented()...); err != nil {
			return err
		}
	}
	return nil
}
