package workspace

import (
	kv "github.com/pulumi/pulumi-azure-native-sdk/keyvault/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/internal/logical"
	"azure-ml-security/internal/privatelink"
)

// softDeleteDays is the shortest retention Key Vault allows. With purge protection on, a
// destroyed vault's name stays reserved for this many days (README, "Destroy").
const softDeleteDays = 7

// newKeyVault creates the workspace key vault: RBAC authorization (no access policies), soft
// delete and purge protection, network default Deny (PSRule Azure.KeyVault.*).
func newKeyVault(ctx *pulumi.Context, names logical.Names, args *WorkspaceArgs) (*kv.Vault, error) {
	ipRules := kv.IPRuleArray{}
	for _, ip := range args.publicIPs() {
		ipRules = append(ipRules, kv.IPRuleArgs{Value: pulumi.String(ip)})
	}
	return kv.NewVault(ctx, names.Name("key-vault"), &kv.VaultArgs{
		VaultName:         args.Names.Dashed("kv"),
		ResourceGroupName: args.ResourceGroupName,
		Location:          pulumi.String(args.Location),
		Properties: &kv.VaultPropertiesArgs{
			TenantId:                  pulumi.String(args.TenantID),
			Sku:                       &kv.SkuArgs{Family: pulumi.String(string(kv.SkuFamilyA)), Name: kv.SkuNameStandard},
			EnableRbacAuthorization:   pulumi.Bool(true),
			EnableSoftDelete:          pulumi.Bool(true),
			SoftDeleteRetentionInDays: pulumi.Int(softDeleteDays),
			EnablePurgeProtection:     pulumi.Bool(true),
			PublicNetworkAccess:       pulumi.String(privatelink.PublicNetworkAccess(args.Private)),
			NetworkAcls: &kv.NetworkRuleSetArgs{
				DefaultAction: pulumi.String(string(kv.NetworkRuleActionDeny)),
				Bypass:        pulumi.String(string(kv.NetworkRuleBypassOptionsAzureServices)),
				IpRules:       ipRules,
			},
		},
		Tags: args.Tags,
	}, names.Opts("key-vault", pulumi.Protect(args.Protect))...)
}
