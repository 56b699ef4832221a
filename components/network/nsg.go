package network

import (
	aznetwork "github.com/pulumi/pulumi-azure-native-sdk/network/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/internal/logical"
)

// newSecurityGroup creates the NSG of both subnets. Azure's default rules already deny inbound
// traffic from outside the VNet; the only rule added is RDP from the allowed public addresses
// when the jump VM is enabled. No rule has a source of * or Internet (Checkov CKV_AZURE_9,
// CKV_AZURE_10; PSRule Azure.NSG.AnyInboundSource).
func newSecurityGroup(ctx *pulumi.Context, names logical.Names, args *NetworkArgs) (*aznetwork.NetworkSecurityGroup, error) {
	rules := aznetwork.SecurityRuleTypeArray{}
	if len(args.RDPAllowedSources) > 0 {
		rules = append(rules, aznetwork.SecurityRuleTypeArgs{
			Name:                     pulumi.String("allow-rdp-from-allowed-ips"),
			Description:              pulumi.String("RDP to the jump VM from allowedIpAddresses only"),
			Priority:                 pulumi.Int(100),
			Direction:                pulumi.String(string(aznetwork.SecurityRuleDirectionInbound)),
			Access:                   pulumi.String(string(aznetwork.SecurityRuleAccessAllow)),
			Protocol:                 pulumi.String(string(aznetwork.SecurityRuleProtocolTcp)),
			SourceAddressPrefixes:    pulumi.ToStringArray(args.RDPAllowedSources),
			SourcePortRange:          pulumi.String("*"),
			DestinationAddressPrefix: pulumi.String(args.ClientSubnetPrefix),
			DestinationPortRange:     pulumi.String("3389"),
		})
	}
	return aznetwork.NewNetworkSecurityGroup(ctx, names.Name("nsg"), &aznetwork.NetworkSecurityGroupArgs{
		NetworkSecurityGroupName: pulumi.String("nsg-" + args.VnetName),
		ResourceGroupName:        args.ResourceGroupName,
		Location:                 pulumi.String(args.Location),
		SecurityRules:            rules,
		Tags:                     args.Tags,
	}, names.Opts("nsg")...)
}
