package datastores

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/internal/rbac"
)

// grants are the role assignments other resources wait for.
type grants struct {
	// approver holds the Azure AI Enterprise Network Connection Approver grant on each target,
	// by target name.
	approver map[string]pulumi.Resource
	// dataAccess are the grants a datastore needs to read data in the configured auth mode.
	dataAccess []pulumi.Resource
}

// grant creates the role assignments of the targets
// (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles):
//   - the target's identityRole to the workspace identity (Storage Blob Data Reader on the
//     accounts, for identity-based datastores and studio data preview);
//   - the target's appRole to the Entra app's service principal (Storage Blob Data Contributor,
//     as the older setup granted it, for servicePrincipal datastores);
//   - Azure AI Enterprise Network Connection Approver on every target to the workspace
//     identity. Since 2025-04-30 the managed VNet's private endpoints to a datastore are
//     approved automatically only when the workspace identity holds it; without it they stay
//     unapproved, the manual approval of the older setup
//     (https://learn.microsoft.com/azure/machine-learning/how-to-managed-network, "Approval of
//     private endpoints").
func grant(ctx *pulumi.Context, w *wiring) (*grants, error) {
	g := &grants{approver: map[string]pulumi.Resource{}}
	assign := func(name string, scope pulumi.StringInput, role rbac.Role, principal pulumi.StringInput) (pulumi.Resource, error) {
		return rbac.Assign(ctx, w.names.Name(name), w.args.SubscriptionID, rbac.Grant{
			Scope: scope, Role: role, PrincipalID: principal, PrincipalType: rbac.PrincipalServicePrincipal,
		}, w.names.Opts(name)...)
	}
	for _, t := range w.targets {
		s := w.stores[t.name]
		if t.appRole != "" {
			ra, err := assign("app-"+t.name+"-"+rbac.Short(t.appRole), s.id, t.appRole, w.app.sp.ObjectId)
			if err != nil {
				return nil, err
			}
			if t.appReads && w.args.ServicePrincipalAuth {
				g.dataAccess = append(g.dataAccess, ra)
			}
		}
		if t.identityRole != "" {
			ra, err := assign("identity-"+t.name+"-"+rbac.Short(t.identityRole), s.id, t.identityRole, w.args.WorkspaceIdentityPrincipalID)
			if err != nil {
				return nil, err
			}
			if t.identityReads && !w.args.ServicePrincipalAuth {
				g.dataAccess = append(g.dataAccess, ra)
			}
		}
	}
	for _, t := range w.targets {
		a, err := assign("identity-"+t.name+"-"+rbac.Short(rbac.AzureAIEnterpriseNetworkConnApprover), w.stores[t.name].id, rbac.AzureAIEnterpriseNetworkConnApprover, w.args.WorkspaceIdentityPrincipalID)
		if err != nil {
			return nil, err
		}
		g.approver[t.name] = a
	}
	return g, nil
}
