package main

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// TestPrivateStackHasNoPublicDataPath: every workspace, storage, vault, registry and SQL
// resource of the private stack has public network access Disabled and a private endpoint.
func TestPrivateStackHasNoPublicDataPath(t *testing.T) {
	cloud := mustPlan(t, "private", nil)
	endpointTargets := map[string]bool{}
	for _, pe := range cloud.Find("network:PrivateEndpoint") {
		endpointTargets[pe.Str("privateLinkServiceConnections.0.privateLinkServiceId")] = true
	}
	paths := map[string]string{
		"machinelearningservices:Workspace": "publicNetworkAccess",
		"storage:StorageAccount":            "publicNetworkAccess",
		"keyvault:Vault":                    "properties.publicNetworkAccess",
		"containerregistry:Registry":        "publicNetworkAccess",
		"sql:Server":                        "publicNetworkAccess",
	}
	n := 0
	for key, path := range paths {
		for _, r := range cloud.Find(key) {
			n++
			checkInput(t, r, path, "Disabled")
			if !endpointTargets[r.ID] {
				t.Errorf("%s %s has no private endpoint", key, r.Name)
			}
		}
	}
	if n != 7 {
		t.Errorf("checked %d resources, want 7 (workspace, 3 storage accounts, vault, registry, SQL server)", n)
	}
	if rules := cloud.Find("sql:FirewallRule"); len(rules) != 0 {
		t.Errorf("%d SQL firewall rules in the private stack", len(rules))
	}
	for _, r := range cloud.Resources() {
		if strings.Contains(r.Type, "PublicIPAddress") && r.Name != "compute-jump-vm-ip" {
			t.Errorf("unexpected public IP %s", r.Name)
		}
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
