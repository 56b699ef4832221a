package stack

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/components/compute"
	"azure-ml-security/components/datastores"
	"azure-ml-security/components/network"
	"azure-ml-security/components/workspace"
	"azure-ml-security/internal/settings"
)

// computeArgs: the compute instance waits for the workspace and every outbound rule; its
// user is the deploying principal unless one is configured.
func computeArgs(cfg *settings.Settings, b *base, net *network.Network, ws *workspace.Workspace, data *datastores.Datastores) *compute.ComputeArgs {
	args := &compute.ComputeArgs{
		ResourceGroupName: b.rg.Name,
		Location:          cfg.Location,
		TenantID:          b.client.TenantId,
		Names:             b.names,
		Tags:              b.tags,
	}
	if c := cfg.Compute; c.Create {
		user := c.UserObjectID
		if user == "" {
			user = b.client.ObjectId
		}
		args.Instance = &compute.InstanceArgs{
			WorkspaceName:          ws.WorkspaceName,
			WorkspaceIdentityID:    ws.IdentityID,
			VMSize:                 c.VMSize,
			SSHPublicKey:           c.SSHPublicKey,
			IdleTimeBeforeShutdown: c.IdleTimeBeforeShutdown,
			UserObjectID:           user,
			After:                  append([]pulumi.Resource{ws.Workspace}, data.OutboundRules...),
		}
	}
	if j := cfg.JumpVM; j.Create {
		args.JumpVM = &compute.JumpVMArgs{
			SubnetID:      net.ClientSubnetID,
			Size:          j.Size,
			AdminUsername: j.AdminUsername,
			Image:         compute.ImageArgs(j.Image),
		}
	}
	return args
}
