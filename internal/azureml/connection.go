package azureml

import (
	"errors"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// WorkspaceConnectionToken targets the GA API 2024-10-01: category AzureSqlDb is not in the
// module default's (2023-04-01) enum, and Azure SQL is not an ARM datastore type, so a
// connection is how a workspace reaches it
// (https://learn.microsoft.com/azure/machine-learning/how-to-connection).
const WorkspaceConnectionToken = "azure-native:machinelearningservices/v20241001:WorkspaceConnection"

// Discriminator and enum values of machinelearningservices/v20241001.
const (
	AuthTypeUsernamePassword = "UsernamePassword"
	ConnectionCategorySQL    = "AzureSqlDb"
)

// UsernamePasswordConnectionArgs are the inputs of
// machinelearningservices/v20241001/workspaceConnection.d.ts with properties of the
// UsernamePasswordAuthTypeWorkspaceConnectionPropertiesArgs member.
type UsernamePasswordConnectionArgs struct {
	ResourceGroupName pulumi.StringInput
	WorkspaceName     pulumi.StringInput
	ConnectionName    string
	Category          string
	Target            pulumi.StringInput
	Username          pulumi.StringInput
	Password          pulumi.StringInput // must be a secret output
}

// WorkspaceConnection is a connection registered in a workspace.
type WorkspaceConnection struct {
	pulumi.CustomResourceState

	Name pulumi.StringOutput `pulumi:"name"`
}

// NewUsernamePasswordConnection registers a UsernamePassword workspace connection. The
// password is wrapped as a secret whatever the caller passed.
func NewUsernamePasswordConnection(ctx *pulumi.Context, name string, args *UsernamePasswordConnectionArgs, opts ...pulumi.ResourceOption) (*WorkspaceConnection, error) {
	if args == nil || args.ResourceGroupName == nil || args.WorkspaceName == nil || args.Target == nil || args.Password == nil {
		return nil, errors.New("azureml: a connection needs ResourceGroupName, WorkspaceName, Target and Password")
	}
	in := props{
		"resourceGroupName": args.ResourceGroupName,
		"workspaceName":     args.WorkspaceName,
		"connectionName":    pulumi.String(args.ConnectionName),
		"properties": pulumi.Map{
			"authType":      pulumi.String(AuthTypeUsernamePassword),
			"category":      pulumi.String(args.Category),
			"target":        args.Target,
			"isSharedToAll": pulumi.Bool(true),
			"credentials": pulumi.Map{
				"username": args.Username,
				"password": pulumi.ToSecret(args.Password),
			},
		},
	}
	var res WorkspaceConnection
	if err := register(ctx, WorkspaceConnectionToken, name, in, &res, opts); err != nil {
		return nil, err
	}
	return &res, nil
}
