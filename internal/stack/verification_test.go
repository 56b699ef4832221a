package stack

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/components/workspace"
	"azure-ml-security/internal/azureml"
	"azure-ml-security/internal/testing/schemacheck"
)

// TestVerificationAPIVersionsMatchSDK: the API versions verify reads resources with are the
// ones the program deploys them with: the default modules' versions stated in the type
// definitions of @pulumi/azure-native 2.90.0.
func TestVerificationAPIVersionsMatchSDK(t *testing.T) {
	schema := schemacheck.OpenForTest(t)
	for file, want := range map[string]string{
		"storage/storageAccount.d.ts": apiStorage,
		"keyvault/vault.d.ts":         apiKeyVault,
		"sql/server.d.ts":             apiSQL,
	} {
		got, err := schema.DefaultAPIVersion(file)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("%s: the program deploys with API %s, verify reads with %s", file, got, want)
		}
	}
}

// TestEgressRulesDeclarePorts: each service-tag rule is declared with the protocol and ports
// of its entry, so verify sees a rule widened in the portal; other rules carry none.
func TestEgressRulesDeclarePorts(t *testing.T) {
	dest := func(s string) pulumi.StringOutput { return pulumi.String(s).ToStringOutput() }
	written := []workspace.EgressRule{
		{Name: "monitor", Type: azureml.OutboundRuleTypePrivateEndpoint, Destination: dest("/subscriptions/s/scope"), Subresource: "azuremonitor"},
		{Name: "fqdn-pypi-org", Type: azureml.OutboundRuleTypeFQDN, Destination: dest("pypi.org")},
		{Name: "tag-datafactory-tcp-443", Type: azureml.OutboundRuleTypeServiceTag, Destination: dest("DataFactory"), Protocol: "TCP", PortRanges: "443"},
		{Name: "tag-azurecloud", Type: azureml.OutboundRuleTypeServiceTag, Destination: dest("AzureCloud"), Protocol: "UDP", PortRanges: "80,8080-8090"},
	}
	rules := egressRules(written)
	want := [][2]pulumi.Input{{nil, nil}, {nil, nil}, {pulumi.String("TCP"), pulumi.String("443")}, {pulumi.String("UDP"), pulumi.String("80,8080-8090")}}
	for i, r := range rules {
		m := r.(pulumi.Map)
		if got := [2]pulumi.Input{m["protocol"], m["portRanges"]}; got != want[i] {
			t.Errorf("rule %s: protocol and ports %v, want %v", m["name"], got, want[i])
		}
	}
	if m := rules[0].(pulumi.Map); m["subresource"] != pulumi.String("azuremonitor") {
		t.Errorf("private-endpoint rule: subresource %v", m["subresource"])
	}
}
