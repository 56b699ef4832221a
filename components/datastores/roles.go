package datastores

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/internal/rbac"
)

// grant creates the role assignments of the targets and returns the ones a datastore needs to
// read data in the configured authentication mode
// (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles):
//   - the target's identityRole to the workspace identity (Storage Blob Data Reader on the
//     accounts, for identity-based datastores and studio data preview);
//   - with service-principal datastores only, the target's appRole to the Entra app's service
//     principal (Storage Blob Data Contributor, as the older setup granted it);
//   - Storage Blob Data Reader to each user: with identity-based datastores a notebook reads as
//     the person running it ("you must have at least Storage Blob Data Reader",
//     https://learn.microsoft.com/azure/machine-learning/how-to-identity-based-service-authentication).
//
// Approving the managed private endpoints is the workspace identity's resource-group grant
// (components/workspace), so no per-target approver grant is needed.
func grant(ctx *pulumi.Context, w *wiring) ([]pulumi.Resource, error) {
	assign := func(name string, scope pulumi.StringInput, role rbac.Role, principal pulumi.StringInput, principalType string) (pulumi.Resource, error) {
		return rbac.Assign(ctx, w.names.Name(name), w.args.SubscriptionID, rbac.Grant{
			Scope: scope, Role: role, PrincipalID: principal, PrincipalType: principalType,
		}, w.names.Opts(name)...)
	}
	var dataAccess []pulumi.Resource
	for _, t := range w.targets {
		s := w.stores[t.name]
		if t.appRole != "" && w.app != nil {
			ra, err := assign("app-"+t.name+"-"+rbac.Short(t.appRole), s.id, t.appRole, w.app.sp.ObjectId, rbac.PrincipalServicePrincipal)
			if err != nil {
				return nil, err
			}
			if t.appReads {
				dataAccess = append(dataAccess, ra)
			}
		}
		if t.identityRole != "" {
			ra, err := assign("identity-"+t.name+"-"+rbac.Short(t.identityRole), s.id, t.identityRole, w.args.WorkspaceIdentityPrincipalID, rbac.PrincipalServicePrincipal)
			if err != nil {
				return nil, err
			}
			if t.identityReads && !w.args.ServicePrincipalAuth {
				dataAccess = append(dataAccess, ra)
			}
		}
		if t.identityRole != "" {
			for _, u := range w.args.Users {
				if _, err := assign("user-"+u.ObjectID+"-"+t.name+"-"+rbac.Short(t.identityRole), s.id, t.identityRole, pulumi.String(u.ObjectID), u.Type); err != nil {
					return nil, err
				}
			}
		}
	}
	return dataAccess, nil
}
