package verify

import (
	"context"
	"testing"
)

func TestRoleAssignments(t *testing.T) {
	t.Parallel()
	spec := devSpec()
	cases := []struct {
		name   string
		change func(*world)
		status Status
		want   []string
	}{
		{"all in place", func(*world) {}, Pass, []string{"5 grants the design depends on are in place"}},
		{"approver removed", func(w *world) { w.assignments = w.assignments[1:] }, Fail, []string{
			"Azure AI Enterprise Network Connection Approver on storageAccounts/stamlsecdevlake for " + wsPrincipal + " is missing (approves the managed private endpoints to the lake)",
			"az role assignment create --assignee-object-id " + wsPrincipal + " --role " + roleApprover + " --scope " + lakeID,
		}},
		{"granted at the resource group above", func(w *world) {
			w.assignments[0].scope = rgID
		}, Pass, []string{"5 grants"}},
		{"granted only on a child scope", func(w *world) {
			w.assignments[4].scope = blobID + "/blobServices/default/containers/data"
		}, Fail, []string{"Storage Blob Data Contributor on storageAccounts/stamlsecdevblob for " + appPrincipal + " is missing"}},
		{"another role on the scope", func(w *world) {
			w.assignments[4].role = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"
		}, Fail, []string{"Storage Blob Data Contributor on storageAccounts/stamlsecdevblob"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t, spec)
			c.change(w)
			expect(t, only(t, serve(t, w, spec).checkRoleAssignments(ctx)), c.status, c.want...)
		})
	}
}

func TestComputeIdentity(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		change func(*world)
		status Status
		want   []string
	}{
		{"Contributor on the workspace", func(*world) {}, Pass, []string{"ci-amlsec-dev's identity holds Contributor on the workspace"}},
		{"Contributor on the resource group", func(w *world) { w.assignments[len(w.assignments)-1].scope = rgID }, Pass, []string{"holds Contributor"}},
		{"Owner on the subscription", func(w *world) {
			// Owner's GUID as Microsoft lists it, not the constant under test
			// (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles).
			w.assignments[len(w.assignments)-1] = azAssignment{"/subscriptions/" + testSub, "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", ciPrincipal}
		}, Pass, []string{"holds Owner"}},
		{"Reader only", func(w *world) { w.assignments[len(w.assignments)-1].role = "acdd72a7-3385-48ef-bd42-f606fba81ae7" }, Fail, []string{
			"idle shutdown cannot stop it", "--assignee-object-id " + ciPrincipal + " --role " + roleContributor + " --scope " + wsID,
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			spec := devSpec()
			w := newWorld(t, spec)
			c.change(w)
			expect(t, only(t, serve(t, w, spec).checkComputeIdentity(ctx)), c.status, c.want...)
		})
	}

	t.Run("no compute instance", func(t *testing.T) {
		t.Parallel()
		spec := devSpec()
		w := newWorld(t, spec)
		spec.ComputeInstance = nil
		v := serve(t, w, spec)
		expect(t, only(t, v.checkComputeIdentity(ctx)), Skip, "no compute instance")
		expect(t, only(t, v.checkIdleShutdown(ctx)), Skip, "no compute instance")
	})
}

func TestIdleShutdown(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		change func(*world)
		status Status
		want   []string
	}{
		{"as configured", func(*world) {}, Pass, []string{"ci-amlsec-dev stops after PT30M idle (now Running)"}},
		{"turned off", func(w *world) { w.computeIdle = "" }, Fail, []string{"has no idle shutdown: it bills until stopped by hand", "computeInstanceIdleTimeBeforeShutdown"}},
		{"changed in studio", func(w *world) { w.computeIdle = "PT4H" }, Fail, []string{"stops after PT4H idle, the stack sets PT30M"}},
		{"deleted", func(w *world) { w.noCompute = true }, Fail, []string{"ci-amlsec-dev does not exist"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			spec := devSpec()
			w := newWorld(t, spec)
			c.change(w)
			expect(t, only(t, serve(t, w, spec).checkIdleShutdown(ctx)), c.status, c.want...)
		})
	}
}

func TestDatastoresAndConnections(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		check  func(*Verifier, context.Context) []Result
		change func(*world)
		status Status
		want   []string
	}{
		{"datastores as declared", (*Verifier).checkDatastores, func(*world) {}, Pass,
			[]string{"lake (AzureDataLakeGen2, None: identity-based), blob (AzureBlob, None: identity-based) registered as declared"}},
		{"datastore switched to an account key", (*Verifier).checkDatastores, func(w *world) { w.datastores[1].credentials = "AccountKey" }, Fail,
			[]string{"datastore lake authenticates with AccountKey, the stack registers None: identity-based"}},
		{"datastore pointed elsewhere", (*Verifier).checkDatastores, func(w *world) {
			w.datastores[2].account, w.datastores[2].container = "stother", "raw"
		}, Fail, []string{"datastore blob points to account stother", "datastore blob points to container raw"}},
		{"datastore removed", (*Verifier).checkDatastores, func(w *world) { w.datastores = w.datastores[:2] }, Fail,
			[]string{"datastore blob does not exist", "pulumi up --refresh"}},
		{"connection as declared", (*Verifier).checkConnections, func(*world) {}, Pass, []string{"sql (AzureSqlDb, UsernamePassword) as declared"}},
		{"connection authentication changed", (*Verifier).checkConnections, func(w *world) { w.connections[0].authType = "AAD" }, Fail,
			[]string{"connection sql authenticates with AAD, the stack makes UsernamePassword"}},
		{"connection to another database", (*Verifier).checkConnections, func(w *world) {
			w.connections[0].target = "Server=tcp:sql-amlsec-dev.database.windows.net,1433;Database=master;"
		}, Fail, []string{"not database sqldb-amlsec"}},
		{"connection removed", (*Verifier).checkConnections, func(w *world) { w.connections = nil }, Fail, []string{"connection sql does not exist"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			spec := devSpec()
			w := newWorld(t, spec)
			c.change(w)
			expect(t, only(t, c.check(serve(t, w, spec), ctx)), c.status, c.want...)
		})
	}
}
