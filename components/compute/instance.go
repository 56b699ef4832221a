package compute

import (
	"fmt"

	aznetwork "github.com/pulumi/pulumi-azure-native-sdk/network/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/internal/azureml"
	"azure-ml-security/internal/logical"
	"azure-ml-security/internal/rbac"
)

// instanceIdentity is the compute instance's own user-assigned identity, with only what code
// on the instance needs (the workspace identity can read every Key Vault secret and open every
// firewall, so it is not lent to the instance):
//   - Contributor on the workspace: without it an instance with a managed identity never shuts
//     down when idle ("won't shut down due to inactivity unless the managed identity has
//     contributor access to the Azure Machine Learning workspace",
//     https://learn.microsoft.com/azure/machine-learning/how-to-create-compute-instance);
//   - Storage Blob Data Reader on the data accounts, what jobs on compute read data with
//     (how-to-identity-based-service-authentication, "Access data for training jobs on
//     compute using managed identity").
func instanceIdentity(ctx *pulumi.Context, names logical.Names, args *ComputeArgs) (*azureml.UserAssignedIdentity, []pulumi.Resource, error) {
	in := args.Instance
	id, err := azureml.NewUserAssignedIdentity(ctx, names.Name("instance-identity"), &azureml.UserAssignedIdentityArgs{
		ResourceGroupName: args.ResourceGroupName,
		ResourceName:      pulumi.String(args.Names.Plain("id-compute")),
		Location:          pulumi.String(args.Location),
		Tags:              args.Tags,
	}, names.Parented()...)
	if err != nil {
		return nil, nil, err
	}
	grants := []struct {
		name  string
		scope pulumi.StringOutput
		role  rbac.Role
	}{{"instance-identity-workspace-contributor", in.WorkspaceID, rbac.Contributor}}
	for _, d := range in.DataAccounts {
		grants = append(grants, struct {
			name  string
			scope pulumi.StringOutput
			role  rbac.Role
		}{"instance-identity-" + d.Name + "-" + rbac.Short(rbac.StorageBlobDataReader), d.ID, rbac.StorageBlobDataReader})
	}
	var out []pulumi.Resource
	for _, g := range grants {
		ra, err := rbac.Assign(ctx, names.Name(g.name), args.SubscriptionID, rbac.Grant{
			Scope: g.scope, Role: g.role, PrincipalID: id.PrincipalId, PrincipalType: rbac.PrincipalServicePrincipal,
		}, names.Parented()...)
		if err != nil {
			return nil, nil, err
		}
		out = append(out, ra)
	}
	return id, out, nil
}

// newInstance creates the personal compute instance (PSRule Azure.ML.*; Checkov CKV_AZURE_142;
// https://learn.microsoft.com/azure/machine-learning/how-to-managed-network-compute):
//   - no public IP on the node: it lives in the managed VNet and is reached through the
//     workspace (`az ml compute connect-ssh`);
//   - local authentication off (PSRule Azure.ML.DisableLocalAuth, Checkov CKV_AZURE_142);
//   - SSH public access Disabled unless a public key is configured, and then key-only;
//   - idle shutdown (Azure.ML.ComputeIdleShutdown), which fires because its own identity holds
//     Contributor on the workspace (instanceIdentity).
//
// It is created after the workspace, every outbound rule and its identity's grants: with
// provisionNetworkNow the managed network exists at that point, and the instance does not race
// the rules' writes.
//
// Azure does not update a compute instance's properties in place (a PUT on an existing instance
// keeps the old ones; hashicorp/terraform-provider-azurerm#31747 makes every property force a new
// instance), so a change of its properties, identity, tags or location replaces it, deleting
// the old one first because the new one has the same name.
// instance is the compute instance and its identity.
type instance struct {
	compute  *azureml.Compute
	identity *azureml.UserAssignedIdentity
}

func newInstance(ctx *pulumi.Context, names logical.Names, args *ComputeArgs) (*instance, error) {
	in := args.Instance
	id, grants, err := instanceIdentity(ctx, names, args)
	if err != nil {
		return nil, fmt.Errorf("identity: %w", err)
	}
	ssh := azureml.SSHPublicAccessDisabled
	if in.SSHPublicKey != "" {
		ssh = azureml.SSHPublicAccessEnabled
	}
	wait := append(append([]pulumi.Resource{}, in.After...), grants...)
	ci, err := azureml.NewComputeInstance(ctx, names.Name("instance"), &azureml.ComputeInstanceArgs{
		ResourceGroupName: args.ResourceGroupName,
		WorkspaceName:     in.WorkspaceName,
		ComputeName:       in.Name,
		Location:          pulumi.String(args.Location),
		Identity: azureml.ManagedServiceIdentityArgs{
			Type:                   azureml.IdentityTypeUserAssigned,
			UserAssignedIdentities: pulumi.StringArray{id.ID().ToStringOutput()},
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
	}, names.Parented(
		pulumi.DependsOn(wait),
		pulumi.ReplaceOnChanges([]string{"properties", "identity", "tags", "location"}),
		pulumi.DeleteBeforeReplace(true),
	)...)
	if err != nil {
		return nil, err
	}
	if in.DNS != nil {
		if err := instanceRecords(ctx, names, args, ci); err != nil {
			return nil, fmt.Errorf("DNS records: %w", err)
		}
	}
	return &instance{compute: ci, identity: id}, nil
}

// instanceRecords make SSH to the instance use the private path: a private zone
// instances.azureml.ms (created by the network) with A records <instance>.<region> and
// <instance>-22.<region> pointing at the workspace's private endpoint; without them
// `az ml compute connect-ssh` goes over the public IP, which a private workspace refuses
// (https://learn.microsoft.com/azure/machine-learning/how-to-managed-network-compute,
// "Limitations"; how-to-custom-dns).
func instanceRecords(ctx *pulumi.Context, names logical.Names, args *ComputeArgs, ci *azureml.Compute) error {
	dns := args.Instance.DNS
	for _, suffix := range []string{"", "-22"} {
		child := "instance-dns" + suffix
		if _, err := aznetwork.NewPrivateRecordSet(ctx, names.Name(child), &aznetwork.PrivateRecordSetArgs{
			ResourceGroupName:     args.ResourceGroupName,
			PrivateZoneName:       dns.ZoneName,
			RecordType:            pulumi.String("A"),
			RelativeRecordSetName: pulumi.Sprintf("%s%s.%s", ci.Name, suffix, args.Location),
			Ttl:                   pulumi.Float64(3600),
			ARecords:              aznetwork.ARecordArray{aznetwork.ARecordArgs{Ipv4Address: dns.IP}},
		}, names.Parented()...); err != nil {
			return err
		}
	}
	return nil
}
