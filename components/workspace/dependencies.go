package workspace

import (
	acr "github.com/pulumi/pulumi-azure-native-sdk/containerregistry/v2/v20231101preview"
	kv "github.com/pulumi/pulumi-azure-native-sdk/keyvault/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/internal/securestorage"
)

// dependencies are the workspace's own storage, key vault and registry. Azure cannot swap
// the storage account or key vault of an existing workspace (azure-reference.md §6), so their
// names come from the stack's fixed random suffix and never change with configuration.
type dependencies struct {
	storage  *securestorage.Account
	vault    *kv.Vault
	registry *acr.Registry
}

func newDependencies(ctx *pulumi.Context, args *WorkspaceArgs, parent pulumi.ResourceOption) (*dependencies, error) {
	// The workspace uses identity-based access to its storage (systemDatastoresAuthMode
	// Identity), so shared keys stay off (azure-reference.md §5).
	st, err := securestorage.New(ctx, "storage", &securestorage.AccountArgs{
		ResourceGroupName:  args.ResourceGroupName,
		Location:           args.Location,
		AccountName:        args.Names.Compact("st"),
		Private:            args.Private,
		AllowedIPs:         args.AllowedIPs,
		BlobSoftDeleteDays: 7,
		Tags:               args.Tags,
	}, parent)
	if err != nil {
		return nil, err
	}
	vault, err := newKeyVault(ctx, args, parent)
	if err != nil {
		return nil, err
	}
	registry, err := newRegistry(ctx, args, parent)
	if err != nil {
		return nil, err
	}
	return &dependencies{storage: st, vault: vault, registry: registry}, nil
}

func publicAccess(private bool) string {
	if private {
		return "Disabled"
	}
	return "Enabled"
}
