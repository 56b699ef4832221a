// Package compute is the workspace's personal compute instance and the optional Windows jump
// VM: the client inside the VNet that reaches a private workspace.
package compute

import (
	"errors"
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/internal/logical"
	"azure-ml-security/internal/naming"
)

// ComputeArgs configure the compute instance, the image-build cluster and the jump VM; each
// may be nil.
type ComputeArgs struct {
	ResourceGroupName pulumi.StringInput
	Location          string
	SubscriptionID    string
	TenantID          string
	Names             *naming.Names
	Instance          *InstanceArgs
	Cluster           *ClusterArgs
	JumpVM            *JumpVMArgs
	Tags              pulumi.StringMap
}

// InstanceArgs configure the compute instance.
type InstanceArgs struct {
	// Name is the instance's name (naming.Names.Compute: it may not end in -<digits>).
	Name          pulumi.StringOutput
	WorkspaceName pulumi.StringOutput
	WorkspaceID   pulumi.StringOutput
	// DataAccounts are the storage accounts the instance's identity reads data from.
	DataAccounts []DataAccount
	// DNS, when set, adds the records that route SSH over the private path.
	DNS    *InstanceDNS
	VMSize string
	// SSHPublicKey, when set, enables SSH for this key only; empty keeps SSH disabled.
	SSHPublicKey           string
	IdleTimeBeforeShutdown string
	// UserObjectID is the Entra object the personal instance is assigned to.
	UserObjectID string
	// After are the resources the instance must not race: the workspace and the managed
	// network's outbound rules.
	After []pulumi.Resource
}

// DataAccount is a storage account by name (for grant names) and id.
type DataAccount struct {
	Name string
	ID   pulumi.StringOutput
}

// InstanceDNS is the private zone instances.azureml.ms and the address its records point at:
// the workspace's private endpoint.
type InstanceDNS struct {
	ZoneName pulumi.StringOutput
	IP       pulumi.StringOutput
}

// ClusterArgs configure the cluster that builds environment images when no compute instance
// does: min 0 nodes, so it costs nothing while idle.
type ClusterArgs struct {
	Name          string
	WorkspaceName pulumi.StringOutput
	VMSize        string
	After         []pulumi.Resource
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

// Compute is the compute component. Each part is set when it was asked for.
type Compute struct {
	pulumi.ResourceState

	Instance *InstanceOutputs
	Cluster  *ClusterOutputs
	JumpVM   *JumpVMOutputs
}

// InstanceOutputs describe the compute instance.
type InstanceOutputs struct {
	Name pulumi.StringOutput
	// IdentityPrincipalID is the instance's own identity.
	IdentityPrincipalID    pulumi.StringOutput
	IdleTimeBeforeShutdown string
}

// ClusterOutputs describe the image-build cluster.
type ClusterOutputs struct {
	Name pulumi.StringOutput
}

// JumpVMOutputs describe the jump VM.
type JumpVMOutputs struct {
	Name          pulumi.StringOutput
	PublicIP      pulumi.StringOutput
	AdminUsername pulumi.StringOutput
	AdminPassword pulumi.StringOutput // secret
}

// NewCompute creates the compute instance and the jump VM that are asked for.
func NewCompute(ctx *pulumi.Context, name string, args *ComputeArgs, opts ...pulumi.ResourceOption) (*Compute, error) {
	if args == nil || args.ResourceGroupName == nil || args.Names == nil {
		return nil, errors.New("compute: ResourceGroupName and Names are required")
	}
	c := &Compute{}
	if err := ctx.RegisterComponentResource("azure-ml-security:components:Compute", name, c, opts...); err != nil {
		return nil, fmt.Errorf("compute: registering the component: %w", err)
	}
	names := logical.New(name, c)
	outputs := pulumi.Map{}
	if args.Instance != nil {
		ci, err := newInstance(ctx, names, args)
		if err != nil {
			return nil, fmt.Errorf("compute: compute instance: %w", err)
		}
		c.Instance = &InstanceOutputs{Name: ci.compute.Name, IdentityPrincipalID: ci.identity.PrincipalId, IdleTimeBeforeShutdown: args.Instance.IdleTimeBeforeShutdown}
		outputs["instanceName"] = c.Instance.Name
		outputs["instanceIdentityPrincipalId"] = c.Instance.IdentityPrincipalID
	}
	if args.Cluster != nil {
		cl, err := newCluster(ctx, names, args)
		if err != nil {
			return nil, fmt.Errorf("compute: image-build cluster: %w", err)
		}
		c.Cluster = &ClusterOutputs{Name: cl.Name}
		outputs["clusterName"] = c.Cluster.Name
	}
	if args.JumpVM != nil {
		vm, err := newJumpVM(ctx, names, args)
		if err != nil {
			return nil, fmt.Errorf("compute: jump VM: %w", err)
		}
		c.JumpVM = &JumpVMOutputs{
			Name:          vm.vm.Name,
			PublicIP:      vm.publicIP,
			AdminUsername: pulumi.String(args.JumpVM.AdminUsername).ToStringOutput(),
			AdminPassword: vm.password,
		}
		outputs["jumpVmName"] = c.JumpVM.Name
		outputs["jumpVmPublicIp"] = c.JumpVM.PublicIP
		outputs["jumpVmAdminUsername"] = c.JumpVM.AdminUsername
		outputs["jumpVmAdminPassword"] = c.JumpVM.AdminPassword
	}
	if err := ctx.RegisterResourceOutputs(c, outputs); err != nil {
		return nil, fmt.Errorf("compute: registering outputs: %w", err)
	}
	return c, nil
}
