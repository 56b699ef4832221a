package datastores

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/internal/azureml"
)

// Names of the registrations in the workspace.
const (
	lakeDatastore = "datalake"
	blobDatastore = "blobs"
	sqlConnection = "sqldb"
	authPrincipal = "servicePrincipal"
)

// register registers the lake and the blob container as datastores and, with SQL, a
// UsernamePassword connection of category AzureSqlDb (Azure SQL is not an ARM datastore type,
// azure-reference.md §2). They wait for the outbound rules and the grants their
// authentication needs, so the first use goes through an approved private endpoint.
func register(ctx *pulumi.Context, args *DatastoresArgs, data *accounts, db *sqlDatabase, app *entraApp, g *grants, rules []*azureml.ManagedNetworkSettingsRule, parent pulumi.ResourceOption) (pulumi.StringArrayOutput, error) {
	wait := append([]pulumi.Resource{}, g.dataAccess...)
	for _, r := range rules {
		wait = append(wait, r)
	}
	after := pulumi.DependsOn(wait)

	datastore := func(name string, a azureml.DatastoreArgs) (*azureml.Datastore, error) {
		a.ResourceGroupName = args.ResourceGroupName
		a.WorkspaceName = args.WorkspaceName
		a.Name = name
		if args.DatastoreAuth == AuthServicePrincipal {
			a.ServicePrincipal = &azureml.ServicePrincipalCredentials{
				ClientID:     app.app.ClientId,
				TenantID:     pulumi.String(args.TenantID),
				ClientSecret: app.password.Value,
			}
		} else {
			a.ServiceDataAccessAuthIdentity = azureml.DataAccessWorkspaceUserAssignedIdentity
		}
		// In private mode the accounts have no public endpoint for the service's credential
		// check at registration to reach; access is checked on first use instead.
		a.SkipValidation = args.Private
		return azureml.NewDatastore(ctx, "datastore-"+name, &a, parent, after)
	}
	lake, err := datastore(lakeDatastore, azureml.DatastoreArgs{
		DatastoreType: azureml.DatastoreTypeAzureDataLakeGen2,
		AccountName:   data.lake.Account.Name,
		Filesystem:    data.filesystem.Name,
		Description:   "ADLS Gen2 data lake (private)",
	})
	if err != nil {
		return pulumi.StringArrayOutput{}, err
	}
	blob, err := datastore(blobDatastore, azureml.DatastoreArgs{
		DatastoreType: azureml.DatastoreTypeAzureBlob,
		AccountName:   data.blob.Account.Name,
		ContainerName: data.container.Name,
		Description:   "Blob container (private)",
	})
	if err != nil {
		return pulumi.StringArrayOutput{}, err
	}
	names := pulumi.StringArray{lake.Name, blob.Name}

	if db != nil {
		if _, err := azureml.NewUsernamePasswordConnection(ctx, "connection-"+sqlConnection, &azureml.UsernamePasswordConnectionArgs{
			ResourceGroupName: args.ResourceGroupName,
			WorkspaceName:     args.WorkspaceName,
			ConnectionName:    sqlConnection,
			Category:          azureml.ConnectionCategorySQL,
			Target: pulumi.Sprintf("Server=tcp:%s,1433;Database=%s;Encrypt=True;TrustServerCertificate=False;Connection Timeout=30;",
				db.server.FullyQualifiedDomainName, db.database.Name),
			Username: pulumi.String(db.login),
			Password: db.password,
		}, parent, after); err != nil {
			return pulumi.StringArrayOutput{}, err
		}
	}
	return names.ToStringArrayOutput(), nil
}
