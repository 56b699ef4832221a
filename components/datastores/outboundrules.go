package datastores

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/internal/azureml"
	"azure-ml-security/internal/privatelink"
)

// newOutboundRules adds the managed VNet's PrivateEndpoint outbound rules to the datastores.
//
// One method for every rule: separate ManagedNetworkSettingsRule resources, never inline
// managedNetwork.outboundRules on the workspace (the two fight on refresh and update,
// pulumi-azure-native #3225, azure-reference.md §6). Separate resources because the targets
// are created here, after the workspace; each rule can wait for its approver grant; and turning
// SQL off deletes exactly its rule instead of rewriting the workspace.
//
// The lake gets rules for both dfs (ADLS Gen2 API) and blob, which Azure ML uses for the same
// account. The rules are created one after another: each one is a write to the workspace's
// managed network, and concurrent writes to it conflict.
func newOutboundRules(ctx *pulumi.Context, args *DatastoresArgs, data *accounts, db *sqlDatabase, g *grants, parent pulumi.ResourceOption) ([]*azureml.ManagedNetworkSettingsRule, error) {
	type rule struct {
		name, target, group string
		id                  pulumi.StringOutput
	}
	rules := []rule{
		{"lake-dfs", "lake", privatelink.GroupDfs, data.lake.Account.ID().ToStringOutput()},
		{"lake-blob", "lake", privatelink.GroupBlob, data.lake.Account.ID().ToStringOutput()},
		{"blob-blob", "blob", privatelink.GroupBlob, data.blob.Account.ID().ToStringOutput()},
	}
	if db != nil {
		rules = append(rules, rule{"sql-server", "sql", privatelink.GroupSQLServer, db.server.ID().ToStringOutput()})
	}
	var out []*azureml.ManagedNetworkSettingsRule
	previous := args.Workspace
	for _, r := range rules {
		res, err := azureml.NewManagedNetworkSettingsRule(ctx, "outbound-"+r.name, &azureml.ManagedNetworkSettingsRuleArgs{
			ResourceGroupName: args.ResourceGroupName,
			WorkspaceName:     args.WorkspaceName,
			RuleName:          r.name,
			PrivateEndpoint: azureml.PrivateEndpointOutboundRuleArgs{
				ServiceResourceID: r.id,
				SubresourceTarget: r.group,
			},
		}, parent, pulumi.DependsOn([]pulumi.Resource{g.approver[r.target], previous}))
		if err != nil {
			return nil, err
		}
		out = append(out, res)
		previous = res
	}
	return out, nil
}
