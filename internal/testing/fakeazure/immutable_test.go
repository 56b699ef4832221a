package fakeazure

import (
	"errors"
	"testing"
)

// immutableFixture is a resource as it is (before), a change Azure will not make in place
// (after), and a near-identical change it makes (ok); needs is what must exist first on the
// engine path.
type immutableFixture struct {
	what              string
	before, after, ok res
	needs             []res
}

// immutableCase judges each fixture on the plan path (UpdateRefusal between two plans, as the
// switch tests use it) and the engine path (an update on the Cloud).
func immutableCase(fixtures ...immutableFixture) ruleCase {
	return ruleCase{
		plan: func(t *testing.T) (error, error) {
			planned := func(r res) *Object {
				rs := runPlan(t, Options{}, r).Find(TypeKey(r.token))
				if len(rs) != 1 {
					t.Fatalf("%d %s planned", len(rs), r.token)
				}
				return rs[0].Object()
			}
			var bad, good []error
			var what []string
			for _, n := range fixtures {
				before := planned(n.before)
				_, refusal := UpdateRefusal(before, planned(n.after))
				_, allowed := UpdateRefusal(before, planned(n.ok))
				what = append(what, n.what)
				bad, good = append(bad, errOf(refusal)), append(good, errOf(allowed))
			}
			return joinRefusals(t, what, bad...), errors.Join(good...)
		},
		engine: func(t *testing.T) (error, error) {
			var bad, good []error
			var what []string
			for _, n := range fixtures {
				f := newFake(t, Options{})
				f.must(n.needs...)
				o := f.must(n.before)
				_, refusal := f.update(o, n.after)
				if refusal != nil && !f.c.Get(o.ID).Inputs.DeepEquals(o.Inputs) {
					t.Errorf("%s: a refused update changed the resource", n.what)
				}
				_, allowed := f.update(o, n.ok)
				what = append(what, n.what)
				bad, good = append(bad, refusal), append(good, allowed)
			}
			return joinRefusals(t, what, bad...), errors.Join(good...)
		},
	}
}

var wsPlain = res{token: tokWorkspace, name: "workspace", in: in{"workspaceName": "mlw-test", "resourceGroupName": "rg"}}

// immComputeInstance: nothing of a compute instance changes in place; the same inputs are fine.
var immComputeInstance = immutableFixture{what: "compute instance size", needs: []res{wsPlain},
	before: computeRes,
	after:  computeRes.set(in{"properties": in{"computeType": "ComputeInstance", "properties": in{"vmSize": "Standard_E4ds_v4"}}}),
	ok:     computeRes}

func wsMode(mode string, extra in) res {
	return wsPlain.set(in{"managedNetwork": in{"isolationMode": mode}}).set(extra)
}

// immIsolationMode and immIsolationLoosen: an isolation mode can tighten, never loosen.
var (
	immIsolationMode   = immutableFixture{what: "AllowInternetOutbound to Disabled", before: wsMode(aio, nil), after: wsMode("Disabled", nil), ok: wsMode(aoao, nil)}
	immIsolationLoosen = immutableFixture{what: "AllowOnlyApprovedOutbound to AllowInternetOutbound", before: wsMode(aoao, nil), after: wsMode(aio, nil),
		ok: wsMode(aoao, in{"description": "ML workspace"})}
)

var (
	storage2    = res{token: tokStorage, name: "storage2", in: resStorage.set(in{"accountName": "stml02"}).in}
	storageID   = "/subscriptions/" + SubscriptionID + "/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/"
	wsOnStorage = wsPlain.set(in{"storageAccount": storageID + "stml01"})
	// immWorkspaceStorage: a workspace keeps its storage account; its description can change.
	immWorkspaceStorage = immutableFixture{what: "workspace storage account", needs: []res{resStorage, storage2},
		before: wsOnStorage, after: wsOnStorage.set(in{"storageAccount": storageID + "stml02"}), ok: wsOnStorage.set(in{"description": "ML workspace"})}
)

func vaultWith(props in) res {
	p := in{"tenantId": TenantID, "sku": in{"family": "A", "name": "standard"}, "enableSoftDelete": true}
	for k, v := range props {
		p[k] = v
	}
	return resVault.set(in{"properties": p})
}

// immPurgeProtection and immSoftDeleteRetention: purge protection stays on, the retention stays.
var (
	immPurgeProtection = immutableFixture{what: "purge protection off",
		before: vaultWith(in{"enablePurgeProtection": true}),
		after:  vaultWith(in{"enablePurgeProtection": false}),
		ok:     vaultWith(in{"enablePurgeProtection": true, "publicNetworkAccess": "Disabled"})}
	immSoftDeleteRetention = immutableFixture{what: "soft delete retention",
		before: vaultWith(in{"softDeleteRetentionInDays": 90}),
		after:  vaultWith(in{"softDeleteRetentionInDays": 7}),
		ok:     vaultWith(in{"softDeleteRetentionInDays": 90, "publicNetworkAccess": "Disabled"})}
)

// immHNS: a storage account keeps isHnsEnabled; its public access can change.
var immHNS = immutableFixture{what: "hierarchical namespace",
	before: resStorage.set(in{"isHnsEnabled": true}), after: resStorage.set(in{"isHnsEnabled": false}),
	ok: resStorage.set(in{"isHnsEnabled": true, "publicNetworkAccess": "Disabled"})}

// immSQLAdmin: a SQL server keeps its administrator login; its TLS version can change.
var (
	sqlServer   = res{token: tokSQL, name: "sql", in: in{"serverName": "sql-ml", "resourceGroupName": "rg", "administratorLogin": "sqladmin"}}
	immSQLAdmin = immutableFixture{what: "SQL administrator login", before: sqlServer,
		after: sqlServer.set(in{"administratorLogin": "dbadmin"}), ok: sqlServer.set(in{"minimalTlsVersion": "1.2"})}
)

// immRoleAssignment: an assignment keeps its principal, role and scope; its description can
// change.
var (
	deployerGrant = res{token: tokRA, name: "deployer", in: in{"scope": rgID, "principalId": DeployerObject,
		"principalType": PrincipalUser, "roleDefinitionId": readerRole}}
	immRoleAssignment = immutableFixture{what: "role of an assignment", needs: []res{resRG}, before: deployerGrant,
		after: deployerGrant.set(in{"roleDefinitionId": approverRole}), ok: deployerGrant.set(in{"description": "deployer reads the group"})}
)

// immVMComputerName: a VM keeps its computer name; its size can change.
var (
	jumpVM = res{token: tokVM, name: "vm", in: in{"vmName": "vm-jump", "resourceGroupName": "rg",
		"osProfile": in{"computerName": "jump", "adminUsername": "azureuser"}, "hardwareProfile": in{"vmSize": "Standard_B2s"}}}
	immVMComputerName = immutableFixture{what: "VM computer name", before: jumpVM,
		after: jumpVM.set(in{"osProfile": in{"computerName": "jump2", "adminUsername": "azureuser"}}),
		ok:    jumpVM.set(in{"hardwareProfile": in{"vmSize": "Standard_D2s_v5"}})}
)
