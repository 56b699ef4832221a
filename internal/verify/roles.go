package verify

import (
	"context"
	"fmt"
	"net/url"
	"strings"
)

// Built-in role definition GUIDs
// (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles).
const (
	roleContributor = "b24988ac-6180-42a0-ab88-20f7382dd24c"
	roleOwner       = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
)

// assignedRoles are the role GUIDs principal holds on scope, inherited ones included.
// $filter=principalId eq '<id>' returns the principal's assignments at, above and below the
// scope (https://learn.microsoft.com/rest/api/authorization/role-assignments/list-for-scope);
// the ones below do not apply to the scope and are dropped.
func (v *Verifier) assignedRoles(ctx context.Context, scope, principal string) (map[string]bool, error) {
	q := url.Values{"$filter": {fmt.Sprintf("principalId eq '%s'", principal)}}
	as, err := listQuery[roleAssignment](ctx, v, scope+"/providers/Microsoft.Authorization/roleAssignments", apiRoleAssignments, q)
	if err != nil {
		return nil, err
	}
	roles := map[string]bool{}
	for _, a := range as {
		if strings.EqualFold(a.Properties.PrincipalID, principal) && covers(a.Properties.Scope, scope) {
			roles[a.roleGUID()] = true
		}
	}
	return roles, nil
}

// covers reports whether an assignment at scope at applies to scope: the same scope or a
// parent of it (subscription, resource group, parent resource).
func covers(at, scope string) bool {
	at, scope = strings.ToLower(strings.TrimRight(at, "/")), strings.ToLower(strings.TrimRight(scope, "/"))
	return at == "" || at == scope || strings.HasPrefix(scope, at+"/")
}

func (v *Verifier) checkRoleAssignments(ctx context.Context) []Result {
	grants := v.spec.RoleAssignments
	if len(grants) == 0 {
		return []Result{skip(CheckRoleAssignments, "the stack declares no role assignment")}
	}
	var errs []Result
	var missing, commands, unreadable []string
	var firstErr error
	failed := map[string]bool{}
	for _, g := range grants {
		if failed[strings.ToLower(g.Scope)] {
			continue
		}
		roles, err := v.assignedRoles(ctx, g.Scope, g.PrincipalID)
		if err != nil {
			// One line for all the scopes verify cannot read: it is one missing permission.
			failed[strings.ToLower(g.Scope)] = true
			unreadable = append(unreadable, shortID(g.Scope))
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		if !roles[strings.ToLower(g.Role)] {
			missing = append(missing, fmt.Sprintf("%s on %s for %s is missing (%s)", orDefault(g.RoleName, g.Role), shortID(g.Scope), g.PrincipalID, orNone(g.Purpose)))
			commands = append(commands, fmt.Sprintf("az role assignment create --assignee-object-id %s --role %s --scope %s", g.PrincipalID, g.Role, g.Scope))
		}
	}
	if firstErr != nil {
		errs = append(errs, v.errorResult(CheckRoleAssignments, "list the role assignments on "+strings.Join(unreadable, ", "), firstErr))
	}
	if len(missing) > 0 {
		return append(errs, fail(CheckRoleAssignments, missing,
			"run `pulumi up --refresh` to grant them again, or by hand:\n"+strings.Join(commands, "\n")))
	}
	if len(errs) > 0 {
		return errs
	}
	return []Result{pass(CheckRoleAssignments, fmt.Sprintf("%s the design depends on are in place", plural(len(grants), "grant", "grants")))}
}

// checkComputeIdentity: an instance with a managed identity "won't shut down due to
// inactivity unless the managed identity has contributor access to the Azure Machine
// Learning workspace" (https://learn.microsoft.com/azure/machine-learning/how-to-create-compute-instance);
// Contributor or Owner there or on a scope above it will do.
func (v *Verifier) checkComputeIdentity(ctx context.Context) []Result {
	ci := v.spec.ComputeInstance
	if ci == nil {
		return []Result{skip(CheckComputeIdentity, "the stack has no compute instance")}
	}
	if ci.IdentityPrincipalID == "" {
		return []Result{skip(CheckComputeIdentity, "the stack gives compute instance "+ci.Name+" no identity of its own")}
	}
	roles, err := v.assignedRoles(ctx, v.workspaceID(), ci.IdentityPrincipalID)
	if err != nil {
		return []Result{v.errorResult(CheckComputeIdentity, "list the role assignments on the workspace", err)}
	}
	for _, r := range []struct{ guid, name string }{{roleContributor, "Contributor"}, {roleOwner, "Owner"}} {
		if roles[r.guid] {
			return []Result{pass(CheckComputeIdentity, fmt.Sprintf("compute instance %s's identity holds %s on the workspace, so idle shutdown can stop it", ci.Name, r.name))}
		}
	}
	return []Result{fail(CheckComputeIdentity,
		[]string{fmt.Sprintf("compute instance %s's identity (%s) has no Contributor on the workspace or above: idle shutdown cannot stop it, and it bills until stopped by hand", ci.Name, ci.IdentityPrincipalID)},
		fmt.Sprintf("run `pulumi up --refresh`, or: az role assignment create --assignee-object-id %s --role %s --scope %s", ci.IdentityPrincipalID, roleContributor, v.workspaceID()))}
}
