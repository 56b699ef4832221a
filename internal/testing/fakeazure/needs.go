package fakeazure

import (
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// What an operation needed from the rest of the cloud, recorded with it (OpRecord) so that a
// deploy-time analysis (internal/testing/deploytime) can tell the orderings Azure imposes from
// the ones a program adds. Each need mirrors a rule the fake enforces, with the same tests:
// references (check_refs.go), approvals (approval.go), serialised writes (serial.go) and
// deletes of resources in use (check_integrity.go).

// Ref is a resource an operation needed to exist when it ran.
type Ref struct {
	ID string
	// Why: "input <path>" (an ARM id in its inputs), "parent", "scope", "resource group",
	// "principal" (the identity or service principal of a role assignment), or "rule Active"
	// (an outbound rule a compute instance needs).
	Why string
}

// Approval is a managed private endpoint an operation made, which the workspace identity must
// be able to approve when it is made (approval.go, rule managed-endpoint-approval).
type Approval struct {
	Target string
	// Grants are the role assignments that let the workspace identity approve it, whether or
	// not they were in effect yet; any one of them, once propagated, is enough.
	Grants []string
	// InEffect reports whether one of them was in effect when the operation ran; if not, the
	// endpoint stayed unapproved (Inactive).
	InEffect bool
}

// LockHold is a serialisation key an operation held while it ran (serial.go).
type LockHold struct {
	Key       string
	Exclusive bool
}

// recordNeeds fills what an operation needed, from the world it ran in.
func recordNeeds(rec *OpRecord, o *op, w *world) {
	if o.kind != opDelete {
		rec.Refs = referencesOf(o, w)
		rec.Approvals = approvalsOf(o, w)
	}
	keys, _ := locksOf(o)
	for _, k := range keys {
		rec.Locks = append(rec.Locks, LockHold{Key: k.key, Exclusive: k.exclusive})
	}
}

// referencesOf lists what checkReferences and checkPrincipal require to exist, plus the
// outbound rules to the workspace a compute instance needs Active (checkComputeRules).
func referencesOf(o *op, w *world) []Ref {
	var out []Ref
	seen := map[string]bool{}
	add := func(id, why string) {
		if id == "" || strings.EqualFold(id, o.obj.ID) || seen[strings.ToLower(id)] {
			return
		}
		if x := w.byID(id); x != nil {
			seen[strings.ToLower(id)] = true
			out = append(out, Ref{ID: x.ID, Why: why})
		}
	}
	if strings.HasPrefix(o.obj.Token, "azure-native:") {
		// Everything in a resource group needs the group: Azure answers ResourceGroupNotFound
		// (https://learn.microsoft.com/azure/azure-resource-manager/troubleshooting/error-not-found).
		// The fake does not check it; recording it keeps the group at the head of the orderings.
		if rg := o.obj.Str("resourceGroupName"); rg != "" && o.obj.Key != "resources:ResourceGroup" {
			add(armID(types["resources:ResourceGroup"].id, nil, rg, "resourceGroupName"), "resource group")
		}
		if pk, ok := parents[o.obj.Key]; ok {
			pt := types[pk]
			add(armID(pt.id, o.obj.Inputs, o.obj.Str(pt.nameKey), pt.nameKey), "parent")
		}
		switch o.obj.Key {
		case "insights:DiagnosticSetting":
			add(o.obj.Str("resourceUri"), "scope")
		case "authorization:RoleAssignment":
			add(o.obj.Str("scope"), "scope")
		}
		walkStrings(resource.NewProperty(o.obj.Inputs), "", func(path, s string) {
			if armIDRe.MatchString(s) && !builtinRe.MatchString(s) {
				add(s, "input "+strings.TrimPrefix(path, "."))
			}
		})
	}
	if o.obj.Key == "authorization:RoleAssignment" {
		if p := w.principalObject(o.obj.Str("principalId")); p != nil {
			add(p.ID, "principal")
		}
	}
	if o.obj.Key == "machinelearningservices:Compute" {
		wsID := parentID(o.obj.ID, 2)
		for _, r := range w.find("machinelearningservices:ManagedNetworkSettingsRule", func(x *Object) bool {
			return strings.EqualFold(parentID(x.ID, 2), wsID) && strings.EqualFold(x.Str("properties.destination.serviceResourceId"), wsID)
		}) {
			add(r.ID, "rule Active")
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// principalObject is the resource whose principal an object id is (principalType's lookup).
func (w *world) principalObject(id string) *Object {
	if id == "" {
		return nil
	}
	for _, o := range w.objects {
		switch o.Key {
		case "managedidentity:UserAssignedIdentity":
			if o.Out("principalId") == id {
				return o
			}
		case "azuread:index/servicePrincipal:ServicePrincipal":
			if o.Out("objectId") == id {
				return o
			}
		}
	}
	return nil
}

// approvalsOf lists the managed private endpoints an operation makes (effects) with the grants
// that can approve each.
func approvalsOf(o *op, w *world) []Approval {
	var principal string
	var targets []string
	switch {
	case o.obj.Key == "machinelearningservices:Workspace" && o.kind == opCreate:
		if v, _ := o.obj.Bool("provisionNetworkNow"); !v {
			return nil
		}
		principal = w.workspaceIdentityPrincipal(o.obj)
		for _, d := range requiredDestinations(o.obj, w) {
			targets = append(targets, d.target)
		}
		for _, r := range inlineRules(o.obj.Inputs) {
			if t, _ := Lookup(r.ObjectValue(), "destination.serviceResourceId"); t.IsString() {
				targets = append(targets, t.StringValue())
			}
		}
	case o.obj.Key == "machinelearningservices:ManagedNetworkSettingsRule" && o.kind != opDelete && o.obj.Str("properties.type") == "PrivateEndpoint":
		ws := w.byID(parentID(o.obj.ID, 2))
		if ws == nil {
			return nil
		}
		principal = w.workspaceIdentityPrincipal(ws)
		targets = []string{o.obj.Str("properties.destination.serviceResourceId")}
	default:
		return nil
	}
	seen := map[string]bool{}
	var out []Approval
	for _, t := range targets {
		if t == "" || seen[strings.ToLower(t)] {
			continue
		}
		seen[strings.ToLower(t)] = true
		out = append(out, Approval{Target: t, Grants: w.approvingGrants(principal, t), InEffect: w.canApprove(principal, t)})
	}
	return out
}

// approvingGrants are the role assignments that let principal approve an endpoint to target,
// in effect or not: canApprove's test without the propagation delay.
func (w *world) approvingGrants(principal, target string) []string {
	if principal == "" {
		return nil
	}
	typ := providerType(target)
	var out []string
	for _, ra := range w.find("authorization:RoleAssignment", nil) {
		if ra.Str("principalId") != principal {
			continue
		}
		def := ra.Str("roleDefinitionId")
		covers := false
		for _, t := range approvingRoles[strings.ToLower(def[strings.LastIndex(def, "/")+1:])] {
			covers = covers || t == "*" || t == typ
		}
		scope := strings.ToLower(ra.Str("scope"))
		if covers && (strings.EqualFold(scope, target) || strings.HasPrefix(strings.ToLower(target), scope+"/")) {
			out = append(out, ra.ID)
		}
	}
	sort.Strings(out)
	return out
}

// DeleteBlockers are the resources among objects whose existence makes Azure refuse to delete
// target (check_integrity.go): the private endpoints and NICs in a subnet, the subnets using an
// NSG, a zone's links and records, and so on. Each candidate is judged alone by the rule's own
// check, so the answer is what the rule says, not a second copy of it.
func DeleteBlockers(target *Object, objects []*Object) []string {
	var context []*Object // what the rule needs besides the candidate: a VNet's subnets
	prefix := strings.ToLower(target.ID) + "/"
	for _, x := range objects {
		if target.Key == "network:VirtualNetwork" && x.Key == "network:Subnet" && strings.HasPrefix(strings.ToLower(x.ID), prefix) {
			context = append(context, x)
		}
	}
	var out []string
	for _, x := range objects {
		if strings.EqualFold(x.ID, target.ID) {
			continue
		}
		w := &world{objects: append(append([]*Object(nil), context...), x)}
		if checkDeleteInUse(&op{kind: opDelete, obj: target}, w) != nil {
			out = append(out, x.ID)
		}
	}
	sort.Strings(out)
	return out
}
