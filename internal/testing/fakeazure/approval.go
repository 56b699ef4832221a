package fakeazure

import (
	"fmt"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Rule 9: the managed network's private endpoints and their approval.
//
// When the workspace's managed network is provisioned (provisionNetworkNow at creation), Azure
// adds a private-endpoint rule of category Required to the workspace's storage (blob and file),
// key vault, registry and the workspace itself: always with AllowOnlyApprovedOutbound, and only
// for the ones whose public network access is off with AllowInternetOutbound (Microsoft Learn,
// how-to-managed-network, "List of required rules"). Each rule, required or user-defined, makes
// a managed private endpoint that the workspace's identity must approve on the target; a rule
// whose endpoint nobody may approve stays Inactive, and nothing retries the approval later.
// A compute instance cannot be provisioned while a rule it needs is Inactive (it cannot mount
// the workspace storage or reach the workspace).

var (
	ruleApproval = rule(Rule{ID: "managed-endpoint-approval", Code: "RuleInactive", Status: 0, Where: AtBoth,
		Source: srcManagedNet + " (\"Approval of private endpoints\": the workspace identity needs Azure AI Enterprise Network Connection Approver on the target; " +
			"not granted automatically since 2025-04-30)",
		Behaviour: "a managed private endpoint (a required rule made at provisioning, or a PrivateEndpoint outbound rule when it is written) is approved only if the workspace identity " +
			"holds, at that moment, a role with the approve action on the target or a scope above it; otherwise the rule stays Inactive; a role takes effect minutes after its assignment"})
	ruleComputeNeedsActiveRules = rule(Rule{ID: "compute-needs-active-rules", Code: "StorageMountError", Status: 400, Where: AtBoth,
		Source: srcManagedNet + " (required rules; compute in the managed network reaches the workspace and its storage through them); Azure-Samples/ai-studio-in-a-box#2 (mount failure)",
		Behaviour: "a compute instance fails to provision while a rule it needs (the required rules to the workspace storage, key vault, registry and workspace, or with a public AllowInternetOutbound workspace a rule to the workspace) " +
			"is Inactive, and it races writes to the managed network: in a plan, it must wait for every outbound rule of its workspace"})
	ruleDuplicateDestination = rule(Rule{ID: "outbound-rule-duplicate-destination", Code: "BadRequest", Status: 400, Where: AtBoth,
		Source:    "Azure/azureml-examples PR #2990 review (\"the rule to this destination already exists since they switched to AOAO\")",
		Behaviour: "a user rule to a destination that already has a rule (such as the required rule to the workspace in AllowOnlyApprovedOutbound) is refused"})
	ruleFQDNNeedsApprovedOnly = rule(Rule{ID: "fqdn-rules-need-approved-outbound", Code: "BadRequest", Status: 400, Where: AtBoth,
		Source:    srcManagedNet + " (\"only valid when the managed VNet is configured to allow_only_approved_outbound\"); microsoft-foundry/foundry-samples PR #961",
		Behaviour: "FQDN and service-tag outbound rules are refused unless the isolation mode is AllowOnlyApprovedOutbound"})
	ruleOneMethod = rule(Rule{ID: "outbound-rules-one-method", Code: "Conflict", Status: 409, Where: AtPlan,
		Source:    "pulumi/pulumi-azure-native#3225",
		Behaviour: "outbound rules written both inline in the workspace (managedNetwork.outboundRules) and as separate rule resources overwrite each other on every update and refresh"})
)

func init() {
	addCheck(&check{rule: ruleApproval, kinds: []opKind{opCreate}, plan: true, fn: planApprovals})
	addCheck(&check{rule: ruleComputeNeedsActiveRules, kinds: []opKind{opCreate}, plan: true, engine: true, fn: checkComputeRules})
	addCheck(&check{rule: ruleDuplicateDestination, kinds: []opKind{opCreate}, plan: true, engine: true, fn: checkDuplicateDestination})
	addCheck(&check{rule: ruleFQDNNeedsApprovedOnly, kinds: []opKind{opCreate, opUpdate}, plan: true, engine: true, fn: checkFQDNMode})
	planChecks = append(planChecks, planOneMethod)
}

// approvingRoles are the built-in roles whose actions include the approve action of private
// endpoint connections, by the resource types they cover ("*": all)
// (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles).
var approvingRoles = map[string][]string{
	"8e3af657-a8ff-443c-a75c-2fe8c4bcb635": {"*"}, // Owner
	"b24988ac-6180-42a0-ab88-20f7382dd24c": {"*"}, // Contributor
	"b556d68e-0be0-4f35-a333-ad7ee1ce17ea": { // Azure AI Enterprise Network Connection Approver
		"microsoft.machinelearningservices/workspaces", "microsoft.storage/storageaccounts", "microsoft.keyvault/vaults",
		"microsoft.containerregistry/registries", "microsoft.sql/servers", "microsoft.cognitiveservices/accounts", "microsoft.search/searchservices"},
	"6d8ee4ec-f05a-4a1d-8b00-a9b17e38b437": {"microsoft.sql/servers"},             // SQL Server Contributor
	"17d1049b-9a84-46fb-8f53-869881c3d3ab": {"microsoft.storage/storageaccounts"}, // Storage Account Contributor
}

// providerType is "microsoft.storage/storageaccounts" of a resource id.
func providerType(id string) string {
	lower := strings.ToLower(id)
	i := strings.LastIndex(lower, "/providers/")
	if i < 0 {
		return ""
	}
	parts := strings.Split(lower[i+len("/providers/"):], "/")
	if len(parts) < 2 {
		return ""
	}
	return parts[0] + "/" + parts[1]
}

// destination is one managed private endpoint: a target and its private-link group.
type destination struct {
	target, group string
	name          string // the rule's name
}

// workspaceIdentityPrincipal returns the principal id of a workspace's primary user-assigned
// identity, or "".
func (w *world) workspaceIdentityPrincipal(ws *Object) string {
	id := ws.Str("primaryUserAssignedIdentity")
	if o := w.byID(id); o != nil {
		return o.Out("principalId")
	}
	return ""
}

// canApprove reports whether principal may approve an endpoint to target when the world is
// as it is: an assignment of an approving role on the target or a scope above it, in effect.
func (w *world) canApprove(principal, target string) bool {
	if principal == "" {
		return false
	}
	typ := providerType(target)
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
		if !covers || !(strings.EqualFold(scope, target) || strings.HasPrefix(strings.ToLower(target), scope+"/")) {
			continue
		}
		if !w.plan && w.cloud != nil && w.cloud.opts.Timing != nil && !ra.Done.IsZero() &&
			w.now.Sub(ra.Done) < w.cloud.opts.Timing.real(w.cloud.opts.Timing.Propagation) {
			continue // assigned, not yet in effect
		}
		return true
	}
	return false
}

// requiredDestinations are the rules Azure adds when it provisions a workspace's managed network.
func requiredDestinations(ws *Object, w *world) []destination {
	mode := ws.Str("managedNetwork.isolationMode")
	if mode != "AllowOnlyApprovedOutbound" && mode != "AllowInternetOutbound" {
		return nil
	}
	private := func(id string, path string) bool {
		if mode == "AllowOnlyApprovedOutbound" {
			return true
		}
		o := w.byID(id)
		return o != nil && o.Str(path) == "Disabled"
	}
	var out []destination
	add := func(target, group, path string) {
		if target != "" && private(target, path) {
			out = append(out, destination{target: target, group: group, name: "__SYS_PE_" + lastSegment(target) + "_" + group})
		}
	}
	st := ws.Str("storageAccount")
	add(st, "blob", "publicNetworkAccess")
	add(st, "file", "publicNetworkAccess")
	add(ws.Str("keyVault"), "vault", "properties.publicNetworkAccess")
	add(ws.Str("containerRegistry"), "registry", "publicNetworkAccess")
	if mode == "AllowOnlyApprovedOutbound" || ws.Str("publicNetworkAccess") == "Disabled" {
		out = append(out, destination{target: ws.ID, group: "amlworkspace", name: "__SYS_PE_" + lastSegment(ws.ID) + "_amlworkspace"})
	}
	return out
}

func lastSegment(id string) string { return id[strings.LastIndex(id, "/")+1:] }

// effects sets what Azure computes when an operation runs: the required rules and their state
// at a workspace's provisioning, a rule's state when it is written.
func effects(o *op, w *world) {
	switch {
	case o.obj.Key == "machinelearningservices:Workspace" && o.kind == opCreate:
		if w.cloud != nil && w.cloud.opts.WorkspaceIPRulesIgnoredAtCreate {
			// The IP rules are dropped; the default action stays, so a check of the default
			// action alone would not notice.
			acls := map[string]any{"ipRules": []any{}}
			if d := o.obj.Str("networkAcls.defaultAction"); d != "" {
				acls["defaultAction"] = d
			}
			o.obj.Outputs["networkAcls"] = resource.NewPropertyValue(acls)
		}
		if v, _ := o.obj.Bool("provisionNetworkNow"); !v {
			return
		}
		principal := w.workspaceIdentityPrincipal(o.obj)
		rules := map[string]any{}
		for _, d := range requiredDestinations(o.obj, w) {
			status := "Inactive"
			// The endpoint to the workspace itself is approved during provisioning, once the
			// workspace exists: only a grant above the workspace can already be there.
			if w.canApprove(principal, d.target) {
				status = "Active"
			}
			rules[d.name] = map[string]any{"type": "PrivateEndpoint", "category": "Required", "status": status,
				"destination": map[string]any{"serviceResourceId": d.target, "subresourceTarget": d.group}}
		}
		for name, r := range inlineRules(o.obj.Inputs) {
			m := toPlain(r, "", "").(map[string]any)
			m["category"] = "UserDefined"
			m["status"] = "Inactive"
			if target, _ := Lookup(r.ObjectValue(), "destination.serviceResourceId"); target.IsString() && w.canApprove(principal, target.StringValue()) {
				m["status"] = "Active"
			} else if plainString(r.ObjectValue()["type"]) != "PrivateEndpoint" {
				m["status"] = "Active"
			}
			rules[name] = m
		}
		mn := map[string]any{"status": map[string]any{"status": "Active", "sparkReady": false}, "outboundRules": rules,
			"isolationMode": o.obj.Str("managedNetwork.isolationMode"), "firewallSku": o.obj.Str("managedNetwork.firewallSku")}
		o.obj.Outputs["managedNetwork"] = resource.NewPropertyValue(mn)
	case o.obj.Key == "machinelearningservices:Workspace" && o.kind == opUpdate && o.old != nil:
		// A workspace PUT keeps the network's state and separately written rules
		// (pulumi/pulumi-azure-native#3225 was fixed in the service).
		if mn, ok := o.old.Outputs["managedNetwork"]; ok {
			o.obj.Outputs["managedNetwork"] = mn
		}
	case o.obj.Key == "machinelearningservices:ManagedNetworkSettingsRule" && o.kind != opDelete:
		status := "Active"
		if o.obj.Str("properties.type") == "PrivateEndpoint" {
			ws := w.byID(parentID(o.obj.ID, 2))
			if ws == nil || !w.canApprove(w.workspaceIdentityPrincipal(ws), o.obj.Str("properties.destination.serviceResourceId")) {
				status = "Inactive"
			}
		}
		props := resource.PropertyMap{}
		if p, ok := o.obj.Outputs["properties"]; ok && p.IsObject() {
			props = p.ObjectValue().Copy()
		}
		props["status"] = resource.NewProperty(status)
		o.obj.Outputs["properties"] = resource.NewProperty(props)
	}
}

// inlineRules are the outbound rules written inline in a workspace's managedNetwork.
func inlineRules(in resource.PropertyMap) map[string]resource.PropertyValue {
	v, ok := Lookup(in, "managedNetwork.outboundRules")
	if !ok || !v.IsObject() {
		return nil
	}
	out := map[string]resource.PropertyValue{}
	for k, r := range v.ObjectValue() {
		for r.IsSecret() {
			r = r.SecretValue().Element
		}
		if r.IsObject() {
			out[string(k)] = r
		}
	}
	return out
}

// planApprovals judges, on a plan, that every managed endpoint can be approved when it is
// made: the workspace must wait for grants that let its identity approve its required
// rules' targets, and every PrivateEndpoint rule for one on its target.
func planApprovals(o *op, w *world) *AzureError {
	switch o.obj.Key {
	case "machinelearningservices:Workspace":
		if v, _ := o.obj.Bool("provisionNetworkNow"); !v {
			return nil
		}
		principal := w.workspaceIdentityPrincipal(o.obj)
		var missing []string
		for _, d := range requiredDestinations(o.obj, w) {
			if !w.canApprove(principal, d.target) {
				missing = append(missing, d.group+" "+d.target)
			}
		}
		for name, r := range inlineRules(o.obj.Inputs) {
			if target, _ := Lookup(r.ObjectValue(), "destination.serviceResourceId"); target.IsString() && !w.canApprove(principal, target.StringValue()) {
				missing = append(missing, name+" "+target.StringValue())
			}
		}
		if len(missing) > 0 {
			sort.Strings(missing)
			return ruleApproval.errorf("the managed network's private endpoints to %s would stay Inactive: the workspace waits for no grant that lets its identity approve them", strings.Join(missing, ", "))
		}
	case "machinelearningservices:ManagedNetworkSettingsRule":
		if o.obj.Str("properties.type") != "PrivateEndpoint" {
			return nil
		}
		ws := w.byID(parentID(o.obj.ID, 2))
		if ws == nil {
			return nil // reference-exists reports it
		}
		target := o.obj.Str("properties.destination.serviceResourceId")
		if !w.canApprove(w.workspaceIdentityPrincipal(ws), target) {
			return ruleApproval.errorf("rule %s to %s would stay Inactive: it waits for no grant that lets the workspace identity approve it", o.obj.Name, target)
		}
	}
	return nil
}

// checkComputeRules refuses a compute instance whose needed rules are Inactive (engine), or
// that does not wait for every rule of its workspace (plan).
func checkComputeRules(o *op, w *world) *AzureError {
	if o.obj.Key != "machinelearningservices:Compute" {
		return nil
	}
	ws := w.byID(parentID(o.obj.ID, 2))
	if ws == nil {
		return nil
	}
	// A workspace without a managed network (no isolation mode, or Disabled) has no outbound
	// rules for its compute to need.
	if m := ws.Str("managedNetwork.isolationMode"); m != "AllowInternetOutbound" && m != "AllowOnlyApprovedOutbound" {
		return nil
	}
	if w.plan {
		return planComputeRules(o, w, ws)
	}
	var inactive []string
	haveWorkspaceRule := false
	if v, ok := Lookup(ws.Outputs, "managedNetwork.outboundRules"); ok && v.IsObject() {
		for name, r := range v.ObjectValue() {
			m := r.ObjectValue()
			if plainString(m["category"]) != "Required" {
				continue
			}
			if dest, _ := Lookup(m, "destination.subresourceTarget"); plainString(dest) == "amlworkspace" {
				haveWorkspaceRule = true
			}
			if plainString(m["status"]) != "Active" {
				inactive = append(inactive, string(name))
			}
		}
	}
	for _, r := range w.find("machinelearningservices:ManagedNetworkSettingsRule", func(x *Object) bool {
		return strings.EqualFold(parentID(x.ID, 2), ws.ID)
	}) {
		if strings.EqualFold(r.Str("properties.destination.serviceResourceId"), ws.ID) {
			haveWorkspaceRule = true
			if s, _ := Lookup(r.Outputs, "properties.status"); plainString(s) != "Active" {
				inactive = append(inactive, r.Name)
			}
		}
	}
	if ws.Str("managedNetwork.isolationMode") != "" && !haveWorkspaceRule {
		inactive = append(inactive, "(no rule to the workspace: a public workspace with AllowInternetOutbound needs a PrivateEndpoint rule to itself, amlworkspace)")
	}
	if len(inactive) > 0 {
		sort.Strings(inactive)
		return ruleComputeNeedsActiveRules.errorf("The specified Azure ML Compute Instance %s setup failed: the managed network cannot reach the workspace or its storage; rules not Active: %s", o.obj.Name, strings.Join(inactive, ", "))
	}
	return nil
}

func planComputeRules(o *op, w *world, ws *Object) *AzureError {
	rules := w.cloud.planRules(ws.ID)
	var notWaited []string
	haveWorkspaceRule := false
	for _, r := range rules {
		if strings.EqualFold(r.Str("properties.destination.serviceResourceId"), ws.ID) {
			haveWorkspaceRule = true
		}
		if w.byID(r.ID) == nil {
			notWaited = append(notWaited, r.Name)
		}
	}
	if len(notWaited) > 0 {
		sort.Strings(notWaited)
		return ruleComputeNeedsActiveRules.errorf("compute instance %s does not wait for outbound rule(s) %s of its workspace: it would race their writes and their approval", o.obj.Name, strings.Join(notWaited, ", "))
	}
	needsOwn := true
	for _, d := range requiredDestinations(ws, w) {
		if d.group == "amlworkspace" {
			needsOwn = false
		}
	}
	if needsOwn && !haveWorkspaceRule {
		return ruleComputeNeedsActiveRules.errorf("compute instance %s: a public workspace with %s gets no required rule to itself, and no PrivateEndpoint rule to the workspace (amlworkspace) exists", o.obj.Name, ws.Str("managedNetwork.isolationMode"))
	}
	return nil
}

// planRules returns the outbound rules of a workspace that the current plan (set by the
// Monitor while it judges) registers.
func (c *Cloud) planRules(workspaceID string) []*Object {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []*Object
	for _, o := range c.plan {
		if o.Key == "machinelearningservices:ManagedNetworkSettingsRule" && strings.EqualFold(parentID(o.ID, 2), workspaceID) {
			out = append(out, o)
		}
	}
	return out
}

// checkDuplicateDestination refuses a rule to a destination that has one.
func checkDuplicateDestination(o *op, w *world) *AzureError {
	if o.obj.Key != "machinelearningservices:ManagedNetworkSettingsRule" || o.obj.Str("properties.type") != "PrivateEndpoint" {
		return nil
	}
	ws := w.byID(parentID(o.obj.ID, 2))
	if ws == nil {
		return nil
	}
	target, group := o.obj.Str("properties.destination.serviceResourceId"), o.obj.Str("properties.destination.subresourceTarget")
	for _, d := range requiredDestinations(ws, w) {
		if strings.EqualFold(d.target, target) && d.group == group {
			return ruleDuplicateDestination.errorf("rule %s: a rule to this destination (%s, %s) already exists: the required rule %s", o.obj.Name, target, group, d.name)
		}
	}
	for _, r := range w.find(o.obj.Key, func(x *Object) bool {
		return strings.EqualFold(parentID(x.ID, 2), ws.ID) && !strings.EqualFold(x.ID, o.obj.ID)
	}) {
		if strings.EqualFold(r.Str("properties.destination.serviceResourceId"), target) && r.Str("properties.destination.subresourceTarget") == group {
			return ruleDuplicateDestination.errorf("rule %s: a rule to this destination (%s, %s) already exists: %s", o.obj.Name, target, group, r.Name)
		}
	}
	return nil
}

// checkFQDNMode refuses FQDN and service-tag rules outside AllowOnlyApprovedOutbound.
func checkFQDNMode(o *op, w *world) *AzureError {
	check := func(ws *Object, typ, name string) *AzureError {
		if (typ == "FQDN" || typ == "ServiceTag") && ws.Str("managedNetwork.isolationMode") != "AllowOnlyApprovedOutbound" {
			return ruleFQDNNeedsApprovedOnly.errorf("Only \"PrivateEndpoint\" outbound rules are supported when managed network isolation mode is %q (rule %s is %s).", ws.Str("managedNetwork.isolationMode"), name, typ)
		}
		return nil
	}
	switch o.obj.Key {
	case "machinelearningservices:ManagedNetworkSettingsRule":
		if ws := w.byID(parentID(o.obj.ID, 2)); ws != nil {
			return check(ws, o.obj.Str("properties.type"), o.obj.Name)
		}
	case "machinelearningservices:Workspace":
		for name, r := range inlineRules(o.obj.Inputs) {
			if e := check(o.obj, plainString(r.ObjectValue()["type"]), name); e != nil {
				return e
			}
		}
	}
	return nil
}

// planOneMethod: a workspace with inline rules must have no separate rule resources.
func planOneMethod(all []*Resource) []error {
	inline := map[string]bool{}
	for _, r := range all {
		if r.Custom && r.Key() == "machinelearningservices:Workspace" && len(inlineRules(r.Inputs)) > 0 {
			inline[strings.ToLower(r.ID)] = true
		}
	}
	var errs []error
	for _, r := range all {
		if r.Custom && r.Key() == "machinelearningservices:ManagedNetworkSettingsRule" && inline[strings.ToLower(parentID(r.ID, 2))] {
			errs = append(errs, fmt.Errorf("%s %s: %w", r.Key(), r.Name, ruleOneMethod.errorf("the workspace writes its outbound rules inline too; use one method")))
		}
	}
	return errs
}

// SettleImported gives each workspace put into the cloud without a managed network's state
// (an imported deployment) the state Azure keeps for a provisioned network whose required
// rules were approved: a deployment that was working before the program changed.
func (c *Cloud) SettleImported() {
	w := c.world()
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, ws := range w.objects {
		if ws.Key != "machinelearningservices:Workspace" {
			continue
		}
		if _, ok := Lookup(ws.Outputs, "managedNetwork.outboundRules"); ok || ws.Str("managedNetwork.isolationMode") == "" {
			continue
		}
		rules := map[string]any{}
		for _, d := range requiredDestinations(ws, w) {
			rules[d.name] = map[string]any{"type": "PrivateEndpoint", "category": "Required", "status": "Active",
				"destination": map[string]any{"serviceResourceId": d.target, "subresourceTarget": d.group}}
		}
		ws.Outputs["managedNetwork"] = resource.NewPropertyValue(map[string]any{
			"status": map[string]any{"status": "Active", "sparkReady": false}, "outboundRules": rules,
			"isolationMode": ws.Str("managedNetwork.isolationMode"), "firewallSku": ws.Str("managedNetwork.firewallSku")})
	}
}
