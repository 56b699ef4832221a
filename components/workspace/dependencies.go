package workspace

import (
	acr "github.com/pulumi/pulumi-azure-native-sdk/containerregistry/v2/v20231101preview"
	kv "github.com/pulumi/pulumi-azure-native-sdk/keyvault/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/internal/logical"
	"azure-ml-security/internal/securestorage"
)

// dependencies are the workspace's own storage, key vault and registry. Azure cannot swap
// the storage account or key vault of an existing workspace (REST API 2024-10-01-preview,
// WorkspaceProperties: "cannot be changed once the workspace has been created"), so their
// names come from the stack's fixed random suffix and never change with configuration.
type dependencies struct {
	storage  *securestorage.Account
	vault    *kv.Vault
	registry *acr.Registry
}

func newDependencies(ctx *pulumi.Context, names logical.Names, args *WorkspaceArgs) (*dependencies, error) {
	// The workspace uses identity-based access to its storage (systemDatastoresAuthMode
	// Identity), so shared keys stay off
	// (https://learn.microsoft.com/azure/machine-learning/how-to-disable-local-auth-storage).
	st, err := securestorage.New(ctx, names, "storage", &securestorage.AccountArgs{
		ResourceGroupName:       args.ResourceGroupName,
		Location:                args.Location,
		AccountName:             args.Names.Compact("st"),
		Private:                 args.Private,
		AllowedIPs:              args.AllowedIPs,
		BlobSoftDeleteDays:      7,
		CORS:                    []securestorage.CORSRule{studioCORS},
		LogAnalyticsWorkspaceID: args.LogAnalyticsWorkspaceID,
		Protect:                 args.Protect,
		Tags:                    args.Tags,
	})
	if err != nil {
		return nil, err
	}
	vault, err := newKeyVault(ctx, names, args)
	if err != nil {
		return nil, err
	}
	registry, err := newRegistry(ctx, names, args)
	if err != nil {
		return nil, err
	}
	return &dependencies{storage: st, vault: vault, registry: registry}, nil
}

// studioCORS is the CORS rule Azure ML writes on the workspace storage's blob service so that
// studio (notebooks, uploads) can call it from the browser. The program declares the same rule,
// so that its own writes of the blob service settings keep it instead of wiping it; the Azure
// Verified Module does the same "for idempotency"
// (Azure/terraform-azurerm-avm-res-machinelearningservices-workspace examples/private_managed_vnet/main.tf).
var studioCORS = securestorage.CORSRule{
	AllowedOrigins:  []string{"https://mlworkspace.azure.ai", "https://ml.azure.com", "https://*.ml.azure.com", "https://ai.azure.com", "https://*.ai.azure.com"},
	AllowedMethods:  []string{"GET", "HEAD", "PUT", "DELETE", "OPTIONS", "POST", "PATCH"},
	AllowedHeaders:  []string{"*"},
	ExposedHeaders:  []string{"*"},
	MaxAgeInSeconds: 1800,
}
