package fakeazure

import "testing"

// engineSoftDeletedVault: a deleted vault keeps its name, so creating it again is refused; once
// the deleted vault is purged, the same create goes through.
func engineSoftDeletedVault(t *testing.T) (refused, accepted error) {
	f := newFake(t, Options{})
	f.mustDelete(f.must(resVault))
	_, refused = f.create(resVault)
	if err := f.c.PurgeDeletedVault("kv-ml"); err != nil {
		t.Fatalf("setup: purge the deleted vault: %v", err)
	}
	_, accepted = f.create(resVault)
	return refused, accepted
}

// engineSoftDeletedWorkspace: a deleted workspace keeps its name for 14 days; a workspace under
// another name is not held.
func engineSoftDeletedWorkspace(t *testing.T) (refused, accepted error) {
	f := newFake(t, Options{})
	f.mustDelete(f.must(wsPlain))
	_, refused = f.create(wsPlain)
	_, accepted = f.create(wsPlain.set(in{"workspaceName": "mlw-test2"}))
	return refused, accepted
}

// enginePurgeProtection: a deleted vault with purge protection cannot be purged, and keeps its
// name; one without can.
func enginePurgeProtection(t *testing.T) (refused, accepted error) {
	f := newFake(t, Options{})
	protected := vaultWith(in{"enablePurgeProtection": true})
	f.mustDelete(f.must(protected))
	refused = f.c.PurgeDeletedVault("kv-ml")
	if _, err := f.create(protected); err == nil {
		t.Error("a vault whose purge was refused could be created again")
	}
	g := newFake(t, Options{})
	g.mustDelete(g.must(resVault))
	accepted = g.c.PurgeDeletedVault("kv-ml")
	return refused, accepted
}

// engineSoftDeletedLogs: a deleted Log Analytics workspace keeps its name for 14 days, so the
// same name in another resource group is refused; the same name in the same resource group
// and region recovers it.
func engineSoftDeletedLogs(t *testing.T) (refused, accepted error) {
	f := newFake(t, Options{})
	logs := res{token: tokLogs, name: "logs", in: in{"workspaceName": "log-ml", "resourceGroupName": "rg", "location": "eastus2"}}
	f.mustDelete(f.must(logs))
	_, refused = f.create(logs.set(in{"resourceGroupName": "rg2"}))
	_, accepted = f.create(logs)
	return refused, accepted
}
