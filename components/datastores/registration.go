package datastores

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/internal/azureml"
)

// register registers every target in the workspace: storage as a datastore over its container
// and SQL as a UsernamePassword connection of category AzureSqlDb (connectionAzureSQL). They
// wait for the outbound rules and the grants their authentication needs, so the first use goes
// through an approved private endpoint.
func register(ctx *pulumi.Context, w *wiring, dataAccess []pulumi.Resource, rules []*azureml.ManagedNetworkSettingsRule) (pulumi.StringArray, error) {
	wait := append([]pulumi.Resource{}, dataAccess...)
	for _, r := range rules {
		wait = append(wait, r)
	}
	var names pulumi.StringArray
	for _, t := range w.targets {
		s := w.stores[t.name]
		if t.reg.kind == connectionAzureSQL {
			if err := registerSQL(ctx, w, t, s, wait); err != nil {
				return nil, err
			}
			continue
		}
		ds, err := registerDatastore(ctx, w, t, s, wait)
		if err != nil {
			return nil, err
		}
		names = append(names, ds.Name)
	}
	return names, nil
}

func registerDatastore(ctx *pulumi.Context, w *wiring, t target, s *store, wait []pulumi.Resource) (*azureml.Datastore, error) {
	a := azureml.DatastoreArgs{
		ResourceGroupName: w.args.ResourceGroupName,
		WorkspaceName:     w.args.WorkspaceName,
		Name:              t.reg.name,
		DatastoreType:     t.reg.kind,
		AccountName:       s.account,
		Description:       t.reg.description,
		// The service's credential check at registration runs from the Azure ML control plane
		// against the account's public endpoint, which the firewall closes to all but the
		// allowed addresses (and, private, closes entirely). Access is checked on first use
		// instead, through the managed private endpoint: the REST API documents
		// skipValidation only as "Flag to skip validation", and nothing is lost by it.
		SkipValidation: true,
	}
	switch t.reg.kind {
	case azureml.DatastoreTypeAzureBlob:
		a.ContainerName = s.container
	case azureml.DatastoreTypeAzureDataLakeGen2:
		a.Filesystem = s.container
	case azureml.DatastoreTypeAzureFile:
		a.FileShareName = s.container
	default:
		return nil, fmt.Errorf("target %s: no registration of kind %q", t.name, t.reg.kind)
	}
	if w.args.ServicePrincipalAuth {
		a.ServicePrincipal = &azureml.ServicePrincipalCredentials{
			ClientID:     w.app.app.ClientId,
			TenantID:     pulumi.String(w.args.TenantID),
			ClientSecret: w.app.password.Value,
		}
	} else {
		a.ServiceDataAccessAuthIdentity = azureml.DataAccessWorkspaceUserAssignedIdentity
	}
	return azureml.NewDatastore(ctx, w.names.Name("datastore-"+t.reg.name), &a, w.names.Opts("datastore-"+t.reg.name, pulumi.DependsOn(wait))...)
}

func registerSQL(ctx *pulumi.Context, w *wiring, t target, s *store, wait []pulumi.Resource) error {
	db := s.sql
	_, err := azureml.NewUsernamePasswordConnection(ctx, w.names.Name("connection-"+t.reg.name), &azureml.UsernamePasswordConnectionArgs{
		ResourceGroupName: w.args.ResourceGroupName,
		WorkspaceName:     w.args.WorkspaceName,
		ConnectionName:    t.reg.name,
		Category:          azureml.ConnectionCategorySQL,
		Target: pulumi.Sprintf("Server=tcp:%s,1433;Database=%s;Encrypt=True;TrustServerCertificate=False;Connection Timeout=30;",
			db.server.FullyQualifiedDomainName, db.database.Name),
		Username: pulumi.String(db.login),
		Password: db.password,
	}, w.names.Opts("connection-"+t.reg.name, pulumi.DependsOn(wait))...)
	return err
}
