package datastores

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/internal/privatelink"
)

// PrivateLinkGroups are the private-link groups whose DNS zones the customer VNet needs for
// this component's private endpoints.
func PrivateLinkGroups(withSQL bool) []string {
	groups := []string{privatelink.GroupDfs, privatelink.GroupBlob}
	if withSQL {
		groups = append(groups, privatelink.GroupSQLServer)
	}
	return groups
}

// newPrivateEndpoints gives the customer VNet private endpoints to the lake (dfs and blob),
// the blob account and SQL, so that the jump VM reaches the data privately when public access
// on them is off.
func newPrivateEndpoints(ctx *pulumi.Context, args *DatastoresArgs, data *accounts, db *sqlDatabase, parent pulumi.ResourceOption) error {
	type endpoint struct {
		name   string
		target pulumi.StringOutput
		group  string
	}
	endpoints := []endpoint{
		{"lake-dfs", data.lake.Account.ID().ToStringOutput(), privatelink.GroupDfs},
		{"lake-blob", data.lake.Account.ID().ToStringOutput(), privatelink.GroupBlob},
		{"blob-blob", data.blob.Account.ID().ToStringOutput(), privatelink.GroupBlob},
	}
	if db != nil {
		endpoints = append(endpoints, endpoint{"sql-server", db.server.ID().ToStringOutput(), privatelink.GroupSQLServer})
	}
	for _, e := range endpoints {
		if _, err := args.PrivateLink.NewEndpoint(ctx, e.name, e.target, e.group, parent); err != nil {
			return err
		}
	}
	return nil
}
