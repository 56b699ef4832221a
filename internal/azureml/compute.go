package azureml

import (
	"errors"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// ComputeToken targets API 2024-10-01-preview: in @pulumi/azure-native 2.90.0,
// idleTimeBeforeShutdown of a compute instance exists only in preview versions.
const ComputeToken = "azure-native:machinelearningservices/v20241001preview:Compute"

// Enum values of types/enums/machinelearningservices/v20241001preview used by compute.
const (
	ComputeAuthPersonal     = "personal" // ComputeInstanceAuthorizationType (lower case)
	SSHPublicAccessEnabled  = "Enabled"  // SshPublicAccess
	SSHPublicAccessDisabled = "Disabled" // SshPublicAccess
)

// ComputeTypeComputeInstance is the computeType discriminator of ComputeInstanceArgs.
const ComputeTypeComputeInstance = "ComputeInstance"

// ComputeInstanceArgs are the inputs of machinelearningservices/v20241001preview/compute.d.ts
// for a ComputeInstanceArgs member of properties, with ComputeInstancePropertiesArgs flattened.
type ComputeInstanceArgs struct {
	ResourceGroupName  pulumi.StringInput
	WorkspaceName      pulumi.StringInput
	ComputeName        pulumi.StringInput
	Location           pulumi.StringInput
	Identity           ManagedServiceIdentityArgs
	Description        string
	DisableLocalAuth   bool
	VMSize             string
	EnableNodePublicIP bool
	// IdleTimeBeforeShutdown is an ISO 8601 duration such as PT30M.
	IdleTimeBeforeShutdown string
	// SSHPublicAccess is Enabled or Disabled; AdminPublicKey is sent only when Enabled.
	SSHPublicAccess string
	AdminPublicKey  string
	// AssignedUserObjectID and AssignedUserTenantID make it a personal instance.
	AssignedUserObjectID pulumi.StringInput
	AssignedUserTenantID pulumi.StringInput
	Tags                 pulumi.StringMapInput
}

// Compute is a workspace compute.
type Compute struct {
	pulumi.CustomResourceState

	Name pulumi.StringOutput `pulumi:"name"`
}

// NewComputeInstance registers a compute instance.
func NewComputeInstance(ctx *pulumi.Context, name string, args *ComputeInstanceArgs, opts ...pulumi.ResourceOption) (*Compute, error) {
	if args == nil || args.ResourceGroupName == nil || args.WorkspaceName == nil || args.AssignedUserObjectID == nil || args.AssignedUserTenantID == nil {
		return nil, errors.New("azureml: a compute instance needs ResourceGroupName, WorkspaceName and an assigned user")
	}
	ssh := props{"sshPublicAccess": pulumi.String(args.SSHPublicAccess)}
	if args.SSHPublicAccess == SSHPublicAccessEnabled {
		if args.AdminPublicKey == "" {
			return nil, errors.New("azureml: SSH public access needs an admin public key")
		}
		ssh["adminPublicKey"] = pulumi.String(args.AdminPublicKey)
	}
	instance := pulumi.Map{
		"vmSize":                           pulumi.String(args.VMSize),
		"enableNodePublicIp":               pulumi.Bool(args.EnableNodePublicIP),
		"idleTimeBeforeShutdown":           pulumi.String(args.IdleTimeBeforeShutdown),
		"computeInstanceAuthorizationType": pulumi.String(ComputeAuthPersonal),
		"personalComputeInstanceSettings": pulumi.Map{
			"assignedUser": pulumi.Map{
				"objectId": args.AssignedUserObjectID,
				"tenantId": args.AssignedUserTenantID,
			},
		},
		"sshSettings": ssh.toMap(),
	}
	properties := props{
		"computeType":      pulumi.String(ComputeTypeComputeInstance),
		"disableLocalAuth": pulumi.Bool(args.DisableLocalAuth),
		"properties":       instance,
	}.set("description", optString(args.Description))
	in := props{
		"resourceGroupName": args.ResourceGroupName,
		"workspaceName":     args.WorkspaceName,
		"identity":          args.Identity.toMap(),
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
