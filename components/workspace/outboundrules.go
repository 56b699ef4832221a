package workspace

import (
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/internal/azureml"
	"azure-ml-security/internal/logical"
	"azure-ml-security/internal/privatelink"
	"azure-ml-security/internal/rbac"
)

// EgressRule is one outbound rule this component wrote to the managed network.
type EgressRule struct {
	Name string
	// Type is PrivateEndpoint, FQDN or ServiceTag.
	Type string
	// Destination is the FQDN, the service tag with protocol and ports, or the target's id.
	Destination pulumi.StringOutput
	// Subresource is a PrivateEndpoint rule's private-link group.
	Subresource string
	// Protocol and PortRanges are what a ServiceTag rule admits to its tag.
	Protocol, PortRanges string
}

// newOutboundRules writes the workspace's own outbound rules: a private endpoint to the Azure
// Monitor Private Link Scope (when monitoring is private: compute in the managed network then
// has no public way to send telemetry), then the FQDN and service-tag rules. Like every rule
// of the program, each is a separate ManagedNetworkSettingsRule written after every earlier
// one (components/datastores, outboundrules.go, says why), and the private-endpoint one waits
// for the approver grant.
func newOutboundRules(ctx *pulumi.Context, names logical.Names, args *WorkspaceArgs, ws *azureml.Workspace, approver pulumi.Resource, monitor *privateMonitoring) ([]*azureml.ManagedNetworkSettingsRule, []EgressRule, error) {
	var rules []*azureml.ManagedNetworkSettingsRule
	var described []EgressRule
	earlier := []pulumi.Resource{ws}
	add := func(r azureml.ManagedNetworkSettingsRuleArgs, typ string, dest pulumi.StringOutput, wait []pulumi.Resource, opts ...pulumi.ResourceOption) error {
		r.ResourceGroupName = args.ResourceGroupName
		r.WorkspaceName = ws.Name
		res, err := azureml.NewManagedNetworkSettingsRule(ctx, names.Name("outbound-"+r.RuleName), &r,
			names.Parented(append(opts, pulumi.DependsOn(append(wait, earlier...)))...)...)
		if err != nil {
			return err
		}
		rules = append(rules, res)
		rule := EgressRule{Name: r.RuleName, Type: typ, Destination: dest}
		if r.PrivateEndpoint != nil {
			rule.Subresource = r.PrivateEndpoint.SubresourceTarget
		}
		if r.ServiceTag != nil {
			rule.Protocol, rule.PortRanges = r.ServiceTag.Protocol, r.ServiceTag.PortRanges
		}
		described = append(described, rule)
		earlier = append(earlier, res)
		return nil
	}
	if monitor != nil {
		if err := add(azureml.ManagedNetworkSettingsRuleArgs{
			RuleName:        "monitor",
			PrivateEndpoint: &azureml.PrivateEndpointOutboundRuleArgs{ServiceResourceID: monitor.scopeID, SubresourceTarget: privatelink.GroupAzureMonitor},
		}, azureml.OutboundRuleTypePrivateEndpoint, monitor.scopeID, []pulumi.Resource{approver, monitor.approver},
			// A scope added to a live workspace gets its rule right after its grant.
			pulumi.DependsOnInputs(rbac.InEffect(ctx, monitor.approver))); err != nil {
			return nil, nil, err
		}
	}
	for _, fqdn := range args.Egress.FQDNs {
		if err := add(azureml.ManagedNetworkSettingsRuleArgs{RuleName: ruleName("fqdn", fqdn), FQDN: fqdn},
			azureml.OutboundRuleTypeFQDN, pulumi.String(fqdn).ToStringOutput(), nil); err != nil {
			return nil, nil, err
		}
	}
	for _, st := range args.Egress.ServiceTags {
		what := st.ServiceTag + " " + st.Protocol + "/" + st.PortRanges
		if err := add(azureml.ManagedNetworkSettingsRuleArgs{RuleName: ruleName("tag", what), ServiceTag: &st},
			azureml.OutboundRuleTypeServiceTag, pulumi.String(st.ServiceTag).ToStringOutput(), nil); err != nil {
			return nil, nil, err
		}
	}
	return rules, described, nil
}

var notRuleChar = regexp.MustCompile(`[^a-z0-9]+`)

// ruleName derives a stable rule name from what the rule admits: "<kind>-<readable>", where
// the readable part is shortened with a hash of the whole when the name would pass ARM's 33
// characters (azureml.ValidRuleName). pypi.org gives fqdn-pypi-org; *.anaconda.org gives
// fqdn-any-anaconda-org.
func ruleName(kind, what string) string {
	readable := strings.Trim(notRuleChar.ReplaceAllString(strings.ReplaceAll(strings.ToLower(what), "*", "any"), "-"), "-")
	name := kind + "-" + readable
	if len(name) <= 33 {
		return name
	}
	sum := sha256.Sum256([]byte(what))
	return strings.TrimRight(name[:33-9], "-") + "-" + hex.EncodeToString(sum[:])[:8]
}
