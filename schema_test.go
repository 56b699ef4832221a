package main

import (
	"slices"
	"strings"
	"testing"
	"time"

	"azure-ml-security/internal/testing/fakeazure"
	"azure-ml-security/internal/testing/schemacheck"
)

// azureNativeTypes opens the unpacked @pulumi/azure-native@2.90.0 package that .ci/run fetches.
func azureNativeTypes(t *testing.T) *schemacheck.Schema { return schemacheck.OpenForTest(t) }

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
	{"internet outbound, standard firewall", "private", map[string]any{"isolationMode": "AllowInternetOutbound", "firewallSku": "Standard"}},
	{"private with SSH to the compute instance", "private", map[string]any{"computeInstanceSshPublicKey": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB7test u@example"}},
	{"private without the jump VM", "private", map[string]any{"createJumpVm": false, "privateClientAccess": "network"}},
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
		edit                      func(r *fakeazure.Resource)
	}{
		{"wrong top-level key", "workspace-ml", "machinelearningservices:Workspace", "managedNetworks", func(r *fakeazure.Resource) {
			r.Inputs["managedNetworks"] = r.Inputs["managedNetwork"]
		}},
		{"wrong nested key", "workspace-ml", "machinelearningservices:Workspace", "managedNetwork.isolation", func(r *fakeazure.Resource) {
			r.Inputs["managedNetwork"].ObjectValue()["isolation"] = r.Inputs["managedNetwork"].ObjectValue()["isolationMode"]
		}},
		{"wrong enum", "workspace-ml", "machinelearningservices:Workspace", "systemDatastoresAuthMode", func(r *fakeazure.Resource) {
			r.Inputs["systemDatastoresAuthMode"] = fakeazure.String("workspace-identity")
		}},
		{"wrong discriminator", "compute-instance", "machinelearningservices:Compute", "properties", func(r *fakeazure.Resource) {
			r.Inputs["properties"].ObjectValue()["computeType"] = fakeazure.String("Instance")
		}},
		{"wrong key inside a union member", "datastores-datastore-datalake", "machinelearningservices:Datastore", "datastoreProperties.fileSystem", func(r *fakeazure.Resource) {
			r.Inputs["datastoreProperties"].ObjectValue()["fileSystem"] = fakeazure.String("data")
		}},
		{"wrong enum in a typed SDK resource", "workspace-storage", "storage:StorageAccount", "minimumTlsVersion", func(r *fakeazure.Resource) {
			r.Inputs["minimumTlsVersion"] = fakeazure.String("TLS1.2")
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

// TestFakeRequiredInputsMatchTypes: the fake Azure refuses a resource that leaves out a
// required input using its own table (internal/testing/fakeazure/types.go), so that the offline
// preview can do it without the npm package; this keeps that table equal to the package's
// required fields for every token the program registers.
func TestFakeRequiredInputsMatchTypes(t *testing.T) {
	schema := azureNativeTypes(t)
	seen := map[string]bool{}
	for _, c := range schemaConfigs {
		for _, r := range mustPlan(t, c.stack, c.changes).Resources() {
			if !r.Custom || !strings.HasPrefix(r.Type, "azure-native:") || seen[r.Type] {
				continue
			}
			seen[r.Type] = true
			want, err := schema.Required(r.Type)
			if err != nil {
				t.Errorf("%s: %v", r.Type, err)
				continue
			}
			got := fakeazure.RequiredInputs(r.Type)
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Errorf("%s: the fake requires %v, @pulumi/azure-native 2.90.0 requires %v", r.Type, got, want)
			}
		}
	}
	if len(seen) < 20 {
		t.Errorf("only %d tokens compared", len(seen))
	}
}
