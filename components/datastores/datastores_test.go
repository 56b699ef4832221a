package datastores

import (
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-azure-native-sdk/resources/v2"
	"github.com/pulumi/pulumi-azure-native-sdk/storage/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/internal/azureml"
	"azure-ml-security/internal/naming"
	"azure-ml-security/internal/privatelink"
	"azure-ml-security/internal/rbac"
	"azure-ml-security/internal/securestorage"
	"azure-ml-security/internal/testing/fakeazure"
)

// placement is a customer VNet with a zone for every group.
func placement() *privatelink.Placement {
	zones, _ := privatelink.ZonesFor(privatelink.GroupBlob, privatelink.GroupDfs, privatelink.GroupFile, privatelink.GroupSQLServer)
	ids := map[string]pulumi.StringInput{}
	for _, z := range zones {
		ids[z] = pulumi.String("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/privateDnsZones/" + z)
	}
	return &privatelink.Placement{ResourceGroupName: pulumi.String("rg"), Location: pulumi.String("eastus2"),
		SubnetID: pulumi.String("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/pe").ToStringOutput(), ZoneIDs: ids}
}

// plan runs the component over a table of targets (nil: the component's own table).
func plan(t *testing.T, private, withSQL bool, extra ...target) (*fakeazure.Monitor, *Datastores) {
	t.Helper()
	var d *Datastores
	m, err := fakeazure.RunMocked("p", "s", fakeazure.Options{}, func(ctx *pulumi.Context) error {
		names, err := naming.New(ctx, "wl")
		if err != nil {
			return err
		}
		// Stands in for the ML workspace the rules and registrations wait for.
		ws, err := resources.NewResourceGroup(ctx, "workspace", &resources.ResourceGroupArgs{ResourceGroupName: pulumi.String("rg")})
		if err != nil {
			return err
		}
		args := &DatastoresArgs{
			ResourceGroupName: pulumi.String("rg"), Location: "eastus2", SubscriptionID: "sub", TenantID: "tenant",
			Deployer: rbac.Principal{ObjectID: "deployer", Type: rbac.PrincipalUser}, Names: names, Approver: ws, AllowedIPs: []string{"1.2.3.4"}, Private: private,
			PrivateLink: placement(), WorkspaceName: pulumi.String("mlw").ToStringOutput(),
			WorkspaceIdentityPrincipalID: pulumi.String("principal").ToStringOutput(),
			RulesAfter:                   []pulumi.Resource{ws},
		}
		if withSQL {
			args.SQL = &SQLArgs{AdminLogin: "sqladminuser", Sku: SQLSku{Name: "Basic", Tier: "Basic"}, MaxSizeGB: 2}
		}
		d, err = newDatastores(ctx, "data", args, append(dataTargets(withSQL), extra...))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m, d
}

// filesTarget is a data store the component does not have: an Azure Files share, described
// as one row of the target table with its own store.
func filesTarget() target {
	return target{name: "files", groups: []string{privatelink.GroupFile},
		identityRole: rbac.StorageFileDataPrivilegedContributor, identityReads: true,
		reg: registration{"files", azureml.DatastoreTypeAzureFile, "share", "Azure Files share"},
		newStore: func(ctx *pulumi.Context, w *wiring, t target) (*store, error) {
			acct, err := securestorage.New(ctx, w.names, t.name, &securestorage.AccountArgs{
				ResourceGroupName: w.args.ResourceGroupName, Location: w.args.Location,
				AccountName: w.args.Names.Compact("stf"), Private: w.args.Private,
			})
			if err != nil {
				return nil, err
			}
			share, err := storage.NewFileShare(ctx, w.names.Name("files-share"), &storage.FileShareArgs{
				AccountName: acct.Account.Name, ResourceGroupName: w.args.ResourceGroupName, ShareName: pulumi.String(t.reg.container),
			}, w.names.Opts("files-share")...)
			if err != nil {
				return nil, err
			}
			return &store{id: acct.Account.ID().ToStringOutput(), account: acct.Account.Name, container: share.Name}, nil
		}}
}

// TestAnExtraTargetIsWiredEverywhere: one more row in the target table (an Azure Files share)
// gets its grant, its outbound rule, its private endpoint and its datastore, and the rule and
// datastore wait for what they must.
func TestAnExtraTargetIsWiredEverywhere(t *testing.T) {
	m, _ := plan(t, true, false, filesTarget())
	acct := m.ByName("storage:StorageAccount", "data-files")
	if acct == nil {
		t.Fatal("the files account is not created")
	}
	grant := m.ByName("authorization:RoleAssignment", "data-identity-files-file-data")
	if grant == nil || grant.Str("scope") != acct.ID {
		t.Fatalf("no data grant on the files account: %v", grant)
	}
	approver := m.ByName("resources:ResourceGroup", "workspace") // the approver grant stands in
	rule := m.ByName("machinelearningservices:ManagedNetworkSettingsRule", "data-outbound-files-file")
	if rule == nil || rule.Str("properties.destination.serviceResourceId") != acct.ID || rule.Str("properties.destination.subresourceTarget") != "file" {
		t.Fatalf("no outbound rule to the share's file endpoint: %v", rule)
	}
	if approver == nil || !slices.Contains(rule.Dependencies, approver.URN) {
		t.Error("the rule does not wait for the approver grant")
	}
	pe := m.ByName("network:PrivateEndpoint", "data-pe-files-file")
	if pe == nil || pe.Str("privateLinkServiceConnections.0.privateLinkServiceId") != acct.ID {
		t.Errorf("no private endpoint to the share: %v", pe)
	}
	ds := m.ByName("machinelearningservices:Datastore", "data-datastore-files")
	if ds == nil || ds.Str("datastoreProperties.datastoreType") != "AzureFile" || ds.Str("datastoreProperties.fileShareName") != "share" {
		t.Fatalf("no AzureFile datastore over the share: %v", ds)
	}
	for _, dep := range []*fakeazure.Resource{rule, grant} {
		if !slices.Contains(ds.Dependencies, dep.URN) {
			t.Errorf("the datastore does not wait for %s", dep.Name)
		}
	}
}

// TestTableDecidesGroupsAndOutputs: the network's zones and the SQL outputs follow the table.
func TestTableDecidesGroupsAndOutputs(t *testing.T) {
	if g := PrivateLinkGroups(false); slices.Contains(g, privatelink.GroupSQLServer) || !slices.Contains(g, privatelink.GroupDfs) {
		t.Errorf("groups without SQL: %v", g)
	}
	if g := PrivateLinkGroups(true); !slices.Contains(g, privatelink.GroupSQLServer) {
		t.Errorf("groups with SQL: %v", g)
	}
	m, d := plan(t, false, false)
	if d.SQL != nil {
		t.Error("SQL outputs without SQL")
	}
	for _, r := range m.Resources() {
		if strings.HasPrefix(r.Key(), "sql:") {
			t.Errorf("%s created without SQL", r.Name)
		}
	}
	if _, d := plan(t, false, true); d.SQL == nil {
		t.Error("no SQL outputs with SQL")
	}
}

// TestSQLAdministrator: a person is the SQL Entra admin by object id, a service principal by
// its client id, or by its object id when no client id is known.
func TestSQLAdministrator(t *testing.T) {
	cases := []struct {
		typ, clientID, sid, principalType string
	}{
		{rbac.PrincipalUser, "04b07795-8ddb-461a-bbee-02f9e1bf7b46", "object", "User"},
		{rbac.PrincipalServicePrincipal, "app", "app", "Application"},
		{rbac.PrincipalServicePrincipal, "", "object", "Application"},
	}
	for _, c := range cases {
		sid, typ := sqlAdministrator(rbac.Principal{ObjectID: "object", Type: c.typ}, c.clientID)
		if sid != c.sid || typ != c.principalType {
			t.Errorf("%s with client id %q: sid %q, type %s; want %q, %s", c.typ, c.clientID, sid, typ, c.sid, c.principalType)
		}
	}
}
