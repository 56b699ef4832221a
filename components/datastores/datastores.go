// Package datastores is everything the older setup did by hand after the apply, done in the
// same `pulumi up`: the private data (an ADLS Gen2 lake, a Blob account and an Azure SQL
// database), an Entra ID app with a secret for the datastores, the grants that let the
// workspace's managed private endpoints be approved automatically, the outbound rules of the
// managed VNet, and the datastores and SQL connection registered in the workspace.
package datastores

import (
	"errors"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/internal/naming"
	"azure-ml-security/internal/privatelink"
)

// Datastore authentication modes (DatastoresArgs.DatastoreAuth).
const (
	// AuthIdentity: credentials None; the workspace's user-assigned identity reads the data.
	AuthIdentity = "identity"
	// AuthServicePrincipal: the Entra app's client id, tenant and secret.
	AuthServicePrincipal = "servicePrincipal"
)

// DatastoresArgs configure the data and its registration.
type DatastoresArgs struct {
	ResourceGroupName pulumi.StringInput
	Location          string
	SubscriptionID    string
	TenantID          string
	// DeployerObjectID is the deploying principal: owner of the Entra app and the SQL server's
	// Entra administrator.
	DeployerObjectID string
	Names            *naming.Names
	AllowedIPs       []string
	// Private disables public network access on the accounts and SQL and gives them private
	// endpoints in the customer VNet through PrivateLink.
	Private     bool
	PrivateLink *privatelink.Placement

	// The workspace the datastores are registered in, and its user-assigned identity.
	WorkspaceName                pulumi.StringOutput
	WorkspaceIdentityPrincipalID pulumi.StringOutput
	Workspace                    pulumi.Resource

	UploadSampleData bool
	// DatastoreAuth is AuthIdentity or AuthServicePrincipal.
	DatastoreAuth string
	SQL           *SQLArgs // nil: no SQL database
	Tags          pulumi.StringMap
}

// SQLArgs configure the Azure SQL server and database.
type SQLArgs struct {
	AdminLogin string
	// AdminPassword is the configured secret; when not set (HasPassword false) a password is
	// generated.
	AdminPassword pulumi.StringOutput
	HasPassword   bool
	// Sku is the database SKU as ARM takes it (name, tier, family, capacity).
	SkuName, SkuTier, SkuFamily string
	SkuCapacity                 int
	MaxSizeGB                   int
}

// Datastores is the datastores component.
type Datastores struct {
	pulumi.ResourceState

	LakeAccountName  pulumi.StringOutput
	BlobAccountName  pulumi.StringOutput
	DatastoreNames   pulumi.StringArrayOutput
	AppClientID      pulumi.StringOutput
	SQLServerFQDN    pulumi.StringOutput // empty without SQL
	SQLDatabaseName  pulumi.StringOutput // empty without SQL
	SQLAdminPassword pulumi.StringOutput // secret; empty without SQL
	// OutboundRules lets later components (compute) wait until the managed network is complete.
	OutboundRules []pulumi.Resource
}

// NewDatastores creates the data, identities, grants, rules and registrations.
func NewDatastores(ctx *pulumi.Context, name string, args *DatastoresArgs, opts ...pulumi.ResourceOption) (*Datastores, error) {
	if args == nil || args.ResourceGroupName == nil || args.Names == nil || args.Workspace == nil {
		return nil, errors.New("datastores: ResourceGroupName, Names and Workspace are required")
	}
	if args.Private && args.PrivateLink == nil {
		return nil, errors.New("datastores: private data needs PrivateLink")
	}
	d := &Datastores{}
	if err := ctx.RegisterComponentResource("azure-ml-security:components:Datastores", name, d, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(d)

	data, err := newAccounts(ctx, args, parent)
	if err != nil {
		return nil, err
	}
	var db *sqlDatabase
	if args.SQL != nil {
		if db, err = newSQL(ctx, args, parent); err != nil {
			return nil, err
		}
	}
	app, err := newApp(ctx, args, parent)
	if err != nil {
		return nil, err
	}
	g, err := grant(ctx, args, data, db, app, parent)
	if err != nil {
		return nil, err
	}
	rules, err := newOutboundRules(ctx, args, data, db, g, parent)
	if err != nil {
		return nil, err
	}
	names, err := register(ctx, args, data, db, app, g, rules, parent)
	if err != nil {
		return nil, err
	}
	if args.Private {
		if err := newPrivateEndpoints(ctx, args, data, db, parent); err != nil {
			return nil, err
		}
	}

	d.LakeAccountName = data.lake.Account.Name
	d.BlobAccountName = data.blob.Account.Name
	d.DatastoreNames = names
	d.AppClientID = app.app.ClientId
	d.SQLServerFQDN = pulumi.String("").ToStringOutput()
	d.SQLDatabaseName = pulumi.String("").ToStringOutput()
	d.SQLAdminPassword = pulumi.ToSecret(pulumi.String("")).(pulumi.StringOutput)
	if db != nil {
		d.SQLServerFQDN = db.server.FullyQualifiedDomainName
		d.SQLDatabaseName = db.database.Name
		d.SQLAdminPassword = db.password
	}
	for _, r := range rules {
		d.OutboundRules = append(d.OutboundRules, r)
	}
	if err := ctx.RegisterResourceOutputs(d, pulumi.Map{
		"lakeAccountName": d.LakeAccountName,
		"blobAccountName": d.BlobAccountName,
		"datastoreNames":  d.DatastoreNames,
		"appClientId":     d.AppClientID,
		"sqlServerFqdn":   d.SQLServerFQDN,
	}); err != nil {
		return nil, err
	}
	return d, nil
}
