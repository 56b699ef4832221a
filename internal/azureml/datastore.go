package azureml

import (
	"errors"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// DatastoreToken targets the GA API 2024-10-01, which has AzureBlob, AzureDataLakeGen2 and
// AzureFile with identity-based (None) and service-principal credentials.
const DatastoreToken = "azure-native:machinelearningservices/v20241001:Datastore"

// Discriminators and enum values of machinelearningservices/v20241001.
const (
	DatastoreTypeAzureBlob          = "AzureBlob"
	DatastoreTypeAzureDataLakeGen2  = "AzureDataLakeGen2"
	DatastoreTypeAzureFile          = "AzureFile"
	CredentialsTypeNone             = "None"
	CredentialsTypeServicePrincipal = "ServicePrincipal"
	SecretsTypeServicePrincipal     = "ServicePrincipal"
	// ServiceDataAccessAuthIdentity: the workspace's user-assigned identity reads the data
	// for studio previews.
	DataAccessWorkspaceUserAssignedIdentity = "WorkspaceUserAssignedIdentity"
)

// ServicePrincipalCredentials is ServicePrincipalDatastoreCredentialsArgs.
type ServicePrincipalCredentials struct {
	ClientID     pulumi.StringInput
	TenantID     pulumi.StringInput
	ClientSecret pulumi.StringInput // sent as secrets.clientSecret; must be a secret output
}

// DatastoreArgs are the inputs of machinelearningservices/v20241001/datastore.d.ts for the
// AzureBlob, AzureDataLakeGen2 and AzureFile members of datastoreProperties.
type DatastoreArgs struct {
	ResourceGroupName pulumi.StringInput
	WorkspaceName     pulumi.StringInput
	Name              string
	// DatastoreType is AzureBlob (ContainerName), AzureDataLakeGen2 (Filesystem) or AzureFile
	// (FileShareName).
	DatastoreType string
	AccountName   pulumi.StringInput
	ContainerName pulumi.StringInput // AzureBlob only
	Filesystem    pulumi.StringInput // AzureDataLakeGen2 only
	FileShareName pulumi.StringInput // AzureFile only
	Description   string
	// ServicePrincipal selects ServicePrincipal credentials; nil means identity-based (None).
	ServicePrincipal *ServicePrincipalCredentials
	// ServiceDataAccessAuthIdentity is set with identity-based access.
	ServiceDataAccessAuthIdentity string
	// SkipValidation skips the service's check of the credentials at registration.
	SkipValidation bool
}

// Datastore is a datastore registered in a workspace.
type Datastore struct {
	pulumi.CustomResourceState

	Name pulumi.StringOutput `pulumi:"name"`
}

// NewDatastore registers a datastore.
func NewDatastore(ctx *pulumi.Context, name string, args *DatastoreArgs, opts ...pulumi.ResourceOption) (*Datastore, error) {
	if args == nil || args.ResourceGroupName == nil || args.WorkspaceName == nil || args.AccountName == nil {
		return nil, errors.New("azureml: Datastore needs ResourceGroupName, WorkspaceName and AccountName")
	}
	var credentials pulumi.Map
	if sp := args.ServicePrincipal; sp != nil {
		credentials = pulumi.Map{
			"credentialsType": pulumi.String(CredentialsTypeServicePrincipal),
			"clientId":        sp.ClientID,
			"tenantId":        sp.TenantID,
			"secrets": pulumi.Map{
				"secretsType":  pulumi.String(SecretsTypeServicePrincipal),
				"clientSecret": pulumi.ToSecret(sp.ClientSecret),
			},
		}
	} else {
		credentials = pulumi.Map{"credentialsType": pulumi.String(CredentialsTypeNone)}
	}
	body := props{
		"datastoreType": pulumi.String(args.DatastoreType),
		"accountName":   args.AccountName,
		"credentials":   credentials,
	}.set("description", optString(args.Description)).
		set("serviceDataAccessAuthIdentity", optString(args.ServiceDataAccessAuthIdentity))
	switch args.DatastoreType {
	case DatastoreTypeAzureBlob:
		if args.ContainerName == nil {
			return nil, errors.New("azureml: an AzureBlob datastore needs ContainerName")
		}
		body["containerName"] = args.ContainerName
	case DatastoreTypeAzureDataLakeGen2:
		if args.Filesystem == nil {
			return nil, errors.New("azureml: an AzureDataLakeGen2 datastore needs Filesystem")
		}
		body["filesystem"] = args.Filesystem
	case DatastoreTypeAzureFile:
		if args.FileShareName == nil {
			return nil, errors.New("azureml: an AzureFile datastore needs FileShareName")
		}
		body["fileShareName"] = args.FileShareName
	default:
		return nil, errors.New("azureml: unsupported datastore type " + args.DatastoreType)
	}
	in := props{
		"resourceGroupName":   args.ResourceGroupName,
		"workspaceName":       args.WorkspaceName,
		"name":                pulumi.String(args.Name),
		"datastoreProperties": body.toMap(),
	}
	if args.SkipValidation {
		in["skipValidation"] = pulumi.Bool(true)
	}
	var res Datastore
	if err := register(ctx, DatastoreToken, name, in, &res, opts); err != nil {
		return nil, err
	}
	return &res, nil
}
