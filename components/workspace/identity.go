package workspace

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/internal/azureml"
	"azure-ml-security/internal/logical"
)

// newIdentity creates the workspace's user-assigned identity. A user-assigned identity (not the
// system-assigned one) can be granted its roles before the workspace exists, which the
// workspace requires of it (https://learn.microsoft.com/azure/machine-learning/how-to-identity-based-service-authentication,
// "User-assigned managed identity"; PSRule Azure.ML.UserManagedIdentity).
func newIdentity(ctx *pulumi.Context, names logical.Names, args *WorkspaceArgs) (*azureml.UserAssignedIdentity, error) {
	return azureml.NewUserAssignedIdentity(ctx, names.Name("identity"), &azureml.UserAssignedIdentityArgs{
		ResourceGroupName: args.ResourceGroupName,
		ResourceName:      pulumi.String(args.Names.Plain("id")),
		Location:          pulumi.String(args.Location),
		Tags:              args.Tags,
	}, names.Opts("identity")...)
}
