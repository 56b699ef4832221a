package workspace

import (
	acr "github.com/pulumi/pulumi-azure-native-sdk/containerregistry/v2/v20231101preview"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/internal/logical"
	"azure-ml-security/internal/privatelink"
)

// newRegistry creates the workspace's container registry. Premium is the only SKU with private
// endpoints and IP rules, which the managed VNet's approved outbound needs
// (https://learn.microsoft.com/azure/container-registry/container-registry-private-link;
// PSRule Azure.ACR.MinSku). The API is 2023-11-01-preview because the module's default
// (2022-12-01) has no anonymousPullEnabled, so anonymous pull could not be stated off.
func newRegistry(ctx *pulumi.Context, names logical.Names, args *WorkspaceArgs) (*acr.Registry, error) {
	ipRules := acr.IPRuleArray{}
	for _, ip := range args.publicIPs() {
		ipRules = append(ipRules, acr.IPRuleArgs{IPAddressOrRange: pulumi.String(ip), Action: pulumi.String(string(acr.ActionAllow))})
	}
	return acr.NewRegistry(ctx, names.Name("registry"), &acr.RegistryArgs{
		RegistryName:             args.Names.Compact("cr"),
		ResourceGroupName:        args.ResourceGroupName,
		Location:                 pulumi.String(args.Location),
		Sku:                      &acr.SkuArgs{Name: pulumi.String(string(acr.SkuNamePremium))},
		AdminUserEnabled:         pulumi.Bool(false),
		AnonymousPullEnabled:     pulumi.Bool(false),
		PublicNetworkAccess:      pulumi.String(privatelink.PublicNetworkAccess(args.Private)),
		NetworkRuleBypassOptions: pulumi.String(string(acr.NetworkRuleBypassOptionsAzureServices)),
		NetworkRuleSet: &acr.NetworkRuleSetArgs{
			DefaultAction: pulumi.String(string(acr.DefaultActionDeny)),
			IpRules:       ipRules,
		},
		Tags: args.Tags,
	}, names.Opts("registry")...)
}
