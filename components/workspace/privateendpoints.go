package workspace

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/internal/azureml"
	"azure-ml-security/internal/privatelink"
)

// newPrivateEndpoints gives the workspace and its storage (blob and file), key vault and
// registry private endpoints in the customer VNet, for the private configuration where their
// public access is off (azure-reference.md §3; Azure Policy "Azure Machine Learning workspaces
// should use private link").
func newPrivateEndpoints(ctx *pulumi.Context, args *WorkspaceArgs, ws *azureml.Workspace, deps *dependencies, parent pulumi.ResourceOption) error {
	endpoints := []struct {
		name   string
		target pulumi.StringOutput
		group  string
	}{
		{"workspace", ws.ID().ToStringOutput(), privatelink.GroupWorkspace},
		{"workspace-storage-blob", deps.storage.Account.ID().ToStringOutput(), privatelink.GroupBlob},
		{"workspace-storage-file", deps.storage.Account.ID().ToStringOutput(), privatelink.GroupFile},
		{"workspace-vault", deps.vault.ID().ToStringOutput(), privatelink.GroupVault},
		{"workspace-registry", deps.registry.ID().ToStringOutput(), privatelink.GroupRegistry},
	}
	for _, e := range endpoints {
		if _, err := args.PrivateLink.NewEndpoint(ctx, e.name, e.target, e.group, parent); err != nil {
			return err
		}
	}
	return nil
}

// PrivateLinkGroups are the private-link groups whose DNS zones the customer VNet needs for
// this component's private endpoints.
func PrivateLinkGroups() []string {
	return []string{
		privatelink.GroupWorkspace, privatelink.GroupBlob, privatelink.GroupFile,
		privatelink.GroupVault, privatelink.GroupRegistry,
	}
}
