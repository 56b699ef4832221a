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
			rules := cloud.Find("machinelearningservices:ManagedNetworkSettingsRule")
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
				approver := grantOn(cloud, target.ID, rbac.AzureAIEnterpriseNetworkConnApprover, principal)
				if approver == nil {
					t.Errorf("no approver grant for the workspace identity on %s", target.Name)
				} else if !slices.Contains(r.Dependencies, approver.URN) {
					t.Errorf("rule %s does not wait for the approver grant on %s", r.Name, target.Name)
				}
				if !slices.Contains(r.Dependencies, ws.URN) {
					t.Errorf("rule %s does not wait for the workspace", r.Name)
				}
			}
		})
	}
}

func TestDatastorePayloads(t *testing.T) {
	for _, mode := range []string{"identity", "servicePrincipal"} {
		t.Run(mode, func(t *testing.T) {
			cloud := mustPlan(t, "dev", map[string]any{"datastoreAuth": mode})
			app := one(t, cloud, "azuread:index/application:Application", "datastores-app")
			lake := one(t, cloud, "machinelearningservices:Datastore", "datastores-datastore-datalake")
			blob := one(t, cloud, "machinelearningservices:Datastore", "datastores-datastore-blobs")
			checkInput(t, lake, "datastoreProperties.datastoreType", "AzureDataLakeGen2")
			checkInput(t, lake, "datastoreProperties.filesystem", "data")
			checkInput(t, lake, "datastoreProperties.accountName", one(t, cloud, "storage:StorageAccount", "datastores-lake").Str("accountName"))
			checkInput(t, blob, "datastoreProperties.datastoreType", "AzureBlob")
			checkInput(t, blob, "datastoreProperties.containerName", "blobs")
			checkInput(t, blob, "datastoreProperties.accountName", one(t, cloud, "storage:StorageAccount", "datastores-blob").Str("accountName"))
			rules := cloud.Find("machinelearningservices:ManagedNetworkSettingsRule")
			for _, ds := range []*fakeazure.Resource{lake, blob} {
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
					checkInput(t, ds, "datastoreProperties.credentials.clientId", app.Outputs["clientId"].StringValue())
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
			// The grant the datastores need in this mode exists and comes first.
			principal := identityPrincipal(t, cloud)
			sp := one(t, cloud, "azuread:index/servicePrincipal:ServicePrincipal", "datastores-sp").Outputs["objectId"].StringValue()
			for _, acct := range []string{"datastores-lake", "datastores-blob"} {
				id := one(t, cloud, "storage:StorageAccount", acct).ID
				reader := grantOn(cloud, id, rbac.StorageBlobDataReader, principal)
				contrib := grantOn(cloud, id, rbac.StorageBlobDataContributor, sp)
				if reader == nil || contrib == nil {
					t.Fatalf("missing data grants on %s (identity reader %v, app contributor %v)", acct, reader != nil, contrib != nil)
				}
				need := reader
				if mode == "servicePrincipal" {
					need = contrib
				}
				for _, ds := range []*fakeazure.Resource{lake, blob} {
					if !slices.Contains(ds.Dependencies, need.URN) {
						t.Errorf("datastore %s does not wait for %s", ds.Name, need.Name)
					}
				}
			}
		})
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
				if len(rules) != 1 || rules[0].Str("startIpAddress") != "203.0.113.10" || rules[0].Str("endIpAddress") != "203.0.113.10" {
					t.Errorf("want one firewall rule for the allowed address, got %d", len(rules))
				}
			}
		})
	}
	t.Run("CIDR range", func(t *testing.T) {
		cloud := mustPlan(t, "dev", map[string]any{"allowedIpAddresses": []any{"198.51.100.0/22"}})
		r := one(t, cloud, "sql:FirewallRule", "datastores-sql-allowed-ip-0")
		if r.Str("startIpAddress") != "198.51.100.0" || r.Str("endIpAddress") != "198.51.103.255" {
			t.Errorf("range %s-%s, want 198.51.100.0-198.51.103.255", r.Str("startIpAddress"), r.Str("endIpAddress"))
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
	off := mustPlan(t, "dev", map[string]any{"uploadSampleData": false})
	if n := len(off.Find("storage:Blob")); n != 0 {
		t.Errorf("uploadSampleData false still uploads %d blobs", n)
	}
	for _, acct := range []string{"datastores-lake", "datastores-blob"} {
		checkInput(t, one(t, off, "storage:StorageAccount", acct), "allowSharedKeyAccess", false)
	}
}
