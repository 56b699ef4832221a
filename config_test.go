package main

import (
	"os"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestBadConfig feeds invalid values on top of a real stack file and expects the program to
// fail before it registers any resource, with an error that names the key.
func TestBadConfig(t *testing.T) {
	cases := []struct {
		name    string
		stack   string
		changes map[string]any
		secret  map[string]string
		key     string // must appear in the error
	}{
		{"workload upper case", "dev", map[string]any{"workload": "AmlSec"}, nil, "workload"},
		{"workload too long for storage names", "dev", map[string]any{"workload": "workloadname1"}, nil, "workload"},
		{"workload one letter", "dev", map[string]any{"workload": "a"}, nil, "workload"},
		{"workload starts with a digit", "dev", map[string]any{"workload": "1aml"}, nil, "workload"},
		{"allowed IP not an address", "dev", map[string]any{"allowedIpAddresses": []any{"my-laptop"}}, nil, "allowedIpAddresses[0]"},
		{"allowed IP private", "dev", map[string]any{"allowedIpAddresses": []any{"1.2.3.4", "192.168.1.10"}}, nil, "allowedIpAddresses[1]"},
		{"allowed IP /31", "dev", map[string]any{"allowedIpAddresses": []any{"20.30.40.0/31"}}, nil, "allowedIpAddresses[0]"},
		{"allowed CIDR with host bits", "dev", map[string]any{"allowedIpAddresses": []any{"20.30.40.5/24"}}, nil, "allowedIpAddresses[0]"},
		{"allowed IP in a documentation range (C1)", "dev", map[string]any{"allowedIpAddresses": []any{"203.0.113.10"}}, nil, "allowedIpAddresses[0]"},
		{"allowed IP in the benchmarking range", "dev", map[string]any{"allowedIpAddresses": []any{"198.18.0.0/15"}}, nil, "allowedIpAddresses[0]"},
		{"private workspace uploading sample data (F4)", "private", map[string]any{"uploadSampleData": true}, nil, "uploadSampleData"},
		{"internet outbound with a public workspace (F2)", "dev", map[string]any{"isolationMode": "AllowInternetOutbound"}, nil, "isolationMode"},
		{"private workspace without a way in", "private", map[string]any{"createJumpVm": false, "privateClientAccess": "jumpVm"}, nil, "privateClientAccess"},
		{"unknown client access", "private", map[string]any{"privateClientAccess": "vpn"}, nil, "privateClientAccess"},
		{"unknown deployer type", "dev", map[string]any{"deployerPrincipalType": "Robot"}, nil, "deployerPrincipalType"},
		{"allowed IP IPv6", "dev", map[string]any{"allowedIpAddresses": []any{"2001:db8::1"}}, nil, "allowedIpAddresses[0]"},
		{"allowed CIDR too wide", "dev", map[string]any{"allowedIpAddresses": []any{"0.0.0.0/0"}}, nil, "allowedIpAddresses[0]"},
		{"public workspace with no allowed IP", "dev", map[string]any{"allowedIpAddresses": []any{}}, nil, "allowedIpAddresses"},
		{"allowed IPs not a list", "dev", map[string]any{"allowedIpAddresses": "1.2.3.4"}, nil, "allowedIpAddresses"},
		{"isolation mode Disabled", "dev", map[string]any{"isolationMode": "Disabled"}, nil, "isolationMode"},
		{"isolation mode wrong case", "dev", map[string]any{"isolationMode": "allowonlyapprovedoutbound"}, nil, "isolationMode"},
		{"firewall SKU Premium", "dev", map[string]any{"firewallSku": "Premium"}, nil, "firewallSku"},
		{"privateWorkspace not a bool", "dev", map[string]any{"privateWorkspace": "yes"}, nil, "privateWorkspace"},
		{"VNet public range", "dev", map[string]any{"vnetAddressSpace": "8.8.0.0/16"}, nil, "vnetAddressSpace"},
		{"VNet without prefix length", "dev", map[string]any{"vnetAddressSpace": "10.60.0.0"}, nil, "vnetAddressSpace"},
		{"client subnet outside the VNet", "dev", map[string]any{"clientSubnetPrefix": "10.61.1.0/24"}, nil, "clientSubnetPrefix"},
		{"subnets overlap", "dev", map[string]any{"privateEndpointSubnetPrefix": "10.60.1.128/25"}, nil, "privateEndpointSubnetPrefix"},
		{"subnet too small", "dev", map[string]any{"privateEndpointSubnetPrefix": "10.60.2.0/29"}, nil, "privateEndpointSubnetPrefix"},
		{"tags not a map", "dev", map[string]any{"tags": []any{"a"}}, nil, "tags"},
		{"tag name with a slash", "dev", map[string]any{"tags": map[string]any{"cost/center": "1"}}, nil, "tags"},
		{"private workspace without a way in", "private", map[string]any{"createJumpVm": false}, nil, "createJumpVm"},
		{"missing location", "dev", map[string]any{"azure-native:location": nil}, nil, "azure-native:location"},
		{"typo in a key", "dev", map[string]any{"privateWorkpsace": true}, nil, "privateWorkpsace"},
		// Landing-zone keys.
		{"only one existing subnet", "private", map[string]any{"existingPrivateEndpointSubnetId": lzSubnet("pe")}, nil, "existingClientSubnetId"},
		{"existing subnet id of a VNet", "private", map[string]any{"existingClientSubnetId": lzVNet, "existingPrivateEndpointSubnetId": lzSubnet("pe")}, nil, "existingClientSubnetId"},
		{"zone groups unknown mode", "private", map[string]any{"privateDnsZoneGroups": "policy"}, nil, "privateDnsZoneGroups"},
		{"zone id of an unknown zone", "private", map[string]any{"privateDnsZoneIds": map[string]any{"privatelink.example.com": lzZone("privatelink.example.com")}}, nil, "privateDnsZoneIds"},
		{"zone id naming another zone", "private", map[string]any{"privateDnsZoneIds": map[string]any{"privatelink.api.azureml.ms": lzZone("privatelink.notebooks.azure.net")}}, nil, "privateDnsZoneIds.privatelink.api.azureml.ms"},
		{"zone id not an id", "private", map[string]any{"privateDnsZoneIds": map[string]any{"privatelink.api.azureml.ms": "hub/api"}}, nil, "privateDnsZoneIds.privatelink.api.azureml.ms"},
		{"policy zone groups without the hub zones", "landingzone", map[string]any{"privateDnsZoneIds": map[string]any{"privatelink.api.azureml.ms": lzZone("privatelink.api.azureml.ms")}}, nil, "privateDnsZoneIds"},
		{"FQDN rule with a scheme", "dev", map[string]any{"outboundFqdnRules": []any{"https://pypi.org"}}, nil, "outboundFqdnRules[0]"},
		{"FQDN rule with a port", "dev", map[string]any{"outboundFqdnRules": []any{"pypi.org:443"}}, nil, "outboundFqdnRules[0]"},
		{"unknown egress profile", "dev", map[string]any{"outboundProfiles": []any{"npm"}}, nil, "outboundProfiles[0]"},
		{"FQDN rules with internet outbound", "private", map[string]any{"isolationMode": "AllowInternetOutbound", "outboundProfiles": []any{"pypi"}}, nil, "isolationMode"},
		{"service tag rule with a bad port", "dev", map[string]any{"outboundServiceTagRules": []any{map[string]any{"serviceTag": "DataFactory", "protocol": "TCP", "portRanges": "70000"}}}, nil, "outboundServiceTagRules[0].portRanges"},
		{"service tag rule with port 0", "dev", map[string]any{"outboundServiceTagRules": []any{map[string]any{"serviceTag": "DataFactory", "protocol": "TCP", "portRanges": "0"}}}, nil, "outboundServiceTagRules[0].portRanges"},
		{"service tag rule with a reversed range", "dev", map[string]any{"outboundServiceTagRules": []any{map[string]any{"serviceTag": "DataFactory", "protocol": "TCP", "portRanges": "443,8090-8080"}}}, nil, "outboundServiceTagRules[0].portRanges"},
		{"service tag rule with a malformed tag", "dev", map[string]any{"outboundServiceTagRules": []any{map[string]any{"serviceTag": "Data Factory", "protocol": "TCP", "portRanges": "443"}}}, nil, "outboundServiceTagRules[0].serviceTag"},
		{"service tag rule with a bad protocol", "dev", map[string]any{"outboundServiceTagRules": []any{map[string]any{"serviceTag": "DataFactory", "protocol": "HTTP", "portRanges": "443"}}}, nil, "outboundServiceTagRules[0].protocol"},
		{"service tag rule with a misspelt field", "dev", map[string]any{"outboundServiceTagRules": []any{map[string]any{"tag": "DataFactory", "protocol": "TCP", "portRanges": "443"}}}, nil, "outboundServiceTagRules"},
		{"workspace user without a GUID", "dev", map[string]any{"workspaceUsers": []any{map[string]any{"objectId": "alice@contoso.com", "type": "User"}}}, nil, "workspaceUsers[0].objectId"},
		{"workspace user of an unknown type", "dev", map[string]any{"workspaceUsers": []any{map[string]any{"objectId": testUser, "type": "Person"}}}, nil, "workspaceUsers[0].type"},
		{"workspace user twice", "dev", map[string]any{"workspaceUsers": []any{map[string]any{"objectId": testUser, "type": "User"}, map[string]any{"objectId": testUser, "type": "User"}}}, nil, "workspaceUsers[1].objectId"},
		{"protectData not a bool", "dev", map[string]any{"protectData": "on"}, nil, "protectData"},
		{"privateMonitoring not a bool", "private", map[string]any{"privateMonitoring": "yes"}, nil, "privateMonitoring"},
		{"unknown datastore auth", "dev", map[string]any{"datastoreAuth": "accountKey"}, nil, "datastoreAuth"},
		{"unknown SQL SKU", "dev", map[string]any{"sqlSkuName": "Premium9"}, nil, "sqlSkuName"},
		{"SQL size above the SKU limit", "dev", map[string]any{"sqlMaxSizeGb": 5}, nil, "sqlMaxSizeGb"},
		{"negative SQL size", "dev", map[string]any{"sqlMaxSizeGb": -1}, nil, "sqlMaxSizeGb"},
		{"SQL size not a number", "dev", map[string]any{"sqlMaxSizeGb": "2GB"}, nil, "sqlMaxSizeGb"},
		{"reserved SQL login", "dev", map[string]any{"sqlAdminLogin": "admin"}, nil, "sqlAdminLogin"},
		{"weak SQL password", "dev", nil, map[string]string{"sqlAdminPassword": "password"}, "sqlAdminPassword"},
		{"SQL password with the login", "dev", nil, map[string]string{"sqlAdminPassword": "Sqladminuser-2026!"}, "sqlAdminPassword"},
		{"SQL password in plain config", "dev", map[string]any{"sqlAdminPassword": "Str0ng-Passw0rd!x"}, nil, "sqlAdminPassword"},
		{"empty compute VM size", "dev", map[string]any{"computeInstanceVmSize": ""}, nil, "computeInstanceVmSize"},
		{"compute VM size not an Azure size", "dev", map[string]any{"computeInstanceVmSize": "large"}, nil, "computeInstanceVmSize"},
		{"idle time not ISO 8601", "dev", map[string]any{"computeInstanceIdleTimeBeforeShutdown": "30m"}, nil, "computeInstanceIdleTimeBeforeShutdown"},
		{"idle time under 15 minutes", "dev", map[string]any{"computeInstanceIdleTimeBeforeShutdown": "PT5M"}, nil, "computeInstanceIdleTimeBeforeShutdown"},
		{"SSH key not a public key", "dev", map[string]any{"computeInstanceSshPublicKey": "my-key"}, nil, "computeInstanceSshPublicKey"},
		{"compute user not an object id", "dev", map[string]any{"computeInstanceUserObjectId": "me@example.com"}, nil, "computeInstanceUserObjectId"},
		{"empty jump VM size", "private", map[string]any{"jumpVmSize": ""}, nil, "jumpVmSize"},
		{"reserved jump VM admin", "private", map[string]any{"jumpVmAdminUsername": "administrator"}, nil, "jumpVmAdminUsername"},
		{"empty jump VM image SKU", "private", map[string]any{"jumpVmImageSku": " "}, nil, "jumpVmImageSku"},
		{"jump VM with no allowed IP for RDP", "private", map[string]any{"allowedIpAddresses": []any{}}, nil, "allowedIpAddresses"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := loadStack(t, tc.stack)
			for k, v := range tc.changes {
				if err := cfg.Set(k, v, false); err != nil {
					t.Fatal(err)
				}
			}
			for k, v := range tc.secret {
				if err := cfg.Set(k, v, true); err != nil {
					t.Fatal(err)
				}
			}
			cloud, err := plan(t, tc.stack, cfg)
			if err == nil {
				t.Fatalf("config %v was accepted", tc.changes)
			}
			if !strings.Contains(err.Error(), tc.key) {
				t.Errorf("error does not name %q: %v", tc.key, err)
			}
			if n := len(cloud.Resources()); n != 0 {
				t.Errorf("%d resources registered before the config error", n)
			}
			if calls := cloud.Calls(); len(calls) != 0 {
				t.Errorf("invokes %v made before the config error", calls)
			}
		})
	}
}

// TestDeploymentsExample keeps the documented ESC environment valid YAML that logs in with
// OIDC and never carries a client secret.
func TestDeploymentsExample(t *testing.T) {
	raw, err := os.ReadFile("deployments/esc-environment.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var env struct {
		Values struct {
			Azure struct {
				Login map[string]map[string]any `yaml:"login"`
			} `yaml:"azure"`
			Env map[string]string `yaml:"environmentVariables"`
		} `yaml:"values"`
	}
	if err := yaml.Unmarshal(raw, &env); err != nil {
		t.Fatalf("not valid YAML: %v", err)
	}
	login := env.Values.Azure.Login["fn::open::azure-login"]
	if login["oidc"] != true {
		t.Errorf("azure-login does not use OIDC: %v", login)
	}
	if _, ok := login["clientSecret"]; ok {
		t.Error("the example stores a client secret")
	}
	for _, v := range []string{"ARM_USE_OIDC", "ARM_CLIENT_ID", "ARM_TENANT_ID", "ARM_OIDC_TOKEN", "ARM_SUBSCRIPTION_ID"} {
		if env.Values.Env[v] == "" {
			t.Errorf("environment variable %s is not exported", v)
		}
	}
}

// Ids of a landing zone's resources for the bad-config cases.
const lzVNet = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-spoke/providers/Microsoft.Network/virtualNetworks/vnet-spoke"

func lzSubnet(name string) string { return lzVNet + "/subnets/" + name }

func lzZone(zone string) string {
	return "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-hub-dns/providers/Microsoft.Network/privateDnsZones/" + zone
}

// TestBadAddressIsTheOnlyError: a refused allowedIpAddresses (an entry, reported by its index,
// or a value that is not a list) is not reported a second time as an empty list, which the
// user did not write.
func TestBadAddressIsTheOnlyError(t *testing.T) {
	for _, stack := range []string{"dev", "private"} {
		for value, key := range map[string]string{
			"[\"2001:db8::1\"]": "allowedIpAddresses[0]", // an IPv6 address, refused by index
			"1.2.3.4":           "must be a list",        // not a list
		} {
			cfg := loadStack(t, stack)
			cfg.Values[cfg.Project+":allowedIpAddresses"] = value
			_, err := plan(t, stack, cfg)
			if err == nil || !strings.Contains(err.Error(), key) {
				t.Fatalf("%s: allowedIpAddresses %s: %v, want %q", stack, value, err, key)
			}
			if strings.Contains(err.Error(), `allowedIpAddresses = "[]"`) {
				t.Errorf("%s: allowedIpAddresses %s is also reported empty:\n%v", stack, value, err)
			}
		}
	}
}
