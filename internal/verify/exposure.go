package verify

import (
	"context"
	"fmt"
	"net/netip"
	"strings"

	"azure-ml-security/internal/verifyspec"
)

const (
	typeStorage   = "Microsoft.Storage/storageAccounts"
	typeKeyVault  = "Microsoft.KeyVault/vaults"
	typeRegistry  = "Microsoft.ContainerRegistry/registries"
	typeSQLServer = "Microsoft.Sql/servers"
	typeWorkspace = "Microsoft.MachineLearningServices/workspaces"
	// typeMonitorScope is the target of the "monitor" outbound rule of privateMonitoring.
	typeMonitorScope = "Microsoft.Insights/privateLinkScopes"
)

var typeLabels = map[string]string{
	strings.ToLower(typeStorage):      "storage account",
	strings.ToLower(typeKeyVault):     "key vault",
	strings.ToLower(typeRegistry):     "container registry",
	strings.ToLower(typeSQLServer):    "SQL server",
	strings.ToLower(typeWorkspace):    "workspace",
	strings.ToLower(typeMonitorScope): "Azure Monitor private link scope",
}

// label names a resource for the report: "storage account stlake".
func label(id string) string {
	t := resourceType(id)
	if l, ok := typeLabels[strings.ToLower(t)]; ok {
		return l + " " + resourceName(id)
	}
	return t + " " + resourceName(id)
}

// apiVersionOf is the API version the program deploys the resource with: the one the Spec
// states for it, else the program's version for its type ("" when verify knows none).
func (v *Verifier) apiVersionOf(id string) string {
	for _, e := range v.spec.Exposure {
		if strings.EqualFold(e.ID, id) && e.APIVersion != "" {
			return e.APIVersion
		}
	}
	switch strings.ToLower(resourceType(id)) {
	case strings.ToLower(typeStorage):
		return apiStorage
	case strings.ToLower(typeKeyVault):
		return apiKeyVault
	case strings.ToLower(typeRegistry):
		return apiRegistry
	case strings.ToLower(typeSQLServer):
		return apiSQL
	case strings.ToLower(typeWorkspace):
		return v.workspaceAPI()
	case strings.ToLower(typeMonitorScope):
		return apiMonitorScope
	}
	return ""
}

func (v *Verifier) getNetworked(ctx context.Context, id, apiVersion string) (networked, error) {
	if apiVersion == "" {
		return networked{}, fmt.Errorf("verify knows no API version for resources of type %s (give it in the stack's exposure list)", resourceType(id))
	}
	return get[networked](ctx, v, id, apiVersion)
}

func (v *Verifier) checkExposure(ctx context.Context) []Result {
	if len(v.spec.Exposure) == 0 {
		return []Result{skip(CheckExposure, "the stack lists no resource whose network exposure it decides")}
	}
	var out []Result
	for _, e := range v.spec.Exposure {
		out = append(out, v.exposureOf(ctx, e))
	}
	return out
}

// exposureOf judges one resource. Private: publicNetworkAccess Disabled, and no firewall
// rule that admits anyone (a default action of Deny and no IP rule; for SQL, no firewall
// rule at all). Public: only allowedIpAddresses, behind a default action of Deny, so the
// rules the stack writes are in force and nobody added one in the portal. Either way, no
// virtual network or resource instance rule.
func (v *Verifier) exposureOf(ctx context.Context, e verifyspec.Exposed) Result {
	name := label(e.ID)
	kind := strings.ToLower(resourceType(e.ID))
	n, err := v.getNetworked(ctx, e.ID, v.apiVersionOf(e.ID))
	if isNotFound(err) {
		return fail(CheckExposure, []string{name + " does not exist"}, "run `pulumi up --refresh` to create it again")
	}
	if err != nil {
		return v.errorResult(CheckExposure, "read "+name, err)
	}
	pna := n.Properties.PublicNetworkAccess
	disabled := strings.EqualFold(pna, "Disabled")
	var sqlRules []sqlFirewallRule
	var sqlVNetRules []sqlVNetRule
	if kind == strings.ToLower(typeSQLServer) {
		sqlRules, err = list[sqlFirewallRule](ctx, v, e.ID+"/firewallRules", v.apiVersionOf(e.ID))
		if err != nil {
			return v.errorResult(CheckExposure, "list the firewall rules of "+name, err)
		}
		sqlVNetRules, err = list[sqlVNetRule](ctx, v, e.ID+"/virtualNetworkRules", v.apiVersionOf(e.ID))
		if err != nil {
			return v.errorResult(CheckExposure, "list the virtual network rules of "+name, err)
		}
	}
	// Storage, Key Vault and the registry have an IP firewall of their own; the workspace's
	// networkAcls apply only while its public access is on.
	hasIPFirewall := kind == strings.ToLower(typeStorage) || kind == strings.ToLower(typeKeyVault) || kind == strings.ToLower(typeRegistry)
	fw := n.firewall()

	// The program writes no virtual network or resource instance rule, public stack or
	// private (components/, internal/securestorage): any was added by someone, and admits a
	// subnet or another resource past the firewall.
	findings := networkRuleFindings(name, fw, sqlVNetRules)
	if e.Private {
		if !disabled {
			findings = append(findings, fmt.Sprintf("%s: public network access is %s, the stack makes it Disabled", name, orDefault(pna, "not set (Enabled)")))
		}
		if hasIPFirewall {
			if !denies(fw) {
				findings = append(findings, fmt.Sprintf("%s: firewall default action is %s, not Deny", name, defaultAction(fw)))
			}
			// The program writes no IP rule into a private resource's firewall: any rule
			// there was added by someone, and would admit that address the day public
			// access is turned on.
			for _, ip := range fw.values() {
				findings = append(findings, fmt.Sprintf("%s: firewall admits %s, though the stack makes it private", name, ip))
			}
		}
		for _, r := range sqlRules {
			findings = append(findings, fmt.Sprintf("%s: firewall rule %s admits %s", name, r.Name, sqlRange(r)))
		}
		if len(findings) > 0 {
			return fail(CheckExposure, findings, "the stack makes it private: run `pulumi up --refresh` to turn public access off and drop the rules again"+removeNetworkRules+"; the resource's Activity log shows who changed it")
		}
		detail := name + ": public network access Disabled"
		switch {
		case hasIPFirewall:
			detail += "; firewall default Deny, no IP rule"
		case kind == strings.ToLower(typeSQLServer):
			detail += "; no firewall rule"
		}
		return pass(CheckExposure, detail)
	}

	if disabled {
		findings = append(findings, name+": public network access is Disabled though the stack is public, so allowedIpAddresses cannot reach it")
	}
	switch {
	case kind == strings.ToLower(typeSQLServer):
		findings = append(findings, v.sqlRuleFindings(name, sqlRules)...)
	case hasIPFirewall || kind == strings.ToLower(typeWorkspace):
		// The workspace too: its networkAcls must be in force after create (audit finding F7),
		// or studio is open to every address.
		if !denies(fw) {
			findings = append(findings, fmt.Sprintf("%s: default action is %s, so every address is admitted", name, defaultAction(fw)))
		}
		extra, missing := diffIPs(fw.values(), v.spec.AllowedIPs)
		for _, ip := range extra {
			findings = append(findings, fmt.Sprintf("%s: admits %s, which is not in allowedIpAddresses", name, ip))
		}
		for _, ip := range missing {
			findings = append(findings, fmt.Sprintf("%s: does not admit %s from allowedIpAddresses", name, ip))
		}
	}
	if len(findings) > 0 {
		return fail(CheckExposure, findings, "run `pulumi up --refresh` to restore exactly allowedIpAddresses behind a default Deny"+removeNetworkRules+"; to admit another address, add it to allowedIpAddresses (pulumi config set --path 'allowedIpAddresses[N]' <ip>) rather than in the portal")
	}
	if kind == strings.ToLower(typeSQLServer) {
		return pass(CheckExposure, fmt.Sprintf("%s: %s, all from allowedIpAddresses", name, plural(len(sqlRules), "firewall rule", "firewall rules")))
	}
	if !hasIPFirewall && kind != strings.ToLower(typeWorkspace) {
		return pass(CheckExposure, fmt.Sprintf("%s: public network access %s", name, orDefault(pna, "not set")))
	}
	return pass(CheckExposure, fmt.Sprintf("%s: admits only allowedIpAddresses (%s) behind default Deny", name, plural(len(v.spec.AllowedIPs), "address", "addresses")))
}

// sqlRuleFindings compares SQL firewall rules with the ranges of allowedIpAddresses, the way
// the program writes them (components/datastores/sql.go: one rule per address or CIDR).
func (v *Verifier) sqlRuleFindings(name string, rules []sqlFirewallRule) []string {
	allowed := map[string]string{}
	for _, ip := range v.spec.AllowedIPs {
		if first, last, ok := ipv4Range(ip); ok {
			allowed[first+"-"+last] = ip
		}
	}
	var findings []string
	covered := map[string]bool{}
	for _, r := range rules {
		key := r.Properties.StartIPAddress + "-" + r.Properties.EndIPAddress
		if _, ok := allowed[key]; ok {
			covered[key] = true
			continue
		}
		if key == "0.0.0.0-0.0.0.0" {
			findings = append(findings, fmt.Sprintf("%s: firewall rule %s admits all Azure services (0.0.0.0), any tenant's included", name, r.Name))
			continue
		}
		findings = append(findings, fmt.Sprintf("%s: firewall rule %s admits %s, which is not in allowedIpAddresses", name, r.Name, sqlRange(r)))
	}
	for _, ip := range v.spec.AllowedIPs {
		if first, last, ok := ipv4Range(ip); ok && !covered[first+"-"+last] {
			findings = append(findings, fmt.Sprintf("%s: no firewall rule admits %s from allowedIpAddresses", name, ip))
		}
	}
	return findings
}

func sqlRange(r sqlFirewallRule) string {
	if r.Properties.StartIPAddress == r.Properties.EndIPAddress {
		return r.Properties.StartIPAddress
	}
	return r.Properties.StartIPAddress + "-" + r.Properties.EndIPAddress
}

// diffIPs compares IP rules with the allowed addresses as prefixes, since services write a
// single address as given or as /32.
func diffIPs(have, want []string) (extra, missing []string) {
	haveSet, wantSet := map[string]bool{}, map[string]bool{}
	for _, ip := range have {
		haveSet[canonicalIP(ip)] = true
	}
	for _, ip := range want {
		wantSet[canonicalIP(ip)] = true
	}
	for _, ip := range have {
		if !wantSet[canonicalIP(ip)] {
			extra = append(extra, ip)
		}
	}
	for _, ip := range want {
		if !haveSet[canonicalIP(ip)] {
			missing = append(missing, ip)
		}
	}
	return extra, missing
}

// canonicalIP writes an address or CIDR as a masked prefix: 203.0.113.7 and 203.0.113.7/32
// are the same rule.
func canonicalIP(s string) string {
	s = strings.TrimSpace(s)
	if p, err := netip.ParsePrefix(s); err == nil {
		return p.Masked().String()
	}
	if a, err := netip.ParseAddr(s); err == nil {
		return netip.PrefixFrom(a, a.BitLen()).String()
	}
	return strings.ToLower(s)
}

// ipv4Range is the first and last address of an IPv4 address or CIDR.
func ipv4Range(s string) (first, last string, ok bool) {
	p, err := netip.ParsePrefix(canonicalIP(s))
	if err != nil || !p.Addr().Is4() {
		return "", "", false
	}
	lo := p.Masked().Addr().As4()
	hi := lo
	host := 32 - p.Bits()
	for i := 3; i >= 0 && host > 0; i-- {
		n := min(host, 8)
		hi[i] |= byte(1<<n - 1)
		host -= n
	}
	return netip.AddrFrom4(lo).String(), netip.AddrFrom4(hi).String(), true
}

// removeNetworkRules is the fix for networkRuleFindings: SQL's virtual network rules are
// resources of their own, which `pulumi up` does not know of.
const removeNetworkRules = ", and delete any virtual network or resource instance rule on the resource's Networking page (the stack writes none)"

// networkRuleFindings lists the rules that admit subnets (storage's, Key Vault's and SQL's
// virtual network rules) or Azure resource instances (storage's resourceAccessRules).
func networkRuleFindings(name string, fw *ipRuleSet, sqlVNetRules []sqlVNetRule) []string {
	var out []string
	if fw != nil {
		for _, r := range fw.VirtualNetworkRules {
			out = append(out, fmt.Sprintf("%s: virtual network rule admits subnet %s", name, r.ID))
		}
		for _, r := range fw.ResourceAccessRules {
			if isDefenderScanner(r.ResourceID) {
				continue
			}
			out = append(out, fmt.Sprintf("%s: resource instance rule admits %s", name, r.ResourceID))
		}
	}
	for _, r := range sqlVNetRules {
		out = append(out, fmt.Sprintf("%s: virtual network rule %s admits subnet %s", name, r.Name, r.Properties.VirtualNetworkSubnetID))
	}
	return out
}

// isDefenderScanner: the resource instance rule Microsoft Defender for Storage adds to every
// storage account with network limits when its malware scanning or sensitive data discovery
// is on (a subscription's Microsoft.Security/datascanners/StorageDataScanner; elastic/cloudbeat#1254,
// hashicorp/terraform-provider-azurerm#26019). It is the platform's, and Defender writes it
// back if deleted, so it is not a finding.
func isDefenderScanner(resourceID string) bool {
	return strings.HasSuffix(strings.ToLower(resourceID), "/providers/microsoft.security/datascanners/storagedatascanner")
}

// denies: the firewall's default action is Deny (ARM answers in any case).
func denies(fw *ipRuleSet) bool {
	return fw != nil && strings.EqualFold(fw.DefaultAction, "Deny")
}

func defaultAction(fw *ipRuleSet) string {
	if fw == nil || fw.DefaultAction == "" {
		return "not set (Allow)"
	}
	return fw.DefaultAction
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
