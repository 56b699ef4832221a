package verify

import "testing"

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
