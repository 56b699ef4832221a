package verify

import (
	"testing"

	"azure-ml-security/internal/testing/schemacheck"
)

func TestResourceTypeAndAction(t *testing.T) {
	t.Parallel()
	for path, want := range map[string]string{
		wsID:                    "Microsoft.MachineLearningServices/workspaces/read",
		wsID + "/outboundRules": "Microsoft.MachineLearningServices/workspaces/outboundRules/read",
		lakeID + "/providers/Microsoft.Authorization/roleAssignments": "Microsoft.Authorization/roleAssignments/read",
		sqlID + "/firewallRules": "Microsoft.Sql/servers/firewallRules/read",
		rgID:                     "*/read",
	} {
		if got := readAction(path); got != want {
			t.Errorf("readAction(%s) = %s, want %s", path, got, want)
		}
	}
	if got := shortID(lakeID); got != "storageAccounts/stamlsecdevlake" {
		t.Errorf("shortID = %s", got)
	}
	if got := shortID(rgID); got != "resource group rg-amlsec-dev" {
		t.Errorf("shortID = %s", got)
	}
}

func TestCovers(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		at, scope string
		want      bool
	}{
		{rgID, lakeID, true},
		{"/subscriptions/" + testSub, wsID, true},
		{lakeID, lakeID, true},
		{lakeID + "/blobServices/default", lakeID, false},
		{rgID + "/providers/Microsoft.Storage/storageAccounts/stamlsecdev", lakeID, false}, // a prefix of the name, not a parent
	} {
		if got := covers(c.at, c.scope); got != c.want {
			t.Errorf("covers(%s, %s) = %v, want %v", c.at, c.scope, got, c.want)
		}
	}
}

// TestAPIVersionsMatchSDK: verify reads each resource with the API version the program
// deploys it with, the default of its @pulumi/azure-native 2.90.0 module.
func TestAPIVersionsMatchSDK(t *testing.T) {
	schema := schemacheck.OpenForTest(t)
	for file, want := range map[string]string{
		"storage/storageAccount.d.ts":       apiStorage,
		"keyvault/vault.d.ts":               apiKeyVault,
		"sql/server.d.ts":                   apiSQL,
		"authorization/roleAssignment.d.ts": apiRoleAssignments,
		"network/privateEndpoint.d.ts":      apiNetwork,
		"insights/privateLinkScope.d.ts":    apiMonitorScope,
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
