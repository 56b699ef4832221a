// Package securestorage creates every storage account of the program with the same hardening
// (PSRule Azure.Storage.*, Checkov CKV_AZURE_3/33/35/44/59/190, CKV2_AZURE_40): StorageV2, HTTPS only, TLS 1.2, no public
// blob access, no shared-key access unless asked for, OAuth by default in the portal, network default Deny with
// only the allowed public IPs, and public network access off in private mode.
package securestorage

import (
	"github.com/pulumi/pulumi-azure-native-sdk/storage/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/internal/diagnostics"
	"azure-ml-security/internal/logical"
	"azure-ml-security/internal/privatelink"
)

// AccountArgs configure one account.
type AccountArgs struct {
	ResourceGroupName pulumi.StringInput
	Location          string
	AccountName       pulumi.StringInput
	// HierarchicalNamespace makes it an ADLS Gen2 data lake.
	HierarchicalNamespace bool
	// Private turns public network access off; the account is then reached only through
	// private endpoints (the workspace's managed ones and the customer VNet's).
	Private    bool
	AllowedIPs []string
	// SharedKeyAccess keeps account-key access on. Only a deployment that writes blobs
	// itself needs it: azure-native's storage.Blob authenticates with the account key and
	// fails on accounts without it (pulumi-azure-native#2015).
	SharedKeyAccess bool
	// BlobSoftDeleteDays > 0 keeps deleted blobs and containers that many days.
	BlobSoftDeleteDays int
	// CORS are the blob service's CORS rules; they are written with the soft-delete settings
	// (BlobSoftDeleteDays > 0).
	CORS []CORSRule
	// LogAnalyticsWorkspaceID, when set, receives the account's and its four services'
	// diagnostics.
	LogAnalyticsWorkspaceID pulumi.StringInput
	// Protect keeps Pulumi from deleting the account (protectData).
	Protect bool
	Tags    pulumi.StringMap
}

// CORSRule is one CORS rule of the blob service.
type CORSRule struct {
	AllowedOrigins, AllowedMethods, AllowedHeaders, ExposedHeaders []string
	MaxAgeInSeconds                                                int
}

// Account is the storage account and its blob service settings (nil without soft delete).
type Account struct {
	Account     *storage.StorageAccount
	BlobService *storage.BlobServiceProperties
}

// New creates the account as the child name of a component (names), and its blob service
// settings as name-blob-service.
func New(ctx *pulumi.Context, names logical.Names, name string, args *AccountArgs, opts ...pulumi.ResourceOption) (*Account, error) {
	// A private account has no IP rule: with public access off it would admit nobody, and it
	// would admit its address the day public access is turned on.
	ipRules := storage.IPRuleArray{}
	for _, ip := range publicOnly(args.Private, args.AllowedIPs) {
		ipRules = append(ipRules, storage.IPRuleArgs{
			IPAddressOrRange: pulumi.String(ip),
			Action:           storage.ActionAllow,
		})
	}
	acct, err := storage.NewStorageAccount(ctx, names.Name(name), &storage.StorageAccountArgs{
		AccountName:                  args.AccountName,
		ResourceGroupName:            args.ResourceGroupName,
		Location:                     pulumi.String(args.Location),
		Kind:                         pulumi.String(string(storage.KindStorageV2)),
		Sku:                          &storage.SkuArgs{Name: pulumi.String(string(storage.SkuName_Standard_LRS))},
		AccessTier:                   storage.AccessTierHot,
		IsHnsEnabled:                 pulumi.Bool(args.HierarchicalNamespace),
		EnableHttpsTrafficOnly:       pulumi.Bool(true),
		MinimumTlsVersion:            pulumi.String(string(storage.MinimumTlsVersion_TLS1_2)),
		AllowBlobPublicAccess:        pulumi.Bool(false),
		AllowSharedKeyAccess:         pulumi.Bool(args.SharedKeyAccess),
		AllowCrossTenantReplication:  pulumi.Bool(false),
		DefaultToOAuthAuthentication: pulumi.Bool(true),
		PublicNetworkAccess:          pulumi.String(privatelink.PublicNetworkAccess(args.Private)),
		NetworkRuleSet: &storage.NetworkRuleSetArgs{
			DefaultAction: storage.DefaultActionDeny,
			// Trusted Azure services (Azure ML's own backend among them) pass the firewall.
			Bypass:  pulumi.String(string(storage.BypassAzureServices)),
			IpRules: ipRules,
		},
		Tags: args.Tags,
	}, names.Opts(name, append(opts, pulumi.Protect(args.Protect))...)...)
	if err != nil {
		return nil, err
	}
	out := &Account{Account: acct}
	if args.BlobSoftDeleteDays > 0 {
		policy := &storage.DeleteRetentionPolicyArgs{Enabled: pulumi.Bool(true), Days: pulumi.Int(args.BlobSoftDeleteDays)}
		var cors *storage.CorsRulesArgs
		if len(args.CORS) > 0 {
			rules := storage.CorsRuleArray{}
			for _, r := range args.CORS {
				rules = append(rules, storage.CorsRuleArgs{
					AllowedOrigins:  pulumi.ToStringArray(r.AllowedOrigins),
					AllowedMethods:  pulumi.ToStringArray(r.AllowedMethods),
					AllowedHeaders:  pulumi.ToStringArray(r.AllowedHeaders),
					ExposedHeaders:  pulumi.ToStringArray(r.ExposedHeaders),
					MaxAgeInSeconds: pulumi.Int(r.MaxAgeInSeconds),
				})
			}
			cors = &storage.CorsRulesArgs{CorsRules: rules}
		}
		out.BlobService, err = storage.NewBlobServiceProperties(ctx, names.Name(name+"-blob-service"), &storage.BlobServicePropertiesArgs{
			AccountName:                    acct.Name,
			ResourceGroupName:              args.ResourceGroupName,
			BlobServicesName:               pulumi.String("default"),
			DeleteRetentionPolicy:          policy,
			ContainerDeleteRetentionPolicy: policy,
			Cors:                           cors,
		}, names.Opts(name+"-blob-service", opts...)...)
		if err != nil {
			return nil, err
		}
	}
	if args.LogAnalyticsWorkspaceID != nil {
		if err := sendDiagnostics(ctx, names, name, acct, args.LogAnalyticsWorkspaceID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// storageServices are the services of every StorageV2 account; each has its own diagnostic
// setting, at <account id>/<service>/default.
var storageServices = []struct{ short, path string }{
	{"blob", "blobServices"}, {"file", "fileServices"}, {"queue", "queueServices"}, {"table", "tableServices"},
}

// sendDiagnostics sends the account's metrics and each service's logs and metrics to Log
// Analytics.
func sendDiagnostics(ctx *pulumi.Context, names logical.Names, name string, acct *storage.StorageAccount, workspaceID pulumi.StringInput) error {
	if _, err := diagnostics.Send(ctx, names.Name(name+"-diagnostics"), acct.ID(), workspaceID, diagnostics.StorageAccount, names.Parented()...); err != nil {
		return err
	}
	for _, svc := range storageServices {
		uri := pulumi.Sprintf("%s/%s/default", acct.ID(), svc.path)
		if _, err := diagnostics.Send(ctx, names.Name(name+"-"+svc.short+"-diagnostics"), uri, workspaceID, diagnostics.StorageService, names.Parented()...); err != nil {
			return err
		}
	}
	return nil
}

func publicOnly(private bool, ips []string) []string {
	if private {
		return nil
	}
	return ips
}
