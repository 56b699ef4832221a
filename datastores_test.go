package main

import (
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"azure-ml-security/internal/mockcloud"
	"azure-ml-security/internal/privatelink"
	"azure-ml-security/internal/rbac"
)

// grantOn returns the role assignment of role on scope to principal, or nil.
func grantOn(cloud *mockcloud.Cloud, scope string, role rbac.Role, principal string) *mockcloud.Resource {
	for _, ra := range cloud.Find("authorization:RoleAssignment") {
		if ra.Str("scope") == scope && strings.HasSuffix(ra.Str("roleDefinitionId"), "/"+string(role)) && ra.Str("principalId") == principal {
			return ra
		}
	}
	return nil
}

func identityPrincipal(t *testing.T, cloud *mockcloud.Cloud) string {
	t.Helper()
	return one(t, cloud, "managedidentity:UserAssignedIdentity", "identity").Outputs["principalId"].StringValue()
}

// TestOutboundRules: one PrivateEndpoint rule per target and subresource, each after the
// approver grant on its target, so the managed private endpoint is approved without a click.
func TestOutboundRules(t *testing.T) {
	for _, stack := range stacks {
		t.Run(stack, func(t *testing.T) {
			cloud := mustPlan(t, stack, nil)
			principal := identityPrincipal(t, cloud)
			ws := one(t, cloud, "machinelearningservices:Workspace", "workspace")
			want := map[string][2]string{ // rule name -> target logical name and type key, subresource
				"lake-dfs":   {"lake", privatelink.GroupDfs},
				"lake-blob":  {"lake", privatelink.GroupBlob},
				"blob-blob":  {"blob", privatelink.GroupBlob},
				"sql-server": {"sql-server", privatelink.GroupSQLServer},
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
				var target *mockcloud.Resource
				if w[0] == "sql-server" {
					target = one(t, cloud, "sql:Server", "sql-server")
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
			lake := one(t, cloud, "machinelearningservices:Datastore", "datastore-datalake")
			blob := one(t, cloud, "machinelearningservices:Datastore", "datastore-blobs")
			checkInput(t, lake, "datastoreProperties.datastoreType", "AzureDataLakeGen2")
			checkInput(t, lake, "datastoreProperties.filesystem", "data")
			checkInput(t, lake, "datastoreProperties.accountName", one(t, cloud, "storage:StorageAccount", "lake").Str("accountName"))
			checkInput(t, blob, "datastoreProperties.datastoreType", "AzureBlob")
			checkInput(t, blob, "datastoreProperties.containerName", "blobs")
			checkInput(t, blob, "datastoreProperties.accountName", one(t, cloud, "storage:StorageAccount", "blob").Str("accountName"))
			rules := cloud.Find("machinelearningservices:ManagedNetworkSettingsRule")
			for _, ds := range []*mockcloud.Resource{lake, blob} {
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
					checkInput(t, ds, "datastoreProperties.credentials.tenantId", mockcloud.TenantID)
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
			for _, acct := range []string{"lake", "blob"} {
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
				for _, ds := range []*mockcloud.Resource{lake, blob} {
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
			server := one(t, cloud, "sql:Server", "sql-server")
			checkInput(t, server, "minimalTlsVersion", "1.2")
			checkInput(t, server, "administrators.administratorType", "ActiveDirectory")
			checkInput(t, server, "administrators.sid", mockcloud.DeployerObject)
			if !server.Inputs["administratorLoginPassword"].IsSecret() {
				t.Error("SQL admin password is not a secret input")
			}
			rules := cloud.Find("sql:FirewallRule")
			for _, r := range rules {
				if r.Str("startIpAddress") == "0.0.0.0" || strings.EqualFold(r.Str("firewallRuleName"), "AllowAllWindowsAzureIps") {
					t.Errorf("firewall rule %s opens the server to all of Azure", r.Name)
				}
			}
			db := one(t, cloud, "sql:Database", "sql-database")
			checkInput(t, db, "sku.name", "Basic")
			checkInput(t, db, "maxSizeBytes", float64(2<<30))
			conn := one(t, cloud, "machinelearningservices:WorkspaceConnection", "connection-sqldb")
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
		r := one(t, cloud, "sql:FirewallRule", "sql-allowed-ip-0")
		if r.Str("startIpAddress") != "198.51.100.0" || r.Str("endIpAddress") != "198.51.103.255" {
			t.Errorf("range %s-%s, want 198.51.100.0-198.51.103.255", r.Str("startIpAddress"), r.Str("endIpAddress"))
		}
	})
	t.Run("vCore SKU", func(t *testing.T) {
		cloud := mustPlan(t, "dev", map[string]any{"sqlSkuName": "GP_S_Gen5_2", "sqlMaxSizeGb": 32})
		db := one(t, cloud, "sql:Database", "sql-database")
		for path, want := range map[string]any{"sku.name": "GP_S_Gen5", "sku.tier": "GeneralPurpose", "sku.family": "Gen5", "sku.capacity": float64(2), "maxSizeBytes": float64(32 << 30)} {
			checkInput(t, db, path, want)
		}
	})
}

// TestSQLToggleOff removes the server, database, firewall rules, outbound rule, approver
// grant, connection and private endpoint, and nothing else of the data.
func TestSQLToggleOff(t *testing.T) {
	for _, stack := range stacks {
		t.Run(stack, func(t *testing.T) {
			on := mustPlan(t, stack, nil)
			off := mustPlan(t, stack, map[string]any{"createSqlDatabase": false})
			var gone []string
			offURNs := map[string]bool{}
			for _, r := range off.Resources() {
				offURNs[r.URN] = true
			}
			for _, r := range on.Resources() {
				if !offURNs[r.URN] {
					gone = append(gone, r.Type+"::"+r.Name)
				}
			}
			want := []string{
				"azure-native:authorization:RoleAssignment::identity-sql-network-approver",
				"azure-native:authorization:RoleAssignment::identity-sql-server-contributor",
				"azure-native:machinelearningservices/v20241001:ManagedNetworkSettingsRule::outbound-sql-server",
				"azure-native:machinelearningservices/v20241001:WorkspaceConnection::connection-sqldb",
				"azure-native:sql:Database::sql-database",
				"azure-native:sql:Server::sql-server",
				"random:index/randomPassword:RandomPassword::sql-admin-password",
			}
			if isPrivate(stack) {
				want = append(want,
					"azure-native:network:PrivateDnsZoneGroup::pe-sql-server-dns",
					"azure-native:network:PrivateEndpoint::pe-sql-server",
					"azure-native:network:PrivateZone::privatelink.database.windows.net",
					"azure-native:network:VirtualNetworkLink::privatelink.database.windows.net-link")
			} else {
				want = append(want, "azure-native:sql:FirewallRule::sql-allowed-ip-0")
			}
			slices.Sort(want)
			slices.Sort(gone)
			if !slices.Equal(gone, want) {
				t.Errorf("turning SQL off removes\n  %v\nwant\n  %v", gone, want)
			}
			if len(off.Resources()) != len(on.Resources())-len(want) {
				t.Errorf("turning SQL off also adds resources: %d -> %d", len(on.Resources()), len(off.Resources()))
			}
		})
	}
}

func TestDataPrivateEndpoints(t *testing.T) {
	cloud := mustPlan(t, "private", nil)
	checkEndpoints(t, cloud, map[string][2]string{
		"pe-lake-dfs":   {"lake", privatelink.GroupDfs},
		"pe-lake-blob":  {"lake", privatelink.GroupBlob},
		"pe-blob-blob":  {"blob", privatelink.GroupBlob},
		"pe-sql-server": {"sql-server", privatelink.GroupSQLServer},
	})
	for _, acct := range []string{"lake", "blob"} {
		st := one(t, cloud, "storage:StorageAccount", acct)
		checkInput(t, st, "publicNetworkAccess", "Disabled")
		checkInput(t, st, "allowSharedKeyAccess", false)
	}
	if n := len(cloud.Find("storage:Blob")); n != 0 {
		t.Errorf("private stack uploads %d sample blobs; it has no network path for them", n)
	}
}

func TestSampleData(t *testing.T) {
	cloud := mustPlan(t, "dev", nil)
	for _, name := range []string{"lake-sample", "blob-sample"} {
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
	for _, acct := range []string{"lake", "blob"} {
		checkInput(t, one(t, off, "storage:StorageAccount", acct), "allowSharedKeyAccess", false)
	}
}

// TestNoPlainSecrets walks every input of every resource and fails on a secret value that is
// not wrapped as a secret, in every configuration that handles one.
func TestNoPlainSecrets(t *testing.T) {
	const given = "Given-Sql-Passw0rd!"
	configs := []struct {
		name    string
		stack   string
		changes map[string]any
		secret  bool
	}{
		{"dev", "dev", nil, false},
		{"private", "private", nil, false},
		{"service principal", "dev", map[string]any{"datastoreAuth": "servicePrincipal"}, false},
		{"given SQL password", "dev", map[string]any{"sqlAdminPassword": given}, true},
	}
	for _, c := range configs {
		t.Run(c.name, func(t *testing.T) {
			cfg := loadStack(t, c.stack)
			for k, v := range c.changes {
				if err := cfg.Set(k, v, c.secret); err != nil {
					t.Fatal(err)
				}
			}
			cloud, err := plan(t, c.stack, cfg)
			if err != nil {
				t.Fatal(err)
			}
			secrets := []string{given}
			for _, r := range cloud.Resources() {
				for _, v := range r.Outputs {
					if v.IsSecret() && v.SecretValue().Element.IsString() {
						secrets = append(secrets, v.SecretValue().Element.StringValue())
					}
				}
			}
			if len(secrets) < 2 {
				t.Fatal("no secret produced: the check would prove nothing")
			}
			for _, r := range cloud.Resources() {
				walkPlain(resource.NewProperty(r.Inputs), r.Type+"::"+r.Name, func(path, s string) {
					for _, sec := range secrets {
						if strings.Contains(s, sec) {
							t.Errorf("%s holds a secret in plain text", path)
						}
					}
					if key := strings.ToLower(path[strings.LastIndex(path, ".")+1:]); strings.Contains(key, "password") || strings.Contains(key, "secret") && !strings.Contains(key, "type") {
						t.Errorf("%s is named like a secret but is not one", path)
					}
				})
			}
		})
	}
}

// walkPlain calls fn for every string not under a secret.
func walkPlain(v resource.PropertyValue, path string, fn func(path, s string)) {
	switch {
	case v.IsSecret():
		return
	case v.IsString():
		fn(path, v.StringValue())
	case v.IsObject():
		for k, e := range v.ObjectValue() {
			walkPlain(e, path+"."+string(k), fn)
		}
	case v.IsArray():
		for i, e := range v.ArrayValue() {
			walkPlain(e, path+"."+itoa(i), fn)
		}
	case v.IsAsset():
		fn(path, v.AssetValue().Text)
	}
}

func resourceInputs(r *mockcloud.Resource) resource.PropertyValue {
	return resource.NewProperty(r.Inputs)
}
