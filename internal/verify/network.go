package verify

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"azure-ml-security/internal/verifyspec"
)

// managedNetworkDoc explains the managed network, its rules and their cost.
const managedNetworkDoc = "https://learn.microsoft.com/azure/machine-learning/how-to-managed-network"

func (v *Verifier) getWorkspace(ctx context.Context) (workspace, error) {
	return get[workspace](ctx, v, v.workspaceID(), v.workspaceAPI())
}

func (v *Verifier) checkWorkspace(ctx context.Context) []Result {
	ws, err := v.getWorkspace(ctx)
	if isNotFound(err) {
		return []Result{fail(CheckWorkspace, []string{"workspace " + v.workspaceName() + " does not exist"},
			"run `pulumi up --refresh` to create it again (the stack's state still lists it)")}
	}
	if err != nil {
		return []Result{v.errorResult(CheckWorkspace, "read the workspace", err)}
	}
	if s := ws.Properties.ProvisioningState; s != "Succeeded" {
		return []Result{fail(CheckWorkspace, []string{fmt.Sprintf("workspace %s is %s, not Succeeded", v.workspaceName(), orNone(s))},
			"wait if it is Creating or Updating; if it is Failed, read the resource group's Activity log for the cause, then run `pulumi up --refresh`")}
	}
	return []Result{pass(CheckWorkspace, v.workspaceName()+" is provisioned (provisioningState Succeeded)")}
}

func (v *Verifier) checkManagedNetwork(ctx context.Context) []Result {
	ws, err := v.getWorkspace(ctx)
	if err != nil {
		return []Result{v.errorResult(CheckManagedNetwork, "read the workspace", err)}
	}
	mn := ws.Properties.ManagedNetwork
	if mn == nil {
		return []Result{fail(CheckManagedNetwork, []string{"the workspace has no managed network"},
			"run `pulumi up --refresh`: the stack creates the workspace with a managed network ("+managedNetworkDoc+")")}
	}
	want := v.spec.Workspace
	var findings, fixes []string
	if want.IsolationMode != "" && mn.IsolationMode != want.IsolationMode {
		findings = append(findings, fmt.Sprintf("isolation mode is %s, the stack sets %s", orNone(mn.IsolationMode), want.IsolationMode))
		fixes = append(fixes, "run `pulumi up --refresh` to set the isolation mode back (someone changed it outside the stack)")
	}
	// Azure uses a Standard firewall when the SKU is not set ("A standard version of Azure
	// Firewall is used by default", managedNetworkDoc).
	sku := mn.FirewallSku
	if sku == "" {
		sku = "Standard"
	}
	if want.FirewallSku != "" && !strings.EqualFold(sku, want.FirewallSku) {
		findings = append(findings, fmt.Sprintf("firewall SKU is %s, the stack sets %s", sku, want.FirewallSku))
		fixes = append(fixes, "run `pulumi up --refresh` to set the firewall SKU back")
	}
	status := ""
	if mn.Status != nil {
		status = mn.Status.Status
	}
	if status != "Active" {
		findings = append(findings, fmt.Sprintf("managed network status is %s, not Active: it has not been provisioned", orNone(status)))
		fixes = append(fixes, fmt.Sprintf("provision it: az ml workspace provision-network -g %s -n %s (the stack asks for provisionNetworkNow; a failed provisioning shows in the Activity log)",
			v.spec.ResourceGroupName, v.workspaceName()))
	}
	if len(findings) > 0 {
		return []Result{fail(CheckManagedNetwork, findings, strings.Join(fixes, "\n"))}
	}
	return []Result{pass(CheckManagedNetwork, fmt.Sprintf("Active; isolation mode %s; firewall SKU %s", mn.IsolationMode, sku))}
}

func (v *Verifier) listRules(ctx context.Context) ([]rule, error) {
	return list[rule](ctx, v, v.workspaceID()+"/outboundRules", v.ruleAPI())
}

func (v *Verifier) checkOutboundRules(ctx context.Context) []Result {
	rules, err := v.listRules(ctx)
	if err != nil {
		return []Result{v.errorResult(CheckOutboundRules, "list the workspace's outbound rules", err)}
	}
	byName := map[string]rule{}
	for _, r := range rules {
		byName[strings.ToLower(r.Name)] = r
	}
	declared := map[string]bool{}
	var missing, wrong, inactive, added []string
	for _, d := range v.spec.OutboundRules {
		declared[strings.ToLower(d.Name)] = true
		r, ok := byName[strings.ToLower(d.Name)]
		if !ok {
			missing = append(missing, fmt.Sprintf("rule %s (%s) does not exist", d.Name, describeDeclared(d)))
			continue
		}
		if m := ruleMismatch(d, r.Properties); m != "" {
			wrong = append(wrong, fmt.Sprintf("rule %s %s", d.Name, m))
			continue
		}
		if r.Properties.Status != "Active" {
			inactive = append(inactive, fmt.Sprintf("rule %s (%s) is %s", d.Name, describeDeclared(d), orNone(r.Properties.Status)))
		}
	}
	azureOwn := 0
	for _, r := range rules {
		if declared[strings.ToLower(r.Name)] {
			continue
		}
		// Required, Recommended and Dependency rules are the ones Azure adds for the
		// workspace's own dependencies (managedNetworkDoc); only UserDefined ones are someone's.
		if r.Properties.Category != "UserDefined" {
			azureOwn++
			continue
		}
		dest, sub := r.Properties.target()
		added = append(added, fmt.Sprintf("rule %s (%s to %s) was added outside the stack", r.Name, r.Properties.Type, joinNonEmpty(shortID(dest), sub)))
	}
	var findings, fixes []string
	if len(missing)+len(wrong) > 0 {
		findings = append(findings, missing...)
		findings = append(findings, wrong...)
		fixes = append(fixes, "run `pulumi up --refresh` to create the declared rules again")
	}
	if len(inactive) > 0 {
		findings = append(findings, inactive...)
		fixes = append(fixes, "an Inactive private-endpoint rule means its managed private endpoint is not approved or the managed network was not provisioned after the rule was added: see 'endpoint approval', then run "+
			fmt.Sprintf("az ml workspace provision-network -g %s -n %s", v.spec.ResourceGroupName, v.workspaceName()))
	}
	if len(added) > 0 {
		findings = append(findings, added...)
		fixes = append(fixes, fmt.Sprintf("it widens what the managed network may reach without review: remove it (az ml workspace outbound-rule remove -g %s -w %s --rule <name>) or declare it in the stack",
			v.spec.ResourceGroupName, v.workspaceName()))
	}
	if len(findings) > 0 {
		return []Result{fail(CheckOutboundRules, findings, strings.Join(fixes, "\n"))}
	}
	return []Result{pass(CheckOutboundRules, fmt.Sprintf("%s Active; no rule added outside the stack (%s Azure adds itself)",
		plural(len(v.spec.OutboundRules), "declared rule", "declared rules"), plural(azureOwn, "rule", "rules")))}
}

// ruleMismatch says how an Azure rule differs from the declared one, "" when it does not.
func ruleMismatch(d verifyspec.OutboundRule, p ruleProperties) string {
	if !strings.EqualFold(p.Type, d.Type) {
		return fmt.Sprintf("is of type %s, the stack declares %s", orNone(p.Type), d.Type)
	}
	dest, sub := p.target()
	if !strings.EqualFold(dest, d.Destination) || !strings.EqualFold(sub, d.Subresource) {
		return fmt.Sprintf("leads to %s, the stack declares %s", joinNonEmpty(shortID(dest), sub), joinNonEmpty(shortID(d.Destination), d.Subresource))
	}
	// A service tag admits only its protocol and ports: a rule widened to */* in the portal
	// keeps its tag. A Spec exported before these fields declares none, and is not compared.
	if d.Type == "ServiceTag" && (d.Protocol != "" || d.PortRanges != "") {
		o := p.object()
		if !strings.EqualFold(o.Protocol, d.Protocol) || portRanges(o.PortRanges) != portRanges(d.PortRanges) {
			return fmt.Sprintf("admits %s/%s to %s, the stack declares %s/%s", orNone(o.Protocol), orNone(o.PortRanges), dest, d.Protocol, d.PortRanges)
		}
	}
	return ""
}

// portRanges writes port ranges without spaces: Azure lists them as "80, 443"
// (the AzureActiveDirectory rule it adds), the configuration may say "80,443".
func portRanges(s string) string {
	return strings.ReplaceAll(s, " ", "")
}

func describeDeclared(d verifyspec.OutboundRule) string {
	if d.Type == "ServiceTag" && d.Protocol != "" {
		return fmt.Sprintf("%s to %s %s/%s", d.Type, d.Destination, d.Protocol, d.PortRanges)
	}
	return fmt.Sprintf("%s to %s", d.Type, joinNonEmpty(shortID(d.Destination), d.Subresource))
}

// checkEndpointApproval reads the private endpoint connections of the workspace and of every
// resource the stack exposes or its rules reach. A managed private endpoint shows up on its
// target as a connection; Pending means nobody approved it (the program gives the workspace
// identity "Azure AI Enterprise Network Connection Approver" on each target so Azure approves
// it itself, managedNetworkDoc).
func (v *Verifier) checkEndpointApproval(ctx context.Context) []Result {
	ws, err := v.getWorkspace(ctx)
	if err != nil {
		return []Result{v.errorResult(CheckEndpointApproval, "read the workspace", err)}
	}
	type holder struct {
		id    string
		conns []privateEndpointConnection
	}
	holders := []holder{{v.workspaceID(), ws.Properties.PrivateEndpointConnections}}
	seen := map[string]bool{strings.ToLower(v.workspaceID()): true}
	var targets []string
	for _, e := range v.spec.Exposure {
		targets = append(targets, e.ID)
	}
	for _, r := range v.spec.OutboundRules {
		if r.Type == "PrivateEndpoint" {
			targets = append(targets, r.Destination)
		}
	}
	var errs []Result
	var firstErr error
	var unreadNames []string
	unread := map[string]bool{}
	for _, id := range targets {
		if seen[strings.ToLower(id)] {
			continue
		}
		seen[strings.ToLower(id)] = true
		api := v.apiVersionOf(id)
		if api == "" {
			// verify's gap, not the stack's: said on its own line, with the other targets
			// still judged.
			errs = append(errs, Result{Check: CheckEndpointApproval, Status: Error,
				Detail: fmt.Sprintf("verify knows no API version for %s, so it cannot read the private endpoint connections of %s", resourceType(id), shortID(id)),
				Fix:    "check them on the resource's Networking page in the portal; for verify to read them, add the type and the program's API version to apiVersionOf (internal/verify/exposure.go)"})
			unread[strings.ToLower(id)] = true
			continue
		}
		n, err := get[networked](ctx, v, id, api)
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			unreadNames = append(unreadNames, shortID(id))
			unread[strings.ToLower(id)] = true
			continue
		}
		holders = append(holders, holder{id, n.Properties.PrivateEndpointConnections})
	}
	if firstErr != nil {
		// One line for every resource verify cannot read: mostly one missing permission.
		errs = append(errs, v.errorResult(CheckEndpointApproval, "read "+strings.Join(unreadNames, ", "), firstErr))
	}
	var pending, rejected, noEndpoint []string
	approved := 0
	for _, h := range holders {
		for _, c := range h.conns {
			st := c.Properties.PrivateLinkServiceConnectionState
			// Key Vault's and SQL's connections have no name property, only an id
			// (PrivateEndpointConnectionItem of keyvault 2023-02-01 and
			// ServerPrivateEndpointConnection of sql 2021-11-01 in azure-rest-api-specs).
			name := c.Name
			if name == "" {
				name = resourceName(c.ID)
			}
			switch {
			case strings.EqualFold(st.Status, "Approved"):
				approved++
			case strings.EqualFold(st.Status, "Pending"):
				pending = append(pending, fmt.Sprintf("%s: connection %s is Pending (%s)", shortID(h.id), name, orNone(st.Description)))
			default:
				rejected = append(rejected, fmt.Sprintf("%s: connection %s is %s (%s)", shortID(h.id), name, orNone(st.Status), orNone(st.Description)))
			}
		}
	}
	// A declared private-endpoint rule whose target has no connection at all never got its
	// managed private endpoint.
	for _, r := range v.spec.OutboundRules {
		if r.Type != "PrivateEndpoint" {
			continue
		}
		has := false
		for _, h := range holders {
			if strings.EqualFold(h.id, r.Destination) && len(h.conns) > 0 {
				has = true
			}
		}
		if !has && !unread[strings.ToLower(r.Destination)] {
			noEndpoint = append(noEndpoint, fmt.Sprintf("%s has no private endpoint connection, though rule %s leads to it", shortID(r.Destination), r.Name))
		}
	}
	var findings, fixes []string
	if len(pending) > 0 {
		findings = append(findings, pending...)
		fixes = append(fixes, "approve it: az network private-endpoint-connection approve --id <connection id> --description approved; "+
			"Azure approves managed endpoints itself when the workspace identity holds Azure AI Enterprise Network Connection Approver on the target: see 'role assignments'")
	}
	if len(rejected) > 0 {
		findings = append(findings, rejected...)
		fixes = append(fixes, "a rejected or disconnected connection stays so: delete it (az network private-endpoint-connection delete --id <connection id>) and run `pulumi up --refresh` to make the endpoint again")
	}
	if len(noEndpoint) > 0 {
		findings = append(findings, noEndpoint...)
		fixes = append(fixes, fmt.Sprintf("provision the managed network so Azure creates the endpoints: az ml workspace provision-network -g %s -n %s", v.spec.ResourceGroupName, v.workspaceName()))
	}
	if len(findings) > 0 {
		return append(errs, fail(CheckEndpointApproval, findings, strings.Join(fixes, "\n")))
	}
	// What verify could not read is reported above; what it could read still passes, and says
	// that it is not all.
	on := plural(len(holders), "resource", "resources")
	if len(unread) > 0 {
		on = fmt.Sprintf("the %s verify could read (%d could not be read: see the ERROR)", on, len(unread))
	}
	return append(errs, pass(CheckEndpointApproval, fmt.Sprintf("%s Approved on %s; none Pending or Rejected",
		plural(approved, "private endpoint connection", "private endpoint connections"), on)))
}

// checkFirewall infers the managed Azure Firewall, which is no ARM resource in the
// subscription: Azure creates it when an FQDN outbound rule exists in
// AllowOnlyApprovedOutbound mode, and bills it by the hour ("Pricing", managedNetworkDoc).
func (v *Verifier) checkFirewall(ctx context.Context) []Result {
	ws, err := v.getWorkspace(ctx)
	if err != nil {
		return []Result{v.errorResult(CheckFirewall, "read the workspace", err)}
	}
	mn := ws.Properties.ManagedNetwork
	if mn == nil || mn.IsolationMode != "AllowOnlyApprovedOutbound" {
		return []Result{pass(CheckFirewall, "no managed Azure Firewall: FQDN rules only make one in AllowOnlyApprovedOutbound mode")}
	}
	fqdn := map[string]bool{}
	for name, p := range mn.OutboundRules {
		if strings.EqualFold(p.Type, "FQDN") {
			fqdn[name] = true
		}
	}
	// The rule list is read as well: the workspace GET may leave out rules that are separate
	// resources.
	rules, err := v.listRules(ctx)
	if err != nil {
		return []Result{v.errorResult(CheckFirewall, "list the workspace's outbound rules", err)}
	}
	for _, r := range rules {
		if strings.EqualFold(r.Properties.Type, "FQDN") {
			fqdn[r.Name] = true
		}
	}
	names := make([]string, 0, len(fqdn))
	for n := range fqdn {
		names = append(names, n)
	}
	sort.Strings(names)
	sku := mn.FirewallSku
	if sku == "" {
		sku = "Standard"
	}
	switch {
	case len(names) > 0 && !v.spec.FirewallExpected:
		return []Result{fail(CheckFirewall,
			[]string{fmt.Sprintf("FQDN rules (%s) make Azure run a managed Azure Firewall (%s), billed by the hour; the stack declares no FQDN rule", strings.Join(names, ", "), sku)},
			fmt.Sprintf("remove the FQDN rules (az ml workspace outbound-rule remove -g %s -w %s --rule <name>) or declare them in the stack; pricing: %s#pricing",
				v.spec.ResourceGroupName, v.workspaceName(), managedNetworkDoc))}
	case len(names) > 0:
		return []Result{pass(CheckFirewall, fmt.Sprintf("a managed Azure Firewall (%s) runs for the declared FQDN rules, as expected", sku))}
	case v.spec.FirewallExpected:
		return []Result{pass(CheckFirewall, "no FQDN rule is in force, so no managed Azure Firewall runs yet (the declared FQDN rules are checked under outbound rules)")}
	}
	return []Result{pass(CheckFirewall, "no FQDN rule, so no managed Azure Firewall")}
}

// shortID shows an ARM id as type-name, e.g. storageAccounts/stlake; other strings as they are.
func shortID(id string) string {
	segs := strings.Split(strings.Trim(id, "/"), "/")
	if len(segs) < 4 || !strings.EqualFold(segs[0], "subscriptions") {
		return id
	}
	if len(segs) == 4 {
		return "resource group " + segs[3]
	}
	return segs[len(segs)-2] + "/" + segs[len(segs)-1]
}

func joinNonEmpty(a, b string) string {
	if b == "" {
		return a
	}
	return a + "/" + b
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}
