package datastores

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/internal/rbac"
)

// grants are the role assignments other resources wait for.
type grants struct {
	// approver holds the Azure AI Enterprise Network Connection Approver grant on each
	// outbound-rule target, keyed by the target's logical name (lake, blob, sql).
	approver map[string]pulumi.Resource
	// dataAccess are the grants a datastore needs to read data in the configured auth mode.
	dataAccess []pulumi.Resource
}

// grant creates the role assignments of the data (azure-reference.md §4):
//   - the app's service principal: Storage Blob Data Contributor on the lake and the blob
//     account, as the older setup granted it, for servicePrincipal datastores;
//   - the workspace identity: Storage Blob Data Reader on both (identity-based datastores and
//     studio data preview) and SQL Server Contributor on the server (data preview);
//   - the workspace identity: Azure AI Enterprise Network Connection Approver on every
//     outbound-rule target. Since 2025-04-30 the managed VNet's private endpoints to a
//     datastore are approved automatically only when the workspace identity holds it;
//     without it they stay Pending, the manual approval of the older setup.
func grant(ctx *pulumi.Context, args *DatastoresArgs, data *accounts, db *sqlDatabase, app *entraApp, parent pulumi.ResourceOption) (*grants, error) {
	g := &grants{approver: map[string]pulumi.Resource{}}
	assign := func(name string, scope pulumi.StringInput, role rbac.Role, principal pulumi.StringInput) (pulumi.Resource, error) {
		return rbac.Assign(ctx, name, args.SubscriptionID, rbac.Grant{
			Scope: scope, Role: role, PrincipalID: principal, PrincipalType: rbac.PrincipalServicePrincipal,
		}, parent)
	}
	targets := []struct {
		name  string
		scope pulumi.StringOutput
	}{
		{"lake", data.lake.Account.ID().ToStringOutput()},
		{"blob", data.blob.Account.ID().ToStringOutput()},
	}
	for _, tg := range targets {
		sp, err := assign("app-"+tg.name+"-blob-data-contributor", tg.scope, rbac.StorageBlobDataContributor, app.sp.ObjectId)
		if err != nil {
			return nil, err
		}
		reader, err := assign("identity-"+tg.name+"-blob-data-reader", tg.scope, rbac.StorageBlobDataReader, args.WorkspaceIdentityPrincipalID)
		if err != nil {
			return nil, err
		}
		if args.DatastoreAuth == AuthServicePrincipal {
			g.dataAccess = append(g.dataAccess, sp)
		} else {
			g.dataAccess = append(g.dataAccess, reader)
		}
	}
	if db != nil {
		if _, err := assign("identity-sql-server-contributor", db.server.ID().ToStringOutput(), rbac.SQLServerContributor, args.WorkspaceIdentityPrincipalID); err != nil {
			return nil, err
		}
		targets = append(targets, struct {
			name  string
			scope pulumi.StringOutput
		}{"sql", db.server.ID().ToStringOutput()})
	}
	for _, tg := range targets {
		a, err := assign("identity-"+tg.name+"-network-approver", tg.scope, rbac.AzureAIEnterpriseNetworkConnApprover, args.WorkspaceIdentityPrincipalID)
		if err != nil {
			return nil, err
		}
		g.approver[tg.name] = a
	}
	return g, nil
}
