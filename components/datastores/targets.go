package datastores

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/internal/azureml"
	"azure-ml-security/internal/privatelink"
	"azure-ml-security/internal/rbac"
)

// target is one data store the workspace reaches through its managed network. The table of
// targets (dataTargets) is the one place a data store is described: it drives the grants
// (roles.go), the managed network's outbound rules (outboundrules.go), the customer VNet's
// private endpoints and their DNS zones (privateendpoints.go) and the registration in the
// workspace (registration.go).
type target struct {
	// name is the store's logical name (lake, blob, sql): the key of its store and the prefix of
	// its grants, rules and endpoints.
	name string
	// groups are its private-link groups: one outbound rule and, in private mode, one private
	// endpoint each, named <name>-<short group>.
	groups []string
	// identityRole is granted to the workspace identity on the store; appRole to the Entra app's
	// service principal ("" for none).
	identityRole, appRole rbac.Role
	// identityReads and appReads say whether that grant is what a datastore in that
	// authentication mode reads the data with (the registration waits for it).
	identityReads, appReads bool
	reg                     registration
	// newStore creates the target's Azure resource (accounts.go, sql.go).
	newStore func(ctx *pulumi.Context, w *wiring, t target) (*store, error)
}

// registration is how a target is registered in the workspace: a datastore of a type over a
// container (blob container, ADLS Gen2 filesystem, file share), or a connection.
type registration struct {
	name        string // the datastore's or connection's name in the workspace
	kind        string // an azureml.DatastoreType*, or connectionAzureSQL
	container   string
	description string
}

// connectionAzureSQL registers the target as a UsernamePassword connection of category
// AzureSqlDb: Azure SQL is not an ARM datastore type (datastore API 2024-10-01 has AzureBlob,
// AzureDataLakeGen1/Gen2 and AzureFile only).
const connectionAzureSQL = "connection:AzureSqlDb"

// Names of the containers and registrations.
const (
	lakeFilesystem = "data"
	blobContainer  = "blobs"
	lakeDatastore  = "datalake"
	blobDatastore  = "blobs"
	sqlConnection  = "sqldb"
)

// dataTargets is the table of data stores.
func dataTargets(withSQL bool) []target {
	targets := []target{
		{name: "lake", groups: []string{privatelink.GroupDfs, privatelink.GroupBlob},
			identityRole: rbac.StorageBlobDataReader, identityReads: true,
			appRole: rbac.StorageBlobDataContributor, appReads: true,
			reg:      registration{lakeDatastore, azureml.DatastoreTypeAzureDataLakeGen2, lakeFilesystem, "ADLS Gen2 data lake (private)"},
			newStore: storageAccount("dls", true)},
		{name: "blob", groups: []string{privatelink.GroupBlob},
			identityRole: rbac.StorageBlobDataReader, identityReads: true,
			appRole: rbac.StorageBlobDataContributor, appReads: true,
			reg:      registration{blobDatastore, azureml.DatastoreTypeAzureBlob, blobContainer, "Blob container (private)"},
			newStore: storageAccount("stb", false)},
	}
	if withSQL {
		// No role on SQL for the workspace identity: the connection logs in with SQL
		// authentication, and SQL Server Contributor would grant no data access but control of
		// the server's firewall and public access.
		targets = append(targets, target{name: "sql", groups: []string{privatelink.GroupSQLServer},
			reg:      registration{name: sqlConnection, kind: connectionAzureSQL},
			newStore: sqlServer})
	}
	return targets
}

// PrivateLinkGroups are the private-link groups whose DNS zones the customer VNet needs for
// this component's private endpoints.
func PrivateLinkGroups(withSQL bool) []string {
	var groups []string
	for _, t := range dataTargets(withSQL) {
		groups = append(groups, t.groups...)
	}
	return groups
}
