// Package compute is the workspace's personal compute instance and the optional Windows jump
// VM: the client inside the VNet that reaches a private workspace.
package compute

import (
	"errors"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/internal/naming"
)

// ComputeArgs configure the compute instance and the jump VM; either may be nil.
type ComputeArgs struct {
	ResourceGroupName pulumi.StringInput
	Location          string
	TenantID          string
	Names             *naming.Names
	Instance          *InstanceArgs
	JumpVM            *JumpVMArgs
	Tags              pulumi.StringMap
}

// InstanceArgs configure the compute instance.
type InstanceArgs struct {
	WorkspaceName       pulumi.StringOutput
	WorkspaceIdentityID pulumi.StringOutput
	VMSize              string
	// SSHPublicKey, when set, enables SSH for this key only; empty keeps SSH disabled.
	SSHPublicKey           string
	IdleTimeBeforeShutdown string
	// UserObjectID is the Entra object the personal instance is assigned to.
	UserObjectID string
	// After are the resources the instance must not race: the workspace and the managed
	// network's outbound rules.
	After []pulumi.Resource
}

// JumpVMArgs configure the jump VM.
type JumpVMArgs struct {
	SubnetID      pulumi.StringOutput
	Size          string
	AdminUsername string
	Image         ImageArgs
}

// ImageArgs is a marketplace image.
type ImageArgs struct{ Publisher, Offer, Sku string }

// Compute is the compute component.
type Compute struct {
	pulumi.ResourceState

	InstanceName        pulumi.StringOutput // empty without an instance
	JumpVMName          pulumi.StringOutput // empty without a jump VM
	JumpVMPublicIP      pulumi.StringOutput
	JumpVMAdminUsername pulumi.StringOutput
	JumpVMAdminPassword pulumi.StringOutput // secret
}

// NewCompute creates the compute instance and the jump VM that are asked for.
func NewCompute(ctx *pulumi.Context, name string, args *ComputeArgs, opts ...pulumi.ResourceOption) (*Compute, error) {
	if args == nil || args.ResourceGroupName == nil || args.Names == nil {
		return nil, errors.New("compute: ResourceGroupName and Names are required")
	}
	c := &Compute{}
	if err := ctx.RegisterComponentResource("azure-ml-security:components:Compute", name, c, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(c)
	empty := pulumi.String("").ToStringOutput()
	c.InstanceName, c.JumpVMName, c.JumpVMPublicIP, c.JumpVMAdminUsername = empty, empty, empty, empty
	c.JumpVMAdminPassword = pulumi.ToSecret(empty).(pulumi.StringOutput)

	if args.Instance != nil {
		ci, err := newInstance(ctx, args, parent)
		if err != nil {
			return nil, err
		}
		c.InstanceName = ci.Name
	}
	if args.JumpVM != nil {
		vm, err := newJumpVM(ctx, args, parent)
		if err != nil {
			return nil, err
		}
		c.JumpVMName = vm.vm.Name
		c.JumpVMPublicIP = vm.publicIP
		c.JumpVMAdminUsername = pulumi.String(args.JumpVM.AdminUsername).ToStringOutput()
		c.JumpVMAdminPassword = vm.password
	}
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{
		"instanceName": c.InstanceName,
		"jumpVmName":   c.JumpVMName,
	}); err != nil {
		return nil, err
	}
	return c, nil
}
