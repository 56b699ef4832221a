package verify

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"azure-ml-security/internal/verifyspec"
)

var ctx = context.Background()

func TestHealthyDevStackPassesEveryCheck(t *testing.T) {
	t.Parallel()
	spec := devSpec()
	sql := &fakeSQL{}
	v := serve(t, newWorld(t, spec), spec, func(o *Options) { o.SQL = sql })
	results := v.Run(ctx)
	for _, r := range results {
		switch {
		case r.Check == CheckDNS:
			expect(t, r, Skip, "privateWorkspace is off")
		default:
			expect(t, r, Pass)
		}
	}
	if got := len(results); got != len(Checks)+len(spec.Exposure)-1 {
		t.Errorf("%d results, want one per check and one per exposed resource", got)
	}
	if len(sql.calls) != 1 || sql.calls[0] != "sql-amlsec-dev.database.windows.net/sqldb-amlsec" {
		t.Errorf("SELECT 1 ran against %v, want the stack's SQL connection", sql.calls)
	}
	if ExitCode(results) != ExitOK {
		t.Errorf("exit code %d, want 0", ExitCode(results))
	}
}

func TestHealthyPrivateStackPassesInsideTheVNet(t *testing.T) {
	t.Parallel()
	spec := privateSpec()
	w := newWorld(t, spec)
	v := serve(t, w, spec, func(o *Options) { o.Resolver = insideVNet(w) })
	results := v.Run(ctx)
	for _, r := range results {
		expect(t, r, Pass)
	}
	if got := len(results); got != len(Checks)+len(spec.Exposure)-1 {
		t.Errorf("%d results, want one per check and one per exposed resource", got)
	}
}

func TestWorkspace(t *testing.T) {
	t.Parallel()
	spec := devSpec()

	w := newWorld(t, spec)
	expect(t, only(t, serve(t, w, spec).checkWorkspace(ctx)), Pass, "mlw-amlsec-dev is provisioned")

	w = newWorld(t, spec)
	w.wsState = "Failed"
	expect(t, only(t, serve(t, w, spec).checkWorkspace(ctx)), Fail, "is Failed, not Succeeded", "Activity log")

	gone := devSpec()
	gone.Workspace.ID = rgID + "/providers/Microsoft.MachineLearningServices/workspaces/mlw-deleted"
	gone.Workspace.Name = "mlw-deleted"
	expect(t, only(t, serve(t, newWorld(t, spec), gone).checkWorkspace(ctx)), Fail, "mlw-deleted does not exist", "pulumi up --refresh")
}

func TestManagedNetwork(t *testing.T) {
	t.Parallel()
	spec := devSpec()
	cases := []struct {
		name   string
		change func(*world)
		status Status
		want   []string
	}{
		{"active as configured", func(*world) {}, Pass, []string{"Active; isolation mode AllowOnlyApprovedOutbound; firewall SKU Standard"}},
		{"not provisioned", func(w *world) { w.netStatus = "Inactive" }, Fail, []string{"status is Inactive", "az ml workspace provision-network -g rg-amlsec-dev -n mlw-amlsec-dev"}},
		{"isolation loosened in the portal", func(w *world) { w.isolation = "AllowInternetOutbound" }, Fail, []string{"isolation mode is AllowInternetOutbound, the stack sets AllowOnlyApprovedOutbound"}},
		{"other firewall SKU", func(w *world) { w.firewallSku = "Basic" }, Fail, []string{"firewall SKU is Basic, the stack sets Standard"}},
		{"SKU unset means Standard", func(w *world) { w.firewallSku = "" }, Pass, []string{"firewall SKU Standard"}},
		{"no managed network", func(w *world) { w.noManagedNetwork = true }, Fail, []string{"has no managed network"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t, spec)
			c.change(w)
			expect(t, only(t, serve(t, w, spec).checkManagedNetwork(ctx)), c.status, c.want...)
		})
	}
}

func TestOutboundRules(t *testing.T) {
	t.Parallel()
	spec := devSpec()
	cases := []struct {
		name   string
		change func(*world)
		status Status
		want   []string
	}{
		{"declared rules active, Azure's own ignored", func(*world) {}, Pass,
			[]string{"5 declared rules Active; no rule added outside the stack (2 rules Azure adds itself)"}},
		{"inactive rule", func(w *world) { w.rule("sql-server").status = "Inactive" }, Fail,
			[]string{"rule sql-server (PrivateEndpoint to servers/sql-amlsec-dev/sqlServer) is Inactive", "see 'endpoint approval'"}},
		{"rule deleted", func(w *world) { w.rules = w.rules[:len(w.rules)-1] }, Fail,
			[]string{"rule sql-server (PrivateEndpoint to servers/sql-amlsec-dev/sqlServer) does not exist", "pulumi up --refresh"}},
		{"rule retargeted", func(w *world) {
			w.rule("lake-dfs").destination = map[string]any{"serviceResourceId": lakeID, "subresourceTarget": "file"}
		}, Fail, []string{"rule lake-dfs leads to storageAccounts/stamlsecdevlake/file, the stack declares storageAccounts/stamlsecdevlake/dfs"}},
		{"rule added in the portal", func(w *world) {
			w.rules = append(w.rules, azRule{"pypi", "FQDN", "UserDefined", "Active", "pypi.org"})
		}, Fail, []string{"rule pypi (FQDN to pypi.org) was added outside the stack", "az ml workspace outbound-rule remove -g rg-amlsec-dev -w mlw-amlsec-dev --rule <name>"}},
		{"Azure's recommended rule is fine", func(w *world) {
			w.rules = append(w.rules, azRule{"__SYS_FQDN_pypi", "FQDN", "Recommended", "Inactive", "pypi.org"})
		}, Pass, []string{"(3 rules Azure adds itself)"}},
		{"the list spans pages", func(w *world) { w.rulesPerPage = 2 }, Pass, []string{"5 declared rules Active"}},
		{"service tag rule widened in the portal", func(w *world) {
			w.rule("tag-datafactory-tcp-80-443").destination = map[string]any{"serviceTag": "DataFactory", "protocol": "*", "portRanges": "*", "action": "Allow"}
		}, Fail, []string{"rule tag-datafactory-tcp-80-443 admits */* to DataFactory, the stack declares TCP/80,443"}},
		{"service tag rule narrowed to one port", func(w *world) {
			w.rule("tag-datafactory-tcp-80-443").destination = map[string]any{"serviceTag": "DataFactory", "protocol": "TCP", "portRanges": "443", "action": "Allow"}
		}, Fail, []string{"rule tag-datafactory-tcp-80-443 admits TCP/443 to DataFactory, the stack declares TCP/80,443"}},
		{"protocol and ports as Azure writes them", func(w *world) {
			w.rule("tag-datafactory-tcp-80-443").destination = map[string]any{"serviceTag": "DataFactory", "protocol": "tcp", "portRanges": "80, 443", "action": "Allow"}
		}, Pass, []string{"5 declared rules Active"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t, spec)
			c.change(w)
			expect(t, only(t, serve(t, w, spec).checkOutboundRules(ctx)), c.status, c.want...)
		})
	}
}

func TestEndpointApproval(t *testing.T) {
	t.Parallel()
	spec := privateSpec()
	cases := []struct {
		name   string
		change func(*world)
		status Status
		want   []string
	}{
		{"all approved", func(*world) {}, Pass, []string{"11 private endpoint connections Approved on 8 resources; none Pending or Rejected"}},
		{"status in another case", func(w *world) { w.resource(kvID).conns[0].status = "approved" }, Pass, []string{"11 private endpoint connections Approved"}},
		{"monitor scope endpoint pending", func(w *world) { w.resource(scopeID).conns[0].status = "Pending" }, Fail,
			[]string{"privateLinkScopes/ampls-amlsec-dev: connection mlw-amlsec-dev.monitor is Pending (awaiting approval)"}},
		{"managed endpoint pending", func(w *world) { w.resource(sqlID).conns[0].status = "Pending" }, Fail,
			[]string{"servers/sql-amlsec-dev: connection mlw-amlsec-dev.sql-server is Pending (awaiting approval)", "az network private-endpoint-connection approve", "Azure AI Enterprise Network Connection Approver"}},
		{"workspace endpoint rejected", func(w *world) { w.wsConns[0].status = "Rejected" }, Fail,
			[]string{"workspaces/mlw-amlsec-dev: connection pe-workspace is Rejected (rejected by owner)", "az network private-endpoint-connection delete"}},
		{"managed endpoint never made", func(w *world) { w.resource(blobID).conns = nil }, Fail,
			[]string{"storageAccounts/stamlsecdevblob has no private endpoint connection, though rule blob-blob leads to it", "provision-network"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t, spec)
			c.change(w)
			expect(t, only(t, serve(t, w, spec).checkEndpointApproval(ctx)), c.status, c.want...)
		})
	}
}

func TestFirewall(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		expected bool
		change   func(*world)
		status   Status
		want     []string
	}{
		{"no FQDN rule", false, func(*world) {}, Pass, []string{"no FQDN rule, so no managed Azure Firewall"}},
		{"FQDN rule in the rule list", false, func(w *world) {
			w.rules = append(w.rules, azRule{"pypi", "FQDN", "UserDefined", "Active", "pypi.org"})
		}, Fail, []string{"FQDN rules (pypi) make Azure run a managed Azure Firewall (Standard), billed by the hour", "#pricing"}},
		{"FQDN rule inline on the workspace", false, func(w *world) {
			w.wsInlineRules = map[string]azRule{"conda": {"conda", "FQDN", "UserDefined", "Active", "conda.anaconda.org"}}
		}, Fail, []string{"FQDN rules (conda)"}},
		{"FQDN rule the stack declares", true, func(w *world) {
			w.rules = append(w.rules, azRule{"pypi", "FQDN", "UserDefined", "Active", "pypi.org"})
			w.firewallSku = "Basic"
		}, Pass, []string{"a managed Azure Firewall (Basic) runs for the declared FQDN rules"}},
		{"internet outbound has no firewall", false, func(w *world) {
			w.isolation = "AllowInternetOutbound"
			w.rules = append(w.rules, azRule{"pypi", "FQDN", "UserDefined", "Active", "pypi.org"})
		}, Pass, []string{"FQDN rules only make one in AllowOnlyApprovedOutbound mode"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			spec := devSpec()
			spec.FirewallExpected = c.expected
			w := newWorld(t, spec)
			c.change(w)
			expect(t, only(t, serve(t, w, spec).checkFirewall(ctx)), c.status, c.want...)
		})
	}
}

// A throttled read (429 with Retry-After, as ARM sends,
// https://learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling)
// is retried after the wait, and the check then passes.
func TestThrottledReadIsRetried(t *testing.T) {
	t.Parallel()
	spec := devSpec()
	w := newWorld(t, spec)
	var throttled atomic.Bool
	w.intercept = func(rw http.ResponseWriter, r *http.Request) bool {
		if r.URL.Path != wsID || throttled.Swap(true) {
			return false
		}
		rw.Header().Set("Retry-After", "1")
		armError(rw, http.StatusTooManyRequests, "SubscriptionRequestsThrottled", "Number of 'read' requests for subscription exceeded the limit. Please try again after '1' seconds.")
		return true
	}
	v := serve(t, w, spec)
	start := time.Now()
	expect(t, only(t, v.checkWorkspace(ctx)), Pass)
	if n := w.hitCount(wsID); n != 2 {
		t.Errorf("the workspace was read %d times, want 2 (one 429, one retry)", n)
	}
	if d := time.Since(start); d < time.Second {
		t.Errorf("retried after %v, want at least the 1 s of Retry-After", d)
	}
}

// A 403 is the identity running verify lacking a permission: ERROR with the action, not a
// failed check.
func TestMissingPermissionIsReportedAsSuch(t *testing.T) {
	t.Parallel()
	spec := devSpec()
	w := newWorld(t, spec)
	w.intercept = func(rw http.ResponseWriter, r *http.Request) bool {
		switch {
		case strings.HasSuffix(r.URL.Path, "/roleAssignments"):
			armError(rw, http.StatusForbidden, "AuthorizationFailed", "The client 'me@example.com' with object id '99999999-0000-0000-0000-000000000000' does not have authorization to perform action "+
				"'Microsoft.Authorization/roleAssignments/read' over scope '"+r.URL.Path+"' or the scope is invalid. If access was recently granted, please refresh your credentials.")
			return true
		case r.URL.Path == wsID+"/datastores":
			// A 403 without ARM's message: the action comes from the path.
			rw.WriteHeader(http.StatusForbidden)
			return true
		}
		return false
	}
	v := serve(t, w, spec)
	results := v.Run(ctx)
	var roles, stores, ciIdentity, approval []Result
	for _, r := range results {
		switch r.Check {
		case CheckEndpointApproval:
			approval = append(approval, r)
		case CheckRoleAssignments:
			roles = append(roles, r)
		case CheckDatastores:
			stores = append(stores, r)
		case CheckComputeIdentity:
			ciIdentity = append(ciIdentity, r)
		}
	}
	expect(t, only(t, roles), Error,
		"missing permission (Microsoft.Authorization/roleAssignments/read) to list the role assignments on storageAccounts/stamlsecdevlake, storageAccounts/stamlsecdevblob, servers/sql-amlsec-dev",
		"--role Reader --scope "+rgID)
	expect(t, only(t, stores), Error, "missing permission (Microsoft.MachineLearningServices/workspaces/datastores/read) to list the workspace's datastores")
	expect(t, only(t, ciIdentity), Error, "missing permission (Microsoft.Authorization/roleAssignments/read)")
	expect(t, only(t, approval), Pass) // the resources themselves are readable
	for _, r := range results {
		if r.Status == Fail {
			t.Errorf("a missing permission made a check fail: %+v", r)
		}
	}
	if got := ExitCode(results); got != ExitIncomplete {
		t.Errorf("exit code %d, want %d", got, ExitIncomplete)
	}
}

func TestNoTokenStopsAtSignIn(t *testing.T) {
	t.Parallel()
	spec := devSpec()
	w := newWorld(t, spec)
	srv := serve(t, w, spec)
	v, err := New(spec, &fakeCredential{err: errString("DefaultAzureCredential: failed to acquire a token.\nAttempted credentials:\n\tAzureCLICredential: please run 'az login'")}, srv.opts)
	if err != nil {
		t.Fatal(err)
	}
	results := v.Run(ctx)
	r := only(t, results)
	expect(t, r, Error, "no Azure token: DefaultAzureCredential: failed to acquire a token.", "az login")
	if r.Check != CheckSignIn {
		t.Errorf("check %q, want %q", r.Check, CheckSignIn)
	}
}

type errString string

func (e errString) Error() string { return string(e) }

func TestTokensAreForARM(t *testing.T) {
	t.Parallel()
	spec := devSpec()
	srv := serve(t, newWorld(t, spec), spec)
	cred := &fakeCredential{}
	v, err := New(spec, cred, srv.opts)
	if err != nil {
		t.Fatal(err)
	}
	v.checkWorkspace(ctx)
	for _, s := range cred.scopes {
		if s != "https://management.azure.com/.default" {
			t.Errorf("token asked for scope %q, want ARM's", s)
		}
	}
	if len(cred.scopes) == 0 {
		t.Error("no token was asked for")
	}
}

func TestUnreadableTargetsAreOneError(t *testing.T) {
	t.Parallel()
	spec := privateSpec()
	w := newWorld(t, spec)
	w.intercept = func(rw http.ResponseWriter, r *http.Request) bool {
		if strings.Contains(r.URL.Path, "/Microsoft.Storage/") {
			armError(rw, http.StatusForbidden, "AuthorizationFailed", "The client does not have authorization to perform action 'Microsoft.Storage/storageAccounts/read' over scope '"+r.URL.Path+"'.")
			return true
		}
		return false
	}
	rs := serve(t, w, spec).checkEndpointApproval(ctx)
	if len(rs) != 2 {
		t.Fatalf("want an ERROR and a PASS for the rest, got %+v", rs)
	}
	expect(t, rs[0], Error, "missing permission (Microsoft.Storage/storageAccounts/read) to read storageAccounts/stamlsecdev, storageAccounts/stamlsecdevlake, storageAccounts/stamlsecdevblob")
	expect(t, rs[1], Pass, "Approved on the 5 resources verify could read (3 could not be read: see the ERROR)")
}

// A rule to a type verify cannot read is an ERROR of its own; the other targets are judged.
func TestUnknownTargetTypeLeavesTheRestJudged(t *testing.T) {
	t.Parallel()
	spec := privateSpec()
	w := newWorld(t, spec)
	site := rgID + "/providers/Microsoft.Web/sites/app-amlsec-dev"
	spec.OutboundRules = append(spec.OutboundRules, verifyspec.OutboundRule{Name: "site", Type: "PrivateEndpoint", Destination: site, Subresource: "sites"})
	rs := serve(t, w, spec).checkEndpointApproval(ctx)
	if len(rs) != 2 {
		t.Fatalf("want an ERROR and a PASS for the rest, got %+v", rs)
	}
	expect(t, rs[0], Error, "verify knows no API version for Microsoft.Web/sites, so it cannot read the private endpoint connections of sites/app-amlsec-dev", "Networking page")
	expect(t, rs[1], Pass, "11 private endpoint connections Approved on the 8 resources verify could read (1 could not be read: see the ERROR)")
}
