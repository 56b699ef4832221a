package fakeazure

import (
	"context"
	"errors"
	"strings"
	"testing"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// nameFixture is a resource whose inputs, built from one value, break a rule of one resource's
// own inputs (bad) or obey it (good); needs is what must exist before it on the engine path
// (its parent).
type nameFixture struct {
	what      string
	token     string
	inputs    func(v string) in
	bad, good string
	needs     []res
}

func (n nameFixture) res(v string) res { return res{token: n.token, name: "r", in: n.inputs(v)} }

// nameCase judges each fixture on the plan path (the Monitor's registration, as under
// pulumi.WithMocks) and the engine path (a create on the Cloud).
func nameCase(fixtures ...nameFixture) ruleCase {
	run := func(t *testing.T, try func(n nameFixture, v string) error) (refused, accepted error) {
		var bad, good []error
		var what []string
		for _, n := range fixtures {
			what = append(what, n.what+" "+n.bad)
			bad = append(bad, try(n, n.bad))
			good = append(good, try(n, n.good))
		}
		return joinRefusals(t, what, bad...), errors.Join(good...)
	}
	return ruleCase{
		plan: func(t *testing.T) (error, error) {
			return run(t, func(n nameFixture, v string) error { return register(n.res(v)) })
		},
		engine: func(t *testing.T) (error, error) {
			return run(t, func(n nameFixture, v string) error {
				f := newFake(t, Options{})
				f.must(n.needs...)
				_, err := f.create(n.res(v))
				return err
			})
		},
	}
}

func rgIn(key string) func(string) in {
	return func(v string) in { return in{key: v, "resourceGroupName": "rg"} }
}

var (
	fixRGName = nameFixture{what: "resource group", token: tokRG, bad: "rg-ml.", good: "rg-ml",
		inputs: func(v string) in { return in{"resourceGroupName": v, "location": "eastus2"} }}
	fixStorageName = nameFixture{what: "storage account", token: tokStorage, bad: "stML01", good: "stml01",
		inputs: func(v string) in { return resStorage.set(in{"accountName": v}).in }}
	fixVaultName = nameFixture{what: "key vault", token: tokVault, bad: "kv--ml", good: "kv-ml",
		inputs: func(v string) in { return resVault.set(in{"vaultName": v}).in }}
	fixRegistryName = nameFixture{what: "registry", token: tokRegistry, bad: "cr-ml01", good: "crml01",
		inputs: func(v string) in {
			return in{"registryName": v, "resourceGroupName": "rg", "sku": in{"name": "Premium"}}
		}}
	fixLogAnalyticsName = nameFixture{what: "Log Analytics workspace", token: tokLogs, bad: "log-", good: "log-ml", inputs: rgIn("workspaceName")}
	fixAppInsightsName  = nameFixture{what: "Application Insights", token: tokInsights, bad: "appi/ml", good: "appi-ml",
		inputs: func(v string) in {
			return in{"resourceName": v, "resourceGroupName": "rg", "applicationType": "web", "kind": "web"}
		}}
	fixIdentityName = nameFixture{what: "identity", token: tokIdentity, bad: "id.ml", good: "id-ml", inputs: rgIn("resourceName")}
	fixVNetName     = nameFixture{what: "virtual network", token: tokVNet, bad: "vnet-ml-", good: "vnet-ml", inputs: rgIn("virtualNetworkName")}
	fixZoneName     = nameFixture{what: "private DNS zone", token: tokZone, bad: "localhost", good: "privatelink.api.azureml.ms", inputs: rgIn("privateZoneName")}
	fixVMAdminName  = nameFixture{what: "VM admin", token: tokVM, bad: "admin", good: "azureuser",
		inputs: func(v string) in {
			return in{"vmName": "vm-jump", "resourceGroupName": "rg", "osProfile": in{"computerName": "jump", "adminUsername": v}}
		}}
	fixVMComputerName = nameFixture{what: "Windows computer name", token: tokVM, bad: "jumpbox-windows1", good: "jumpbox-win",
		inputs: func(v string) in {
			return in{"vmName": "vm-jump", "resourceGroupName": "rg",
				"osProfile": in{"computerName": v, "adminUsername": "azureuser", "windowsConfiguration": in{"provisionVMAgent": true}}}
		}}
	fixContainerName = nameFixture{what: "blob container", token: tokContainer, bad: "Data", good: "data", needs: []res{resStorage},
		inputs: func(v string) in { return in{"containerName": v, "accountName": "stml01", "resourceGroupName": "rg"} }}
	fixBlobServiceName = nameFixture{what: "blob service", token: tokBlobSvc, bad: "blob", good: "default", needs: []res{resStorage},
		inputs: func(v string) in {
			return in{"blobServicesName": v, "accountName": "stml01", "resourceGroupName": "rg"}
		}}
	fixWorkspaceName = nameFixture{what: "ML workspace", token: tokWorkspace, bad: "ml", good: "mlw", inputs: rgIn("workspaceName")}
	fixDatastoreName = nameFixture{what: "datastore", token: tokDatastore, bad: "Blob-Store", good: "blob_store",
		needs: []res{{token: tokWorkspace, name: "workspace", in: in{"workspaceName": "mlw-test", "resourceGroupName": "rg"}}},
		inputs: func(v string) in {
			return in{"name": v, "workspaceName": "mlw-test", "resourceGroupName": "rg", "datastoreProperties": in{"datastoreType": "AzureBlob"}}
		}}
	fixComputeName = nameFixture{what: "compute", token: tokCompute, bad: "ci-1", good: "ci-one",
		needs:  []res{{token: tokWorkspace, name: "workspace", in: in{"workspaceName": "mlw-test", "resourceGroupName": "rg"}}},
		inputs: func(v string) in { return computeRes.set(in{"computeName": v}).in }}
	fixSQLServerName = nameFixture{what: "SQL server", token: tokSQL, bad: "SQL-ml", good: "sql-ml",
		inputs: func(v string) in {
			return in{"serverName": v, "resourceGroupName": "rg", "administratorLogin": "sqladmin"}
		}}
	fixSQLDatabaseName = nameFixture{what: "SQL database", token: tokSQLDB, bad: "db/ml", good: "db-ml",
		needs:  []res{{token: tokSQL, name: "sql", in: in{"serverName": "sql-ml", "resourceGroupName": "rg"}}},
		inputs: func(v string) in { return in{"databaseName": v, "serverName": "sql-ml", "resourceGroupName": "rg"} }}
	// fixRequired leaves out the storage account's sku (bad) or gives it (good).
	fixRequired = nameFixture{what: "storage account without sku", token: tokStorage, bad: "", good: "Standard_LRS",
		inputs: func(v string) in {
			r := in{"accountName": "stml01", "resourceGroupName": "rg", "kind": "StorageV2"}
			if v != "" {
				r["sku"] = in{"name": v}
			}
			return r
		}}
)

// TestCheckReportsOwnInputRules: the provider's Check (a preview on the real engine) reports the
// same name and required-input rules as failures naming the rule, and none for the good inputs.
func TestCheckReportsOwnInputRules(t *testing.T) {
	t.Parallel()
	for id, c := range map[string][]nameFixture{
		"name-storage-account": {fixStorageName}, "name-network": {fixVNetName, fixZoneName},
		"name-virtual-machine": {fixVMAdminName, fixVMComputerName}, "name-ml-compute": {fixComputeName},
		"name-ml": {fixWorkspaceName, fixDatastoreName}, "required-inputs": {fixRequired},
	} {
		for _, n := range c {
			t.Run(id+"/"+n.what, func(t *testing.T) {
				t.Parallel()
				p := NewProvider(New(Options{}), "azure-native", "2.90.0")
				check := func(v string) []*pulumirpc.CheckFailure {
					r := n.res(v)
					resp, err := p.Check(context.Background(), &pulumirpc.CheckRequest{Urn: testURN(r.token, r.name), Type: r.token, Name: r.name, News: props(t, r.in)})
					if err != nil {
						t.Fatal(err)
					}
					return resp.Failures
				}
				bad := check(n.bad)
				if len(bad) == 0 {
					t.Errorf("Check accepts %q", n.bad)
				}
				for _, f := range bad {
					if !strings.Contains(f.Reason, "fake Azure rule "+id+";") {
						t.Errorf("Check of %q: %s, not rule %s", n.bad, f.Reason, id)
					}
				}
				if good := check(n.good); len(good) > 0 {
					t.Errorf("Check refuses %q: %v", n.good, good)
				}
			})
		}
	}
}

// engineNameTaken: a storage account name is a DNS name; a second account with it, in another
// resource group, is refused; another name is not.
func engineNameTaken(t *testing.T) (refused, accepted error) {
	f := newFake(t, Options{})
	f.must(resStorage)
	other := resStorage.set(in{"resourceGroupName": "rg-other"})
	other.name = "storage-other"
	_, refused = f.create(other)
	_, accepted = f.create(other.set(in{"accountName": "stml02"}))
	return refused, accepted
}

// engineAlreadyExists: azure-native will not create what exists; once it is deleted, the same
// create goes through.
func engineAlreadyExists(t *testing.T) (refused, accepted error) {
	f := newFake(t, Options{})
	first := f.must(resIdentity)
	_, refused = f.create(resIdentity)
	f.mustDelete(first)
	_, accepted = f.create(resIdentity)
	return refused, accepted
}
