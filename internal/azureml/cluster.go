package azureml

import (
	"errors"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Enum values of types/enums/machinelearningservices/v20241001preview used by clusters.
const (
	ComputeTypeAmlCompute     = "AmlCompute" // the computeType discriminator of AmlComputeArgs
	OSTypeLinux               = "Linux"      // OsType
	VMPriorityDedicated       = "Dedicated"  // VmPriority
	RemoteLoginPortDisabled   = "Disabled"   // RemoteLoginPortPublicAccess
	defaultClusterIdleScaleIn = "PT10M"
)

// ComputeClusterArgs are the inputs of machinelearningservices/v20241001preview/compute.d.ts
// for an AmlComputeArgs member of properties, with AmlComputePropertiesArgs and
// ScaleSettingsArgs flattened. The cluster has no public IP and no SSH port.
type ComputeClusterArgs struct {
	ResourceGroupName pulumi.StringInput
	WorkspaceName     pulumi.StringInput
	ComputeName       pulumi.StringInput
	Location          pulumi.StringInput
	Description       string
	VMSize            string
	// MinNodes and MaxNodes bound the scale; 0 minimum nodes costs nothing when idle.
	MinNodes, MaxNodes int
	Tags               pulumi.StringMapInput
}

// NewComputeCluster registers an AmlCompute cluster.
func NewComputeCluster(ctx *pulumi.Context, name string, args *ComputeClusterArgs, opts ...pulumi.ResourceOption) (*Compute, error) {
	if args == nil || args.ResourceGroupName == nil || args.WorkspaceName == nil || args.MaxNodes < 1 || args.MinNodes < 0 || args.MinNodes > args.MaxNodes {
		return nil, errors.New("azureml: a compute cluster needs ResourceGroupName, WorkspaceName and 0 <= MinNodes <= MaxNodes, MaxNodes >= 1")
	}
	properties := props{
		"computeType":      pulumi.String(ComputeTypeAmlCompute),
		"disableLocalAuth": pulumi.Bool(true),
		"properties": pulumi.Map{
			"vmSize":                      pulumi.String(args.VMSize),
			"vmPriority":                  pulumi.String(VMPriorityDedicated),
			"osType":                      pulumi.String(OSTypeLinux),
			"enableNodePublicIp":          pulumi.Bool(false),
			"remoteLoginPortPublicAccess": pulumi.String(RemoteLoginPortDisabled),
			"scaleSettings": pulumi.Map{
				"minNodeCount":                pulumi.Int(args.MinNodes),
				"maxNodeCount":                pulumi.Int(args.MaxNodes),
				"nodeIdleTimeBeforeScaleDown": pulumi.String(defaultClusterIdleScaleIn),
			},
		},
	}.set("description", optString(args.Description))
	in := props{
		"resourceGroupName": args.ResourceGroupName,
		"workspaceName":     args.WorkspaceName,
		"properties":        properties.toMap(),
	}.set("computeName", args.ComputeName).
		set("location", args.Location).
		set("tags", args.Tags)
	var res Compute
	if err := register(ctx, ComputeToken, name, in, &res, opts); err != nil {
		return nil, err
	}
	return &res, nil
}
