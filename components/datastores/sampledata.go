package datastores

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-azure-native-sdk/storage/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/internal/securestorage"
)

// sampleBlobName is the sample file in each container.
const sampleBlobName = "contacts.csv"

// SampleCSV is the synthetic contacts file the datastores are demonstrated with: made-up
// names on example.com addresses and 555-01xx numbers (reserved for fiction), so no real
// person's data is ever uploaded.
func SampleCSV() string {
	first := []string{"Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken"}
	last := []string{"Quill", "Harbor", "Stone", "Vale", "Meadow", "Birch", "Lark", "Reed"}
	cities := []string{"Springfield", "Riverton", "Lakeside", "Fairview"}
	var b strings.Builder
	b.WriteString("id,first_name,last_name,email,phone,city\n")
	for i := range first {
		fmt.Fprintf(&b, "%d,%s,%s,%s.%s@example.com,+1-202-555-01%02d,%s\n",
			i+1, first[i], last[i], strings.ToLower(first[i]), strings.ToLower(last[i]), 10+i, cities[i%len(cities)])
	}
	return b.String()
}

// uploadSample writes the sample file into a container. It is a data-plane write from the
// deployer, so it needs a network path to the account (an allowed IP) and shared-key access
// (see securestorage.AccountArgs.SharedKeyAccess).
//
// The blob is retained when it leaves the program: turning uploadSampleData off also turns
// shared-key access off, and Pulumi runs updates before deletes (pulumi/pulumi#9979), so a
// delete would come after the account stopped taking the key and fail with
// KeyBasedAuthenticationNotPermitted (pulumi-azure-native#1364); a destroy from a machine
// outside allowedIpAddresses would fail on it too. The file stays until its account is deleted.
func uploadSample(ctx *pulumi.Context, w *wiring, name string, acct *securestorage.Account, container *storage.BlobContainer) error {
	_, err := storage.NewBlob(ctx, w.names.Name(name), &storage.BlobArgs{
		AccountName:       acct.Account.Name,
		ContainerName:     container.Name,
		ResourceGroupName: w.args.ResourceGroupName,
		BlobName:          pulumi.String(sampleBlobName),
		Type:              storage.BlobTypeBlock,
		ContentType:       pulumi.String("text/csv"),
		Source:            pulumi.NewStringAsset(SampleCSV()),
	}, w.names.Opts(name, pulumi.RetainOnDelete(true))...)
	return err
}
