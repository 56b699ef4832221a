package workspace

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi-azure-native-sdk/authorization/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/internal/azureml"
	"azure-ml-security/internal/logical"
	"azure-ml-security/internal/rbac"
)

// newMLWorkspace creates the workspace itself once the identity holds its roles.
//
//   - The managed VNet's isolation mode and firewall SKU come from config; outbound rules are
//     not set here but as separate rule resources (outboundrules.go, components/datastores),
//     never both (pulumi-azure-native #3225).
//   - provisionNetworkNow builds the managed VNet at creation instead of at the first compute,
//     so the outbound rules' private endpoints exist before anything uses them
//     (https://learn.microsoft.com/azure/machine-learning/how-to-managed-network, "Manually
//     provision a managed VNet").
//   - In the public configuration the workspace is reachable only from the allowed IPs
//     (networkAcls); in the private one, only through its private endpoint.
//   - imageBuildCompute: with the registry and storage behind a network, images cannot be
//     built on serverless compute; a named compute builds them (how-to-managed-network,
//     "Configure image builds"). The name may refer to a compute created after the workspace.
func newMLWorkspace(ctx *pulumi.Context, names logical.Names, args *WorkspaceArgs, id *azureml.UserAssignedIdentity, deps *dependencies, mon *monitoring, wait []pulumi.Resource, approver *authorization.RoleAssignment) (*azureml.Workspace, error) {
	wsArgs := &azureml.WorkspaceArgs{
		ResourceGroupName: args.ResourceGroupName,
		WorkspaceName:     args.Names.Dashed("mlw"),
		Location:          pulumi.String(args.Location),
		FriendlyName:      args.Names.Dashed("mlw"),
		Description:       pulumi.String("Secure Azure ML workspace (azure-ml-security)"),
		Identity: azureml.ManagedServiceIdentityArgs{
			Type:                   azureml.IdentityTypeUserAssigned,
			UserAssignedIdentities: pulumi.StringArray{id.ID().ToStringOutput()},
		},
		PrimaryUserAssignedIdentity: id.ID().ToStringOutput(),
		StorageAccount:              deps.storage.Account.ID().ToStringOutput(),
		KeyVault:                    deps.vault.ID().ToStringOutput(),
		ContainerRegistry:           deps.registry.ID().ToStringOutput(),
		ApplicationInsights:         mon.insights.ID().ToStringOutput(),
		ManagedNetwork: azureml.ManagedNetworkSettingsArgs{
			IsolationMode: args.IsolationMode,
			FirewallSku:   args.FirewallSku,
		},
		ProvisionNetworkNow:      true,
		SystemDatastoresAuthMode: azureml.SystemDatastoresIdentity,
		PublicNetworkAccess:      azureml.PublicNetworkEnabled,
		ImageBuildCompute:        args.ImageBuildCompute,
		SkuName:                  "Basic",
		SkuTier:                  azureml.SkuTierBasic,
		Tags:                     args.Tags,
	}
	if args.Private {
		wsArgs.PublicNetworkAccess = azureml.PublicNetworkDisabled
	} else {
		wsArgs.NetworkAcls = &azureml.NetworkAclsArgs{DefaultAction: azureml.NetworkAclDeny, IPRules: args.AllowedIPs}
	}
	// The workspace also waits for its storage's blob service settings: they carry the CORS
	// rule Azure ML writes at creation, which a later write of ours must not race.
	if bs := deps.storage.BlobService; bs != nil {
		wait = append(wait, bs)
	}
	// Azure approves the managed network's required endpoints while it provisions the
	// network, so the approver role must already work: the workspace waits for it to take
	// effect, not only for its assignment.
	return azureml.NewWorkspace(ctx, names.Name("ml"), wsArgs, names.Formerly("workspace", pulumi.DependsOn(wait),
		pulumi.DependsOnInputs(rbac.InEffect(ctx, approver)), pulumi.Protect(args.Protect))...)
}

// ipRulesInForce reads the workspace back after it is created and fails the deployment when
// the IP rules it was given are not in force. Microsoft Learn says the IP rules "can only be set
// after the workspace has been created" (how-to-configure-private-link, "Restrictions for IP
// network rules"), while the REST API takes networkAcls in the create body; the program sends
// them with the create and checks here that Azure applied them, so a workspace open to every
// address never passes as done. It returns the rules in force, for the stack outputs.
//
// A preview reads nothing: the workspace it would read has not been written yet (a preview
// of a change to allowedIpAddresses would compare the new list with the old rules), so the
// rules in force are unknown until the update runs.
func ipRulesInForce(ctx *pulumi.Context, args *WorkspaceArgs, ws *azureml.Workspace) pulumi.StringArrayOutput {
	if args.Private {
		return pulumi.StringArray{}.ToStringArrayOutput()
	}
	if ctx.DryRun() {
		return pulumi.UnsafeUnknownOutput([]pulumi.Resource{ws}).ApplyT(func(any) []string { return nil }).(pulumi.StringArrayOutput)
	}
	return pulumi.All(args.ResourceGroupName, ws.Name).ApplyT(func(v []any) ([]string, error) {
		rg, name := v[0].(string), v[1].(string)
		acls, err := azureml.LookupWorkspaceNetworkAcls(ctx, rg, name)
		if err != nil {
			return nil, fmt.Errorf("workspace: reading back the IP rules of %s: %w", name, err)
		}
		got := slices.Clone(acls.IPRules)
		want := slices.Clone(args.AllowedIPs)
		slices.Sort(got)
		slices.Sort(want)
		if acls.DefaultAction != azureml.NetworkAclDeny || !slices.Equal(got, want) {
			return nil, fmt.Errorf("workspace: %s is not restricted to allowedIpAddresses after creation: Azure reports default action %q and IP rules %v, want Deny and %v; "+
				"apply them with: az ml workspace update --resource-group %s --name %s --network-acls \"%s\", then run pulumi up again",
				name, acls.DefaultAction, got, want, rg, name, strings.Join(want, ","))
		}
		return got, nil
	}).(pulumi.StringArrayOutput)
}
