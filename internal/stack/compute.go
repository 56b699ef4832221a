package stack

import (
	"sort"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/components/compute"
	"azure-ml-security/components/datastores"
	"azure-ml-security/components/network"
	"azure-ml-security/components/workspace"
	"azure-ml-security/internal/privatelink"
	"azure-ml-security/internal/settings"
)

// computeArgs: the compute instance waits for the workspace, every outbound rule and the
// workspace's grants; its user is the deploying principal unless one is configured. Without an
// instance, a cluster builds the environment images.
func computeArgs(cfg *settings.Settings, b *base, net *network.Network, ws *workspace.Workspace, data *datastores.Datastores) *compute.ComputeArgs {
	args := &compute.ComputeArgs{
		ResourceGroupName: b.rg.Name,
		Location:          cfg.Location,
		SubscriptionID:    b.client.SubscriptionId,
		TenantID:          b.client.TenantId,
		Names:             b.names,
		Tags:              b.tags,
	}
	after := append(append(append([]pulumi.Resource{ws.Workspace}, ws.OutboundRules...), data.OutboundRules...), ws.Ready...)
	if c := cfg.Compute; c.Create {
		user := c.UserObjectID
		if user == "" {
			user = b.client.ObjectId
		}
		var accounts []compute.DataAccount
		for name, id := range data.StorageAccounts {
			accounts = append(accounts, compute.DataAccount{Name: name, ID: id})
		}
		sort.Slice(accounts, func(i, j int) bool { return accounts[i].Name < accounts[j].Name })
		args.Instance = &compute.InstanceArgs{
			Name:                   b.computeName,
			WorkspaceName:          ws.WorkspaceName,
			WorkspaceID:            ws.WorkspaceID,
			DataAccounts:           accounts,
			VMSize:                 c.VMSize,
			SSHPublicKey:           c.SSHPublicKey,
			IdleTimeBeforeShutdown: c.IdleTimeBeforeShutdown,
			UserObjectID:           user,
			After:                  after,
		}
		// The records go in the zone only when this stack created it: a hub's zone (another
		// subscription) or Azure Policy's DNS is the platform team's to write; the stack output
		// instanceDnsRecords lists what to add there.
		if zone, ok := net.Zones[privatelink.InstancesZone]; ok && sshOverPrivateLink(cfg) {
			args.Instance.DNS = &compute.InstanceDNS{ZoneName: zone, IP: ws.Private.EndpointIP}
		}
	} else {
		args.Cluster = &compute.ClusterArgs{Name: buildClusterName(cfg), WorkspaceName: ws.WorkspaceName, VMSize: "Standard_DS3_v2", After: after}
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
