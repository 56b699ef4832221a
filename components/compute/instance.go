package compute

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/internal/azureml"
	"azure-ml-security/internal/logical"
)

// newInstance creates the personal compute instance (PSRule Azure.ML.*; Checkov CKV_AZURE_142;
// https://learn.microsoft.com/azure/machine-learning/how-to-managed-network-compute):
//   - no public IP on the node: it lives in the managed VNet and is reached through the
//     workspace (`az ml compute connect-ssh`);
//   - local authentication off (PSRule Azure.ML.DisableLocalAuth, Checkov CKV_AZURE_142);
//   - SSH public access Disabled unless a public key is configured, and then key-only;
//   - idle shutdown (Azure.ML.ComputeIdleShutdown);
//   - the workspace's user-assigned identity, so code on the instance reads data as the
//     workspace does.
//
// It is created after the workspace and the outbound rules: with provisionNetworkNow the
// managed network exists at that point, and the instance does not race the rules' writes.
func newInstance(ctx *pulumi.Context, names logical.Names, args *ComputeArgs) (*azureml.Compute, error) {
	in := args.Instance
	ssh := azureml.SSHPublicAccessDisabled
	if in.SSHPublicKey != "" {
		ssh = azureml.SSHPublicAccessEnabled
	}
	return azureml.NewComputeInstance(ctx, names.Name("instance"), &azureml.ComputeInstanceArgs{
		ResourceGroupName: args.ResourceGroupName,
		WorkspaceName:     in.WorkspaceName,
		ComputeName:       args.Names.Dashed("ci"),
		Location:          pulumi.String(args.Location),
		Identity: azureml.ManagedServiceIdentityArgs{
			Type:                   azureml.IdentityTypeUserAssigned,
			UserAssignedIdentities: pulumi.StringArray{in.WorkspaceIdentityID},
		},
		Description:            "Personal compute instance (azure-ml-security)",
		DisableLocalAuth:       true,
		VMSize:                 in.VMSize,
		EnableNodePublicIP:     false,
		IdleTimeBeforeShutdown: in.IdleTimeBeforeShutdown,
		SSHPublicAccess:        ssh,
		AdminPublicKey:         in.SSHPublicKey,
		AssignedUserObjectID:   pulumi.String(in.UserObjectID),
		AssignedUserTenantID:   pulumi.String(args.TenantID),
		Tags:                   args.Tags,
	}, names.Parented(pulumi.DependsOn(in.After))...)
}
