package datastores

import (
	"github.com/pulumi/pulumi-azure-native-sdk/storage/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/internal/securestorage"
)

// softDeleteDays keeps deleted blobs and containers of the data accounts a week.
const softDeleteDays = 7

// storageAccount makes a target's store: a storage account named <prefix><workload><suffix>,
// hardened like the workspace storage, with the container its registration points at (on a
// hierarchical-namespace account, hns, a blob container is the ADLS Gen2 filesystem) and, when
// asked, the sample file in it. Logical names: <target>, <target>-container (the lake's is
// <target>-filesystem, its name before the table), <target>-sample.
func storageAccount(prefix string, hns bool) func(ctx *pulumi.Context, w *wiring, t target) (*store, error) {
	return func(ctx *pulumi.Context, w *wiring, t target) (*store, error) {
		acct, err := securestorage.New(ctx, w.names, t.name, &securestorage.AccountArgs{
			ResourceGroupName:       w.args.ResourceGroupName,
			Location:                w.args.Location,
			AccountName:             w.args.Names.Compact(prefix),
			HierarchicalNamespace:   hns,
			Private:                 w.args.Private,
			AllowedIPs:              w.args.AllowedIPs,
			SharedKeyAccess:         w.args.UploadSampleData,
			BlobSoftDeleteDays:      softDeleteDays,
			LogAnalyticsWorkspaceID: w.args.LogAnalyticsWorkspaceID,
			Protect:                 w.args.Protect,
			Tags:                    w.args.Tags,
		})
		if err != nil {
			return nil, err
		}
		containerRes := t.name + "-container"
		if hns {
			containerRes = t.name + "-filesystem"
		}
		ct, err := storage.NewBlobContainer(ctx, w.names.Name(containerRes), &storage.BlobContainerArgs{
			AccountName:       acct.Account.Name,
			ResourceGroupName: w.args.ResourceGroupName,
			ContainerName:     pulumi.String(t.reg.container),
			PublicAccess:      storage.PublicAccessNone,
		}, w.names.Opts(containerRes)...)
		if err != nil {
			return nil, err
		}
		if w.args.UploadSampleData {
			if err := uploadSample(ctx, w, t.name+"-sample", acct, ct); err != nil {
				return nil, err
			}
		}
		return &store{id: acct.Account.ID().ToStringOutput(), account: acct.Account.Name, container: ct.Name}, nil
	}
}
