package datastores

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/internal/azureml"
	"azure-ml-security/internal/privatelink"
)

// newOutboundRules adds a PrivateEndpoint outbound rule of the managed VNet for every group of
// every target.
//
// One method for every rule: separate ManagedNetworkSettingsRule resources, never inline
// managedNetwork.outboundRules on the workspace (the two fight on refresh and update,
// pulumi-azure-native #3225). Separate resources because the targets are created here, after
// the workspace; each rule can wait for its approver grant; and turning SQL off deletes exactly
// its rule instead of rewriting the workspace.
//
// The rules are created one after another: each one is a write to the workspace's managed
// network, and concurrent writes to it lose rules (Azure/terraform-provider-azapi #453). Each
// waits for the workspace identity's approver grant, without which its managed private
// endpoint would stay unapproved.
func newOutboundRules(ctx *pulumi.Context, w *wiring) ([]*azureml.ManagedNetworkSettingsRule, error) {
	var out []*azureml.ManagedNetworkSettingsRule
	previous := w.args.Workspace
	for _, t := range w.targets {
		for _, group := range t.groups {
			name := t.name + "-" + privatelink.Short(group)
			res, err := azureml.NewManagedNetworkSettingsRule(ctx, w.names.Name("outbound-"+name), &azureml.ManagedNetworkSettingsRuleArgs{
				ResourceGroupName: w.args.ResourceGroupName,
				WorkspaceName:     w.args.WorkspaceName,
				RuleName:          name,
				PrivateEndpoint: azureml.PrivateEndpointOutboundRuleArgs{
					ServiceResourceID: w.stores[t.name].id,
					SubresourceTarget: group,
				},
			}, w.names.Opts("outbound-"+name, pulumi.DependsOn([]pulumi.Resource{w.args.Approver, previous}))...)
			if err != nil {
				return nil, err
			}
			out = append(out, res)
			previous = res
		}
	}
	return out, nil
}
