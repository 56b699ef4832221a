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
// The rules are written one at a time: each one is a write to the workspace's managed network,
// and concurrent writes to it lose rules (Azure/terraform-provider-azapi #453). Each waits for
// every earlier rule, not only the one before it: Pulumi deletes the resources a program no
// longer declares in parallel unless one depends on another (pulumi/pkg deployment executor,
// ScheduleDeletes), so only a dependency between every two rules keeps removals, such as
// dropping a package profile or a data store, one at a time too. Each also waits for the
// workspace identity's approver grant, without which its managed private endpoint would stay
// unapproved.
func newOutboundRules(ctx *pulumi.Context, w *wiring) ([]*azureml.ManagedNetworkSettingsRule, error) {
	var out []*azureml.ManagedNetworkSettingsRule
	earlier := append([]pulumi.Resource(nil), w.args.RulesAfter...)
	for _, t := range w.targets {
		for _, group := range t.groups {
			name := t.name + "-" + privatelink.Short(group)
			res, err := azureml.NewManagedNetworkSettingsRule(ctx, w.names.Name("outbound-"+name), &azureml.ManagedNetworkSettingsRuleArgs{
				ResourceGroupName: w.args.ResourceGroupName,
				WorkspaceName:     w.args.WorkspaceName,
				RuleName:          name,
				PrivateEndpoint: &azureml.PrivateEndpointOutboundRuleArgs{
					ServiceResourceID: w.stores[t.name].id,
					SubresourceTarget: group,
				},
			}, w.names.Opts("outbound-"+name, pulumi.DependsOn(append([]pulumi.Resource{w.args.Approver}, earlier...)))...)
			if err != nil {
				return nil, err
			}
			out = append(out, res)
			earlier = append(earlier, res)
		}
	}
	return out, nil
}
