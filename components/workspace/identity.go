package workspace

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/internal/azureml"
)

// newIdentity creates the workspace's user-assigned identity. A user-assigned identity (not the
// system-assigned one) can be granted its roles before the workspace exists, which the
// workspace requires of it (azure-reference.md §4; PSRule Azure.ML.UserManagedIdentity).
func newIdentity(ctx *pulumi.Context, args *WorkspaceArgs, parent pulumi.ResourceOption) (*azureml.UserAssignedIdentity, error) {
	return azureml.NewUserAssignedIdentity(ctx, "identity", &azureml.UserAssignedIdentityArgs{
		ResourceGroupName: args.ResourceGroupName,
		ResourceName:      pulumi.String(args.Names.Plain("id")),
		Location:          pulumi.String(args.Location),
		Tags:              args.Tags,
	}, parent)
}
