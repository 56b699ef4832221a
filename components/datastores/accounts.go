package datastores

import (
	"github.com/pulumi/pulumi-azure-native-sdk/storage/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/internal/securestorage"
)

// Names of the data containers and the sample file.
const (
	lakeFilesystem = "data"
	blobContainer  = "blobs"
	sampleBlobName = "contacts.csv"
	softDeleteDays = 7
)

type accounts struct {
	lake       *securestorage.Account
	blob       *securestorage.Account
	filesystem *storage.BlobContainer
	container  *storage.BlobContainer
}

// newAccounts creates the data lake (ADLS Gen2: hierarchical namespace) with its filesystem
// and the Blob account with its private container, hardened like the workspace storage, and,
// when asked, uploads the sample file to both.
func newAccounts(ctx *pulumi.Context, args *DatastoresArgs, parent pulumi.ResourceOption) (*accounts, error) {
	account := func(name, prefix string, hns bool) (*securestorage.Account, error) {
		return securestorage.New(ctx, name, &securestorage.AccountArgs{
			ResourceGroupName:     args.ResourceGroupName,
			Location:              args.Location,
			AccountName:           args.Names.Compact(prefix),
			HierarchicalNamespace: hns,
			Private:               args.Private,
			AllowedIPs:            args.AllowedIPs,
			SharedKeyAccess:       args.UploadSampleData,
			BlobSoftDeleteDays:    softDeleteDays,
			Tags:                  args.Tags,
		}, parent)
	}
	lake, err := account("lake", "dls", true)
	if err != nil {
		return nil, err
	}
	blob, err := account("blob", "stb", false)
	if err != nil {
		return nil, err
	}
	container := func(name string, acct *securestorage.Account, container string) (*storage.BlobContainer, error) {
		return storage.NewBlobContainer(ctx, name, &storage.BlobContainerArgs{
			AccountName:       acct.Account.Name,
			ResourceGroupName: args.ResourceGroupName,
			ContainerName:     pulumi.String(container),
			PublicAccess:      storage.PublicAccessNone,
		}, parent)
	}
	// On a hierarchical-namespace account a blob container is the ADLS Gen2 filesystem.
	fs, err := container("lake-filesystem", lake, lakeFilesystem)
	if err != nil {
		return nil, err
	}
	ct, err := container("blob-container", blob, blobContainer)
	if err != nil {
		return nil, err
	}
	a := &accounts{lake: lake, blob: blob, filesystem: fs, container: ct}
	if args.UploadSampleData {
		if err := uploadSample(ctx, args, "lake-sample", lake, fs, parent); err != nil {
			return nil, err
		}
		if err := uploadSample(ctx, args, "blob-sample", blob, ct, parent); err != nil {
			return nil, err
		}
	}
	return a, nil
}
