package main

import (
	"slices"
	"strings"
	"testing"

	"azure-ml-security/internal/privatelink"
	"azure-ml-security/internal/rbac"
	"azure-ml-security/internal/testing/fakeazure"
)

// TestOutboundRules: one PrivateEndpoint rule per target and subresource, each after the
// approver grant on its target, so the managed private endpoint is approved without a click.
func TestOutboundRules(t *testing.T) {
	for _, stack := range stacks {
		t.Run(stack, func(t *testing.T) {
			cloud := mustPlan(t, stack, nil)
			principal := identityPrincipal(t, cloud)
			ws := one(t, cloud, "machinelearningservices:Workspace", "workspace-ml")
			want := map[string][2]string{ // rule name -> target logical name and type key, subresource
				"lake-dfs":   {"datastores-lake", privatelink.GroupDfs},
				"lake-blob":  {"datastores-lake", privatelink.GroupBlob},
				"blob-blob":  {"datastores-blob", privatelink.GroupBlob},
				"sql-server": {"datastores-sql-server", privatelink.GroupSQLServer},
			}
			var rules []*fakeazure.Resource
			for _, r := range cloud.Find("machinelearningservices:ManagedNetworkSettingsRule") {
				if strings.HasPrefix(r.Name, "datastores-") {
					rules = append(rules, r)
				}
			}
			if len(rules) != len(want) {
				t.Errorf("%d outbound rules, want %d", len(rules), len(want))
			}
			for _, r := range rules {
				w, ok := want[r.Str("ruleName")]
				if !ok {
					t.Errorf("unexpected rule %s", r.Str("ruleName"))
					continue
				}
				var target *fakeazure.Resource
				if w[0] == "datastores-sql-server" {
					target = one(t, cloud, "sql:Server", "datastores-sql-server")
				} else {
					target = one(t, cloud, "storage:StorageAccount", w[0])
				}
				if got := r.Str("properties.destination.serviceResourceId"); got != target.ID {
					t.Errorf("rule %s points at %s, want %s", r.Name, got, target.ID)
				}
				if got := r.Str("properties.destination.subresourceTarget"); got != w[1] {
					t.Errorf("rule %s subresource %q, want %q", r.Name, got, w[1])
				}
				if got := r.Str("properties.type"); got != "PrivateEndpoint" {
					t.Errorf("rule %s type %q", r.Name, got)
				}
				if r.Str("workspaceName") != ws.Str("workspaceName") {
					t.Errorf("rule %s is on workspace %q", r.Name, r.Str("workspaceName"))
				}
				// F1: the identity's approver grant covers the target from the resource group,
				// and the rule waits for it.
				approver := grantOn(cloud, one(t, cloud, "resources:ResourceGroup", "resource-group").ID, rbac.AzureAIEnterpriseNetworkConnApprover, principal)
				if approver == nil {
					t.Errorf("no approver grant for the workspace identity on the resource group")
				} else if !slices.Contains(r.Dependencies, approver.URN) {
					t.Errorf("rule %s does not wait for the approver grant", r.Name)
				}
				if !slices.Contains(r.Dependencies, ws.URN) {
					t.Errorf("rule %s does not wait for the workspace", r.Name)
				}
			}
		})
	}
}

// TestDatastorePayloads: both datastores in each authentication mode, the grant they read
// with, and (S2) the Entra app, its secret and its grants only with service-principal
// datastores; (D4) the service's credential check at registration is skipped in every mode.
func TestDatastorePayloads(t *testing.T) {
	for _, mode := range []string{"identity", "servicePrincipal"} {
		t.Run(mode, func(t *testing.T) {
			cloud := mustPlan(t, "dev", map[string]any{"datastoreAuth": mode})
			lake := one(t, cloud, "machinelearningservices:Datastore", "datastores-datastore-datalake")
			blob := one(t, cloud, "machinelearningservices:Datastore", "datastores-datastore-blobs")
			checkInput(t, lake, "datastoreProperties.datastoreType", "AzureDataLakeGen2")
			checkInput(t, lake, "datastoreProperties.filesystem", "data")
			checkInput(t, lake, "datastoreProperties.accountName", one(t, cloud, "storage:StorageAccount", "datastores-lake").Str("accountName"))
			checkInput(t, blob, "datastoreProperties.datastoreType", "AzureBlob")
			checkInput(t, blob, "datastoreProperties.containerName", "blobs")
			checkInput(t, blob, "datastoreProperties.accountName", one(t, cloud, "storage:StorageAccount", "datastores-blob").Str("accountName"))
			apps := cloud.Find("azuread:index/application:Application")
			secrets := cloud.Find("azuread:index/applicationPassword:ApplicationPassword")
			rules := cloud.Find("machinelearningservices:ManagedNetworkSettingsRule")
			for _, ds := range []*fakeazure.Resource{lake, blob} {
				checkInput(t, ds, "skipValidation", true)
				for _, r := range rules {
					if !slices.Contains(ds.Dependencies, r.URN) {
						t.Errorf("datastore %s does not wait for outbound rule %s", ds.Name, r.Name)
					}
				}
				switch mode {
				case "identity":
					checkInput(t, ds, "datastoreProperties.credentials.credentialsType", "None")
					checkInput(t, ds, "datastoreProperties.serviceDataAccessAuthIdentity", "WorkspaceUserAssignedIdentity")
				case "servicePrincipal":
					checkInput(t, ds, "datastoreProperties.credentials.credentialsType", "ServicePrincipal")
					checkInput(t, ds, "datastoreProperties.credentials.clientId", apps[0].Outputs["clientId"].StringValue())
					checkInput(t, ds, "datastoreProperties.credentials.tenantId", fakeazure.TenantID)
					checkInput(t, ds, "datastoreProperties.credentials.secrets.secretsType", "ServicePrincipal")
					raw := ds.Inputs["datastoreProperties"].ObjectValue()["credentials"].ObjectValue()["secrets"].ObjectValue()["clientSecret"]
					if !raw.IsSecret() {
						t.Errorf("datastore %s client secret is not a secret", ds.Name)
					}
					if _, ok := ds.Input("datastoreProperties.serviceDataAccessAuthIdentity"); ok {
						t.Errorf("datastore %s sets a data-access identity with service-principal credentials", ds.Name)
					}
				}
			}
			principal := identityPrincipal(t, cloud)
			for _, acct := range []string{"datastores-lake", "datastores-blob"} {
				id := one(t, cloud, "storage:StorageAccount", acct).ID
				reader := grantOn(cloud, id, rbac.StorageBlobDataReader, principal)
				if reader == nil {
					t.Fatalf("no Storage Blob Data Reader for the workspace identity on %s", acct)
				}
				need := reader
				if mode == "servicePrincipal" {
					sp := one(t, cloud, "azuread:index/servicePrincipal:ServicePrincipal", "datastores-sp").Outputs["objectId"].StringValue()
					if need = grantOn(cloud, id, rbac.StorageBlobDataContributor, sp); need == nil {
						t.Fatalf("no Storage Blob Data Contributor for the app on %s", acct)
					}
				}
				for _, ds := range []*fakeazure.Resource{lake, blob} {
					if !slices.Contains(ds.Dependencies, need.URN) {
						t.Errorf("datastore %s does not wait for %s", ds.Name, need.Name)
					}
				}
			}
			if mode == "identity" {
				// S2: no standing credential nobody uses.
				if len(apps) != 0 || len(secrets) != 0 || len(cloud.Find("azuread:index/servicePrincipal:ServicePrincipal")) != 0 {
					t.Errorf("identity datastores still create %d apps and %d secrets", len(apps), len(secrets))
				}
				for _, ra := range cloud.Find("authorization:RoleAssignment") {
					if strings.Contains(ra.Name, "-app-") {
						t.Errorf("identity datastores still grant the app: %s", ra.Name)
					}
				}
			} else if len(apps) != 1 || len(secrets) != 1 {
				t.Errorf("service-principal datastores: %d apps, %d secrets, want 1 each", len(apps), len(secrets))
			}
		})
	}
}

// TestNoSQLServerContributor (S3): the workspace identity gets no role on the SQL server: the
// connection logs in with SQL authentication, and SQL Server Contributor would grant no data
// but control of the server's firewall; approving its managed endpoint is the resource-group
// approver grant.
func TestNoSQLServerContributor(t *testing.T) {
	cloud := mustPlan(t, "dev", nil)
	server := one(t, cloud, "sql:Server", "datastores-sql-server")
	for _, ra := range cloud.Find("authorization:RoleAssignment") {
		if ra.Str("scope") == server.ID || strings.HasSuffix(ra.Str("roleDefinitionId"), "/"+string(rbac.SQLServerContributor)) {
			t.Errorf("grant %s on the SQL server", ra.Name)
		}
	}
}

func TestSQL(t *testing.T) {
	for _, stack := range stacks {
		t.Run(stack, func(t *testing.T) {
			cloud := mustPlan(t, stack, nil)
			server := one(t, cloud, "sql:Server", "datastores-sql-server")
			checkInput(t, server, "minimalTlsVersion", "1.2")
			checkInput(t, server, "administrators.administratorType", "ActiveDirectory")
			checkInput(t, server, "administrators.sid", fakeazure.DeployerObject)
			if !server.Inputs["administratorLoginPassword"].IsSecret() {
				t.Error("SQL admin password is not a secret input")
			}
			rules := cloud.Find("sql:FirewallRule")
			for _, r := range rules {
				if r.Str("startIpAddress") == "0.0.0.0" || strings.EqualFold(r.Str("firewallRuleName"), "AllowAllWindowsAzureIps") {
					t.Errorf("firewall rule %s opens the server to all of Azure", r.Name)
				}
			}
			db := one(t, cloud, "sql:Database", "datastores-sql-database")
			checkInput(t, db, "sku.name", "Basic")
			checkInput(t, db, "maxSizeBytes", float64(2<<30))
			conn := one(t, cloud, "machinelearningservices:WorkspaceConnection", "datastores-connection-sqldb")
			checkInput(t, conn, "properties.authType", "UsernamePassword")
			checkInput(t, conn, "properties.category", "AzureSqlDb")
			if !strings.Contains(conn.Str("properties.target"), "Server=tcp:"+server.Str("serverName")+".database.windows.net,1433;Database="+db.Str("databaseName")+";") {
				t.Errorf("connection target %q does not name the server and database", conn.Str("properties.target"))
			}
			if isPrivate(stack) {
				checkInput(t, server, "publicNetworkAccess", "Disabled")
				if len(rules) != 0 {
					t.Errorf("private SQL server has %d firewall rules", len(rules))
				}
			} else {
				checkInput(t, server, "publicNetworkAccess", "Enabled")
				if len(rules) != 1 || rules[0].Str("startIpAddress") != "1.2.3.4" || rules[0].Str("endIpAddress") != "1.2.3.4" {
					t.Errorf("want one firewall rule for the allowed address, got %d", len(rules))
				}
			}
		})
	}
	t.Run("CIDR range", func(t *testing.T) {
		cloud := mustPlan(t, "dev", map[string]any{"allowedIpAddresses": []any{"20.30.40.0/22"}})
		r := one(t, cloud, "sql:FirewallRule", "datastores-sql-allowed-ip-0")
		if r.Str("startIpAddress") != "20.30.40.0" || r.Str("endIpAddress") != "20.30.43.255" {
			t.Errorf("range %s-%s, want 20.30.40.0-20.30.43.255", r.Str("startIpAddress"), r.Str("endIpAddress"))
		}
	})
	t.Run("vCore SKU", func(t *testing.T) {
		cloud := mustPlan(t, "dev", map[string]any{"sqlSkuName": "GP_S_Gen5_2", "sqlMaxSizeGb": 32})
		db := one(t, cloud, "sql:Database", "datastores-sql-database")
		for path, want := range map[string]any{"sku.name": "GP_S_Gen5", "sku.tier": "GeneralPurpose", "sku.family": "Gen5", "sku.capacity": float64(2), "maxSizeBytes": float64(32 << 30)} {
			checkInput(t, db, path, want)
		}
	})
}

func TestSampleData(t *testing.T) {
	cloud := mustPlan(t, "dev", nil)
	for _, name := range []string{"datastores-lake-sample", "datastores-blob-sample"} {
		b := one(t, cloud, "storage:Blob", name)
		checkInput(t, b, "blobName", "contacts.csv")
		checkInput(t, b, "contentType", "text/csv")
		v, ok := b.Input("source")
		if !ok || !v.IsAsset() || !strings.HasPrefix(v.AssetValue().Text, "id,first_name,last_name,email,phone,city\n") {
			t.Errorf("%s source is not the sample CSV", name)
		}
	}
	// F3: the files stay when uploadSampleData is turned off (they go with their accounts): a
	// delete would run after the accounts stopped taking the account key.
	for _, name := range []string{"datastores-lake-sample", "datastores-blob-sample"} {
		if b := one(t, cloud, "storage:Blob", name); !b.RetainOnDelete {
			t.Errorf("%s is deleted when it leaves the program", name)
		}
	}
	off := mustPlan(t, "dev", map[string]any{"uploadSampleData": false})
	if n := len(off.Find("storage:Blob")); n != 0 {
		t.Errorf("uploadSampleData false still uploads %d blobs", n)
	}
	for _, acct := range []string{"datastores-lake", "datastores-blob"} {
		checkInput(t, one(t, off, "storage:StorageAccount", acct), "allowSharedKeyAccess", false)
	}
}
