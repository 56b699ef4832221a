package compute

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/internal/azureml"
	"azure-ml-security/internal/logical"
)

// newCluster creates the compute cluster that builds environment images when there is no
// compute instance to do it: the workspace's registry and storage are behind the network, where
// serverless image builds cannot reach them, so the workspace names a compute for image builds
// (imageBuildCompute, https://learn.microsoft.com/azure/machine-learning/how-to-managed-network,
// "Configure image builds"). It scales to zero nodes when idle, has no public IP and no SSH port,
// and local authentication is off.
func newCluster(ctx *pulumi.Context, names logical.Names, args *ComputeArgs) (*azureml.Compute, error) {
	cl := args.Cluster
	return azureml.NewComputeCluster(ctx, names.Name("build-cluster"), &azureml.ComputeClusterArgs{
		ResourceGroupName: args.ResourceGroupName,
		WorkspaceName:     cl.WorkspaceName,
		ComputeName:       pulumi.String(cl.Name),
		Location:          pulumi.String(args.Location),
		Description:       "Image builds of the workspace (azure-ml-security)",
		VMSize:            cl.VMSize,
		MinNodes:          0,
		MaxNodes:          1,
		Tags:              args.Tags,
	}, names.Parented(
		pulumi.DependsOn(cl.After),
		// Like an instance, a compute is not updated in place; a cluster holds no state.
		pulumi.ReplaceOnChanges([]string{"properties", "tags", "location"}),
		pulumi.DeleteBeforeReplace(true),
	)...)
}
