// Package datastores is everything the older setup did by hand after the apply, done in the
// same `pulumi up`: the private data (an ADLS Gen2 lake, a Blob account and an Azure SQL
// database), an Entra ID app with a secret for the datastores, the grants that let the
// workspace's managed private endpoints be approved automatically, the outbound rules of the
// managed VNet, and the datastores and SQL connection registered in the workspace. Every data
// store is one row of the target table (targets.go).
package datastores

import (
	"errors"
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/internal/azureml"
	"azure-ml-security/internal/logical"
	"azure-ml-security/internal/naming"
	"azure-ml-security/internal/privatelink"
	"azure-ml-security/internal/rbac"
)

// DatastoresArgs configure the data and its registration.
type DatastoresArgs struct {
	ResourceGroupName pulumi.StringInput
	Location          string
	SubscriptionID    string
	TenantID          string
	// Deployer is the deploying principal: owner of the Entra app and the SQL server's Entra
	// administrator. DeployerClientID is its application (client) id, which is how SQL knows
	// a deployer that is a service principal (sqlAdministrator); "" when it signed in through
	// a first-party client (a person) or the client config reports none.
	Deployer         rbac.Principal
	DeployerClientID string
	Names            *naming.Names
	AllowedIPs       []string
	// Private disables public network access on the accounts and SQL and gives them private
	// endpoints in the customer VNet through PrivateLink.
	Private     bool
	PrivateLink *privatelink.Placement

	// The workspace the datastores are registered in, and its user-assigned identity.
	WorkspaceName                pulumi.StringOutput
	WorkspaceIdentityPrincipalID pulumi.StringOutput
	// RulesAfter are the earlier writes to the workspace's managed network (the workspace and
	// its own outbound rules): the rules of one managed network are written one at a time.
	RulesAfter []pulumi.Resource
	// Approver is the grant that lets the workspace identity approve the managed private
	// endpoints; every outbound rule waits for it.
	Approver pulumi.Resource
	// Users are the people who read the data from notebooks: identity-based datastores need
	// the user's own Storage Blob Data Reader.
	Users []rbac.Principal

	UploadSampleData bool
	// ServicePrincipalAuth makes the datastores authenticate with the Entra app's client id
	// and secret; otherwise (credentials None) the workspace's user-assigned identity reads
	// the data.
	ServicePrincipalAuth bool
	SQL                  *SQLArgs // nil: no SQL database
	// LogAnalyticsWorkspaceID, when set, receives the data stores' diagnostics and the SQL
	// server's audit.
	LogAnalyticsWorkspaceID pulumi.StringInput
	// Protect keeps Pulumi from deleting the accounts and the SQL server and database.
	Protect bool
	Tags    pulumi.StringMap
}

// SQLArgs configure the Azure SQL server and database.
type SQLArgs struct {
	AdminLogin string
	// AdminPassword is the configured secret; when not set (HasPassword false) a password is
	// generated.
	AdminPassword pulumi.StringOutput
	HasPassword   bool
	Sku           SQLSku
	MaxSizeGB     int
}

// SQLSku is the database SKU as ARM takes it.
type SQLSku struct {
	Name, Tier, Family string
	Capacity           int // vCores; 0 for DTU SKUs
}

// Datastores is the datastores component.
type Datastores struct {
	pulumi.ResourceState

	LakeAccountName pulumi.StringOutput
	BlobAccountName pulumi.StringOutput
	DatastoreNames  pulumi.StringArrayOutput
	// StorageAccounts are the data storage accounts' ids, by target name.
	StorageAccounts map[string]pulumi.StringOutput
	// App is set with service-principal datastores: the Entra app whose secret they use.
	App *AppOutputs
	// SQL is set when the component created the SQL server and database.
	SQL *SQLOutputs
	// OutboundRules lets later components (compute) wait until the managed network is complete.
	OutboundRules []pulumi.Resource
	// Rules and Registrations describe what the component wrote into the workspace.
	Rules         []Rule
	Registrations []Registration
	// SampleFiles are the URLs of the uploaded sample files.
	SampleFiles []pulumi.StringOutput
}

// Rule is one PrivateEndpoint outbound rule of the managed network.
type Rule struct {
	Name        string
	Target      pulumi.StringOutput
	Subresource string
}

// Registration is one datastore or connection registered in the workspace.
type Registration struct {
	Name string
	// Kind is a datastore type (AzureBlob, AzureDataLakeGen2, AzureFile) or "connection".
	Kind string
	// CredentialsType is None or ServicePrincipal for a datastore.
	CredentialsType string
	// Account and Container of a datastore.
	Account   pulumi.StringOutput
	Container string
}

// AppOutputs describe the Entra app.
type AppOutputs struct {
	ClientID pulumi.StringOutput
}

// SQLOutputs describe the SQL server and database.
type SQLOutputs struct {
	ServerID      pulumi.StringOutput
	ServerFQDN    pulumi.StringOutput
	DatabaseName  pulumi.StringOutput
	AdminLogin    pulumi.StringOutput
	AdminPassword pulumi.StringOutput // secret
}

// store is a target's Azure resource once it exists.
type store struct {
	id        pulumi.StringOutput // ARM id of the account or server
	account   pulumi.StringOutput // a storage account's name
	container pulumi.StringOutput // the container, filesystem or share a datastore points at
	sql       *sqlDatabase        // a SQL connection's server, database and login
}

// wiring is what the per-concern builders share: the component's names and args, the target
// table, the stores of the targets, and the Entra app.
type wiring struct {
	names   logical.Names
	args    *DatastoresArgs
	targets []target
	stores  map[string]*store
	app     *entraApp
}

// NewDatastores creates the data, identities, grants, rules and registrations.
func NewDatastores(ctx *pulumi.Context, name string, args *DatastoresArgs, opts ...pulumi.ResourceOption) (*Datastores, error) {
	if args == nil {
		return nil, errors.New("datastores: args are required")
	}
	return newDatastores(ctx, name, args, dataTargets(args.SQL != nil), opts...)
}

// newDatastores builds the component over a table of targets.
func newDatastores(ctx *pulumi.Context, name string, args *DatastoresArgs, targets []target, opts ...pulumi.ResourceOption) (*Datastores, error) {
	if args.ResourceGroupName == nil || args.Names == nil || len(args.RulesAfter) == 0 || args.Approver == nil {
		return nil, errors.New("datastores: ResourceGroupName, Names, RulesAfter and Approver are required")
	}
	if args.Private && args.PrivateLink == nil {
		return nil, errors.New("datastores: private data needs PrivateLink")
	}
	d := &Datastores{}
	if err := ctx.RegisterComponentResource("azure-ml-security:components:Datastores", name, d, opts...); err != nil {
		return nil, fmt.Errorf("datastores: registering the component: %w", err)
	}
	w := &wiring{names: logical.New(name, d), args: args, targets: targets, stores: map[string]*store{}}
	for _, t := range targets {
		s, err := t.newStore(ctx, w, t)
		if err != nil {
			return nil, fmt.Errorf("datastores: target %s: %w", t.name, err)
		}
		w.stores[t.name] = s
	}
	if args.ServicePrincipalAuth {
		app, err := newApp(ctx, w)
		if err != nil {
			return nil, fmt.Errorf("datastores: Entra app: %w", err)
		}
		w.app = app
	}
	out, err := connect(ctx, w)
	if err != nil {
		return nil, err
	}

	d.LakeAccountName = w.stores["lake"].account
	d.BlobAccountName = w.stores["blob"].account
	d.DatastoreNames = out.datastoreNames.ToStringArrayOutput()
	d.StorageAccounts = map[string]pulumi.StringOutput{}
	for name, s := range w.stores {
		if s.sql == nil {
			d.StorageAccounts[name] = s.id
		}
	}
	for _, r := range out.rules {
		d.OutboundRules = append(d.OutboundRules, r)
	}
	creds := "None"
	if args.ServicePrincipalAuth {
		creds = "ServicePrincipal"
	}
	for _, t := range targets {
		s := w.stores[t.name]
		for _, g := range t.groups {
			d.Rules = append(d.Rules, Rule{Name: t.name + "-" + privatelink.Short(g), Target: s.id, Subresource: g})
		}
		if t.reg.kind == connectionAzureSQL {
			d.Registrations = append(d.Registrations, Registration{Name: t.reg.name, Kind: "connection"})
			continue
		}
		d.Registrations = append(d.Registrations, Registration{Name: t.reg.name, Kind: t.reg.kind, CredentialsType: creds, Account: s.account, Container: t.reg.container})
		if args.UploadSampleData && t.newStore != nil && s.sql == nil {
			d.SampleFiles = append(d.SampleFiles, pulumi.Sprintf("https://%s.blob.core.windows.net/%s/%s", s.account, t.reg.container, sampleBlobName))
		}
	}
	rules, regs := pulumi.Array{}, pulumi.Array{}
	for _, r := range d.Rules {
		rules = append(rules, pulumi.Map{"name": pulumi.String(r.Name), "target": r.Target, "subresource": pulumi.String(r.Subresource)})
	}
	for _, r := range d.Registrations {
		m := pulumi.Map{"name": pulumi.String(r.Name), "kind": pulumi.String(r.Kind)}
		if r.Kind != "connection" {
			m["credentialsType"], m["account"], m["container"] = pulumi.String(r.CredentialsType), r.Account, pulumi.String(r.Container)
		}
		regs = append(regs, m)
	}
	accounts := pulumi.StringMap{}
	for k, v := range d.StorageAccounts {
		accounts[k] = v
	}
	outputs := pulumi.Map{
		"lakeAccountName": d.LakeAccountName,
		"blobAccountName": d.BlobAccountName,
		"datastoreNames":  d.DatastoreNames,
		"storageAccounts": accounts,
		"rules":           rules,
		"registrations":   regs,
		"sampleFiles":     pulumi.ToStringArrayOutput(d.SampleFiles),
	}
	if w.app != nil {
		d.App = &AppOutputs{ClientID: w.app.app.ClientId}
		outputs["appClientId"] = d.App.ClientID
	}
	if s, ok := w.stores["sql"]; ok {
		db := s.sql
		d.SQL = &SQLOutputs{
			ServerID:      s.id,
			ServerFQDN:    db.server.FullyQualifiedDomainName,
			DatabaseName:  db.database.Name,
			AdminLogin:    pulumi.String(db.login).ToStringOutput(),
			AdminPassword: db.password,
		}
		outputs["sqlServerId"] = d.SQL.ServerID
		outputs["sqlServerFqdn"] = d.SQL.ServerFQDN
		outputs["sqlDatabaseName"] = d.SQL.DatabaseName
		outputs["sqlAdminLogin"] = d.SQL.AdminLogin
		outputs["sqlAdminPassword"] = d.SQL.AdminPassword
	}
	if err := ctx.RegisterResourceOutputs(d, outputs); err != nil {
		return nil, fmt.Errorf("datastores: registering outputs: %w", err)
	}
	return d, nil
}

// connected is what connect made.
type connected struct {
	rules          []*azureml.ManagedNetworkSettingsRule
	datastoreNames pulumi.StringArray
}

// connect makes every target reachable and usable from the workspace: grants, outbound rules,
// registrations and, in private mode, the customer VNet's private endpoints.
func connect(ctx *pulumi.Context, w *wiring) (*connected, error) {
	dataAccess, err := grant(ctx, w)
	if err != nil {
		return nil, fmt.Errorf("datastores: grants: %w", err)
	}
	rules, err := newOutboundRules(ctx, w)
	if err != nil {
		return nil, fmt.Errorf("datastores: outbound rules: %w", err)
	}
	names, err := register(ctx, w, dataAccess, rules)
	if err != nil {
		return nil, fmt.Errorf("datastores: registrations: %w", err)
	}
	if w.args.Private {
		if err := newPrivateEndpoints(ctx, w); err != nil {
			return nil, fmt.Errorf("datastores: private endpoints: %w", err)
		}
	}
	return &connected{rules: rules, datastoreNames: names}, nil
}
