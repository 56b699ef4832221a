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

// OutboundRuleTypePrivateEndpoint is the discriminator of PrivateEndpointOutboundRuleArgs.
const OutboundRuleTypePrivateEndpoint = "PrivateEndpoint"

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

// ManagedNetworkSettingsRuleArgs are the inputs of
// machinelearningservices/v20241001/managedNetworkSettingsRule.d.ts.
type ManagedNetworkSettingsRuleArgs struct {
	ResourceGroupName pulumi.StringInput
	WorkspaceName     pulumi.StringInput
	RuleName          string
	PrivateEndpoint   PrivateEndpointOutboundRuleArgs
}

// ManagedNetworkSettingsRule is one outbound rule of a workspace's managed VNet.
type ManagedNetworkSettingsRule struct {
	pulumi.CustomResourceState

	Name pulumi.StringOutput `pulumi:"name"`
}

// NewManagedNetworkSettingsRule registers a PrivateEndpoint outbound rule.
func NewManagedNetworkSettingsRule(ctx *pulumi.Context, name string, args *ManagedNetworkSettingsRuleArgs, opts ...pulumi.ResourceOption) (*ManagedNetworkSettingsRule, error) {
	if args == nil || args.ResourceGroupName == nil || args.WorkspaceName == nil || args.PrivateEndpoint.ServiceResourceID == nil {
		return nil, errors.New("azureml: ManagedNetworkSettingsRule needs ResourceGroupName, WorkspaceName and a destination")
	}
	if !ValidRuleName(args.RuleName) {
		return nil, errors.New("azureml: outbound rule name " + args.RuleName + " does not match ^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$")
	}
	pe := args.PrivateEndpoint
	in := props{
		"resourceGroupName": args.ResourceGroupName,
		"workspaceName":     args.WorkspaceName,
		"ruleName":          pulumi.String(args.RuleName),
		"properties": pulumi.Map{
			"type":     pulumi.String(OutboundRuleTypePrivateEndpoint),
			"category": pulumi.String(RuleCategoryUserDefined),
			"destination": pulumi.Map{
				"serviceResourceId": pe.ServiceResourceID,
				"subresourceTarget": pulumi.String(pe.SubresourceTarget),
				"sparkEnabled":      pulumi.Bool(pe.SparkEnabled),
			},
		},
	}
	var res ManagedNetworkSettingsRule
	if err := register(ctx, ManagedNetworkSettingsRuleToken, name, in, &res, opts); err != nil {
		return nil, err
	}
	return &res, nil
}
