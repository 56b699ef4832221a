package network

import (
	"github.com/pulumi/pulumi-azure-native-sdk/network/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// newSecurityGroup creates the NSG of both subnets. Azure's default rules already deny inbound
// traffic from outside the VNet; the only rule added is RDP from the allowed public addresses
// when the jump VM is enabled. No rule has a source of * or Internet.
func newSecurityGroup(ctx *pulumi.Context, args *NetworkArgs, parent pulumi.ResourceOption) (*network.NetworkSecurityGroup, error) {
	rules := network.SecurityRuleTypeArray{}
	if len(args.RDPAllowedSources) > 0 {
		rules = append(rules, network.SecurityRuleTypeArgs{
			Name:                     pulumi.String("allow-rdp-from-allowed-ips"),
			Description:              pulumi.String("RDP to the jump VM from allowedIpAddresses only"),
			Priority:                 pulumi.Int(100),
			Direction:                pulumi.String(string(network.SecurityRuleDirectionInbound)),
			Access:                   pulumi.String(string(network.SecurityRuleAccessAllow)),
			Protocol:                 pulumi.String(string(network.SecurityRuleProtocolTcp)),
			SourceAddressPrefixes:    pulumi.ToStringArray(args.RDPAllowedSources),
			SourcePortRange:          pulumi.String("*"),
			DestinationAddressPrefix: pulumi.String(args.ClientSubnetPrefix),
			DestinationPortRange:     pulumi.String("3389"),
		})
	}
	return network.NewNetworkSecurityGroup(ctx, "nsg", &network.NetworkSecurityGroupArgs{
		NetworkSecurityGroupName: pulumi.String("nsg-" + args.VnetName),
		ResourceGroupName:        args.ResourceGroupName,
		Location:                 pulumi.String(args.Location),
		SecurityRules:            rules,
		Tags:                     args.Tags,
	}, parent)
}
