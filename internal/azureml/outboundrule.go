package azureml

import (
	"errors"
	"regexp"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// ManagedNetworkSettingsRuleToken targets the GA API 2024-10-01, which has the PrivateEndpoint
// rule shape this program needs (the module default, 2023-04-01, has it too, without
// sparkEnabled).
const ManagedNetworkSettingsRuleToken = "azure-native:machinelearningservices/v20241001:ManagedNetworkSettingsRule"

// Discriminators of the three rule shapes (RuleType): PrivateEndpointOutboundRuleArgs,
// FqdnOutboundRuleArgs and ServiceTagOutboundRuleArgs.
const (
	OutboundRuleTypePrivateEndpoint = "PrivateEndpoint"
	OutboundRuleTypeFQDN            = "FQDN"
	OutboundRuleTypeServiceTag      = "ServiceTag"
)

// RuleActionAllow is the RuleAction of a service-tag rule that admits traffic.
const RuleActionAllow = "Allow"

// RuleCategoryUserDefined is the RuleCategory of rules that users (not the service) define.
const RuleCategoryUserDefined = "UserDefined"

// ruleNameRe is the ARM pattern of outbound rule names (REST API 2024-10-01, RuleName
// parameter).
var ruleNameRe = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$`)

// ValidRuleName reports whether name is accepted by ARM as an outbound rule name.
func ValidRuleName(name string) bool { return ruleNameRe.MatchString(name) }

// PrivateEndpointOutboundRuleArgs is PrivateEndpointOutboundRuleArgs with its
// PrivateEndpointDestinationArgs flattened.
type PrivateEndpointOutboundRuleArgs struct {
	ServiceResourceID pulumi.StringInput // destination.serviceResourceId
	SubresourceTarget string             // destination.subresourceTarget: the private-link group id
	SparkEnabled      bool               // destination.sparkEnabled
}

// ServiceTagOutboundRuleArgs is ServiceTagOutboundRuleArgs with its ServiceTagDestinationArgs
// flattened. The GA 2024-10-01 destination takes no addressPrefixes (an output only).
type ServiceTagOutboundRuleArgs struct {
	ServiceTag string // destination.serviceTag, e.g. DataFactory
	Protocol   string // destination.protocol: TCP, UDP, ICMP or *
	PortRanges string // destination.portRanges: "443", "80,8080-8090" or "*"
}

// ManagedNetworkSettingsRuleArgs are the inputs of
// machinelearningservices/v20241001/managedNetworkSettingsRule.d.ts. Exactly one of
// PrivateEndpoint, FQDN and ServiceTag is set: properties is a union discriminated by type.
type ManagedNetworkSettingsRuleArgs struct {
	ResourceGroupName pulumi.StringInput
	WorkspaceName     pulumi.StringInput
	RuleName          string
	PrivateEndpoint   *PrivateEndpointOutboundRuleArgs
	// FQDN is FqdnOutboundRuleArgs' destination, a host name such as pypi.org (ports 80 and
	// 443 only).
	FQDN       string
	ServiceTag *ServiceTagOutboundRuleArgs
}

// properties renders the one destination that is set.
func (a *ManagedNetworkSettingsRuleArgs) properties() (pulumi.Map, error) {
	set := 0
	var p pulumi.Map
	if pe := a.PrivateEndpoint; pe != nil && pe.ServiceResourceID != nil {
		set++
		p = pulumi.Map{"type": pulumi.String(OutboundRuleTypePrivateEndpoint), "destination": pulumi.Map{
			"serviceResourceId": pe.ServiceResourceID,
			"subresourceTarget": pulumi.String(pe.SubresourceTarget),
			"sparkEnabled":      pulumi.Bool(pe.SparkEnabled),
		}}
	}
	if a.FQDN != "" {
		set++
		p = pulumi.Map{"type": pulumi.String(OutboundRuleTypeFQDN), "destination": pulumi.String(a.FQDN)}
	}
	if st := a.ServiceTag; st != nil {
		set++
		p = pulumi.Map{"type": pulumi.String(OutboundRuleTypeServiceTag), "destination": pulumi.Map{
			"serviceTag": pulumi.String(st.ServiceTag),
			"protocol":   pulumi.String(st.Protocol),
			"portRanges": pulumi.String(st.PortRanges),
			"action":     pulumi.String(RuleActionAllow),
		}}
	}
	if set != 1 {
		return nil, errors.New("azureml: ManagedNetworkSettingsRule " + a.RuleName + " needs exactly one destination: PrivateEndpoint, FQDN or ServiceTag")
	}
	p["category"] = pulumi.String(RuleCategoryUserDefined)
	return p, nil
}

// ManagedNetworkSettingsRule is one outbound rule of a workspace's managed VNet.
type ManagedNetworkSettingsRule struct {
	pulumi.CustomResourceState

	Name pulumi.StringOutput `pulumi:"name"`
}

// NewManagedNetworkSettingsRule registers an outbound rule.
func NewManagedNetworkSettingsRule(ctx *pulumi.Context, name string, args *ManagedNetworkSettingsRuleArgs, opts ...pulumi.ResourceOption) (*ManagedNetworkSettingsRule, error) {
	if args == nil || args.ResourceGroupName == nil || args.WorkspaceName == nil {
		return nil, errors.New("azureml: ManagedNetworkSettingsRule needs ResourceGroupName and WorkspaceName")
	}
	if !ValidRuleName(args.RuleName) {
		return nil, errors.New("azureml: outbound rule name " + args.RuleName + " does not match ^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$")
	}
	properties, err := args.properties()
	if err != nil {
		return nil, err
	}
	in := props{
		"resourceGroupName": args.ResourceGroupName,
		"workspaceName":     args.WorkspaceName,
		"ruleName":          pulumi.String(args.RuleName),
		"properties":        properties,
	}
	var res ManagedNetworkSettingsRule
	if err := register(ctx, ManagedNetworkSettingsRuleToken, name, in, &res, opts); err != nil {
		return nil, err
	}
	return &res, nil
}
