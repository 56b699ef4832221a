package fakeazure

import (
	"fmt"
	"strings"
)

// Rule 10: role assignments.

var (
	ruleRoleAssignmentExists = rule(Rule{ID: "role-assignment-exists", Code: "RoleAssignmentExists", Status: 409, Where: AtBoth,
		Source:    srcRBACTrouble + "; Azure/bicep#11367",
		Behaviour: "a second assignment of the same role on the same scope to the same principal, under another name, fails"})
	rulePrincipalNotFound = rule(Rule{ID: "principal-not-found", Code: "PrincipalNotFound", Status: 400, Where: AtBoth,
		Source:    srcRBACTrouble,
		Behaviour: "the principal of an assignment must exist in the directory; in a plan, the identity or service principal must be created first"})
	rulePrincipalType = rule(Rule{ID: "principal-type-mismatch", Code: "UnmatchedPrincipalType", Status: 400, Where: AtBoth,
		Source:    srcRBACTrouble + "; Azure/modern-web-app-pattern-dotnet PR #129",
		Behaviour: "an assignment's principalType must be the principal's type (a person is User, a managed identity or app ServicePrincipal, a group Group)"})
)

func init() {
	addCheck(&check{rule: rulePrincipalNotFound, kinds: []opKind{opCreate}, plan: true, engine: true, fn: checkPrincipal})
	addCheck(&check{rule: ruleRoleAssignmentExists, kinds: []opKind{opCreate}, engine: true, fn: checkAssignmentUnique})
	planChecks = append(planChecks, planAssignmentsUnique)
}

// principalType returns the type of an object id the world knows, or "".
func (w *world) principalType(id string) string {
	for _, o := range w.objects {
		switch o.Key {
		case "managedidentity:UserAssignedIdentity":
			if o.Out("principalId") == id {
				return PrincipalServicePrincipal
			}
		case "azuread:index/servicePrincipal:ServicePrincipal":
			if o.Out("objectId") == id {
				return PrincipalServicePrincipal
			}
		}
	}
	if w.cloud != nil {
		if t, ok := w.cloud.directory[id]; ok {
			return t
		}
	}
	return ""
}

func checkPrincipal(o *op, w *world) *AzureError {
	if o.obj.Key != "authorization:RoleAssignment" {
		return nil
	}
	id := o.obj.Str("principalId")
	actual := w.principalType(id)
	if actual == "" {
		return rulePrincipalNotFound.errorf("Principal %s does not exist in the directory %s. Check that you have the correct principal ID.", id, TenantID)
	}
	if declared := o.obj.Str("principalType"); declared != "" && declared != actual {
		return rulePrincipalType.errorf("The PrincipalId '%s' has type '%s' , which is different from specified PrinciaplType '%s'.", id, actual, declared)
	}
	return nil
}

func assignmentKey(o *Object) string {
	def := o.Str("roleDefinitionId")
	return strings.ToLower(o.Str("scope") + "|" + o.Str("principalId") + "|" + def[strings.LastIndex(def, "/")+1:])
}

func checkAssignmentUnique(o *op, w *world) *AzureError {
	if o.obj.Key != "authorization:RoleAssignment" {
		return nil
	}
	key := assignmentKey(o.obj)
	for _, x := range w.find("authorization:RoleAssignment", nil) {
		if !strings.EqualFold(x.ID, o.obj.ID) && assignmentKey(x) == key {
			return ruleRoleAssignmentExists.errorf("The role assignment already exists. The ID of the existing role assignment is %s.", x.Name)
		}
	}
	return nil
}

// planAssignmentsUnique: no two planned assignments grant the same role on the same scope to the
// same principal.
func planAssignmentsUnique(all []*Resource) []error {
	seen := map[string]string{}
	var errs []error
	for _, r := range all {
		if !r.Custom || r.Key() != "authorization:RoleAssignment" {
			continue
		}
		key := assignmentKey(r.Object())
		if other, dup := seen[key]; dup {
			errs = append(errs, fmt.Errorf("authorization:RoleAssignment %s: %w", r.Name, ruleRoleAssignmentExists.errorf("The role assignment already exists (%s grants the same role on the same scope to the same principal).", other)))
			continue
		}
		seen[key] = r.Name
	}
	return errs
}
