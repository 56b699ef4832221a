package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"azure-ml-security/internal/mockcloud"
	"azure-ml-security/internal/schemacheck"
)

// azureNativeTypes locates the unpacked @pulumi/azure-native@2.90.0 package that .ci/run
// fetches: $AZURE_NATIVE_TYPES, else the cache .ci/run uses.
func azureNativeTypes(t *testing.T) *schemacheck.Schema {
	t.Helper()
	root := os.Getenv("AZURE_NATIVE_TYPES")
	if root == "" {
		home, _ := os.UserHomeDir()
		root = filepath.Join(home, ".cache", "azure-ml-security", "azure-native-2.90.0", "package")
	}
	s, err := schemacheck.Open(root)
	if err != nil {
		msg := "the @pulumi/azure-native 2.90.0 type definitions are needed: run `.ci/fetch-azure-native-types` " +
			"(npm pack into ~/.cache/azure-ml-security) or set AZURE_NATIVE_TYPES to an unpacked package: " + err.Error()
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return s
}

// schemaConfigs are the stack files and the switched and toggled configurations the other
// tests plan, so every input any of them sends is checked.
var schemaConfigs = []struct {
	name    string
	stack   string
	changes map[string]any
}{
	{"dev", "dev", nil},
	{"private", "private", nil},
	{"dev switched to private", "dev", map[string]any{"privateWorkspace": true, "createJumpVm": true, "uploadSampleData": false}},
	{"service-principal datastores", "dev", map[string]any{"datastoreAuth": "servicePrincipal"}},
	{"SSH key and vCore SQL", "dev", map[string]any{"computeInstanceSshPublicKey": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB7test u@example", "sqlSkuName": "GP_S_Gen5_2", "sqlMaxSizeGb": 32}},
	{"internet outbound, standard firewall", "dev", map[string]any{"isolationMode": "AllowInternetOutbound", "firewallSku": "Standard"}},
	{"no SQL, no compute", "private", map[string]any{"createSqlDatabase": false, "createComputeInstance": false}},
}

// TestSchemaConformance checks every azure-native resource of every configuration against the
// provider's type definitions: token, every input key (recursively), enum values and union
// discriminators.
func TestSchemaConformance(t *testing.T) {
	schema := azureNativeTypes(t)
	start := time.Now()
	total := 0
	for _, c := range schemaConfigs {
		t.Run(c.name, func(t *testing.T) {
			cloud := mustPlan(t, c.stack, c.changes)
			n := 0
			for _, r := range cloud.Resources() {
				if !r.Custom || !strings.HasPrefix(r.Type, "azure-native:") {
					continue
				}
				n++
				problems, err := schema.Check(r.Type, r.Inputs)
				if err != nil {
					t.Errorf("%s %s: %v", r.Type, r.Name, err)
					continue
				}
				for _, p := range problems {
					t.Errorf("%s %s: %s", r.Type, r.Name, p)
				}
			}
			if n < 20 {
				t.Errorf("only %d azure-native resources checked", n)
			}
			total += n
			t.Logf("%d azure-native resources checked", n)
		})
	}
	t.Logf("%d resources checked in %d configurations in %s", total, len(schemaConfigs), time.Since(start).Round(time.Millisecond))
}

// TestSchemaCheckCatchesMistakes plants the classes of mistake the provider would let through
// into real planned inputs and expects each to be reported against the real type definitions.
func TestSchemaCheckCatchesMistakes(t *testing.T) {
	schema := azureNativeTypes(t)
	cloud := mustPlan(t, "dev", nil)
	mutate := []struct {
		name, resource, key, path string
		edit                      func(r *mockcloud.Resource)
	}{
		{"wrong top-level key", "workspace", "machinelearningservices:Workspace", "managedNetworks", func(r *mockcloud.Resource) {
			r.Inputs["managedNetworks"] = r.Inputs["managedNetwork"]
		}},
		{"wrong nested key", "workspace", "machinelearningservices:Workspace", "managedNetwork.isolation", func(r *mockcloud.Resource) {
			r.Inputs["managedNetwork"].ObjectValue()["isolation"] = r.Inputs["managedNetwork"].ObjectValue()["isolationMode"]
		}},
		{"wrong enum", "workspace", "machinelearningservices:Workspace", "systemDatastoresAuthMode", func(r *mockcloud.Resource) {
			r.Inputs["systemDatastoresAuthMode"] = mockcloud.String("identity")
		}},
		{"wrong discriminator", "compute-instance", "machinelearningservices:Compute", "properties", func(r *mockcloud.Resource) {
			r.Inputs["properties"].ObjectValue()["computeType"] = mockcloud.String("Instance")
		}},
		{"wrong key inside a union member", "datastore-datalake", "machinelearningservices:Datastore", "datastoreProperties.fileSystem", func(r *mockcloud.Resource) {
			r.Inputs["datastoreProperties"].ObjectValue()["fileSystem"] = mockcloud.String("data")
		}},
		{"wrong enum in a typed SDK resource", "storage", "storage:StorageAccount", "minimumTlsVersion", func(r *mockcloud.Resource) {
			r.Inputs["minimumTlsVersion"] = mockcloud.String("TLS1.2")
		}},
	}
	for _, m := range mutate {
		t.Run(m.name, func(t *testing.T) {
			r := one(t, cloud, m.key, m.resource)
			r = r.Clone()
			m.edit(r)
			problems, err := schema.Check(r.Type, r.Inputs)
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, p := range problems {
				found = found || p.Path == m.path
			}
			if !found {
				t.Errorf("mistake at %s not reported; problems: %v", m.path, problems)
			}
		})
	}
	if _, err := schema.Check("azure-native:machinelearningservices/v20991231:Workspace", nil); err == nil {
		t.Error("a token with no type definition is not reported")
	}
}
