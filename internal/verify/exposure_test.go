package verify

import (
	"strings"
	"testing"

	"azure-ml-security/internal/verifyspec"
)

// exposureResult runs the exposure check and returns the line of one resource.
func exposureResult(t *testing.T, v *Verifier, id string) Result {
	t.Helper()
	for _, r := range v.checkExposure(ctx) {
		if strings.Contains(r.Detail, label(id)) {
			return r
		}
	}
	t.Fatalf("no exposure result for %s", label(id))
	return Result{}
}

// Rules someone could add in the portal: a subnet of another network, and a Synapse
// workspace as a storage resource instance.
var (
	otherSubnet = "/subscriptions/" + testSub + "/resourceGroups/rg-other/providers/Microsoft.Network/virtualNetworks/vnet-other/subnets/default"
	synapseID   = "/subscriptions/" + testSub + "/resourceGroups/rg-other/providers/Microsoft.Synapse/workspaces/syn-other"
)

func TestExposurePrivateStack(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		id     string
		change func(*world)
		status Status
		want   []string
	}{
		{"private storage without IP rules", lakeID, func(w *world) { w.resource(lakeID).ipRules = nil }, Pass, []string{"storage account stamlsecdevlake: public network access Disabled; firewall default Deny, no IP rule"}},
		{"private storage with an IP rule left", lakeID, func(w *world) { w.resource(lakeID).ipRules = []string{"20.30.40.50"} }, Fail, []string{"storage account stamlsecdevlake: firewall admits 20.30.40.50"}},
		{"public storage account in a private stack", lakeID, func(w *world) {
			r := w.resource(lakeID)
			r.pna, r.defaultAction, r.ipRules = "Enabled", "Allow", []string{"0.0.0.0/0"}
		}, Fail, []string{
			"storage account stamlsecdevlake: public network access is Enabled, the stack makes it Disabled",
			"storage account stamlsecdevlake: firewall default action is Allow, not Deny",
			"storage account stamlsecdevlake: firewall admits 0.0.0.0/0, though the stack makes it private",
			"turn public access off",
		}},
		{"key vault with an IP rule added", kvID, func(w *world) { w.resource(kvID).ipRules = []string{"192.0.2.1"} }, Fail,
			[]string{"key vault kv-amlsec-dev: firewall admits 192.0.2.1/32, though the stack makes it private"}},
		{"registry opened", acrID, func(w *world) { w.resource(acrID).pna = "Enabled" }, Fail,
			[]string{"container registry cramlsecdev: public network access is Enabled"}},
		{"private SQL", sqlID, func(*world) {}, Pass, []string{"SQL server sql-amlsec-dev: public network access Disabled; no firewall rule"}},
		{"SQL firewall rule added", sqlID, func(w *world) {
			w.resource(sqlID).sqlRules = [][3]string{{"AllowAllWindowsAzureIps", "0.0.0.0", "0.0.0.0"}}
		}, Fail, []string{"SQL server sql-amlsec-dev: firewall rule AllowAllWindowsAzureIps admits 0.0.0.0"}},
		{"values in another case", lakeID, func(w *world) {
			r := w.resource(lakeID)
			r.pna, r.defaultAction = "disabled", "deny"
		}, Pass, []string{"storage account stamlsecdevlake: public network access Disabled"}},
		{"subnet admitted to private storage", lakeID, func(w *world) { w.resource(lakeID).vnetRules = []string{otherSubnet} }, Fail,
			[]string{"storage account stamlsecdevlake: virtual network rule admits subnet " + otherSubnet, "Networking page"}},
		{"subnet admitted to the key vault", kvID, func(w *world) { w.resource(kvID).vnetRules = []string{otherSubnet} }, Fail,
			[]string{"key vault kv-amlsec-dev: virtual network rule admits subnet " + otherSubnet}},
		{"subnet admitted to SQL", sqlID, func(w *world) { w.resource(sqlID).vnetRules = []string{otherSubnet} }, Fail,
			[]string{"SQL server sql-amlsec-dev: virtual network rule vnet-rule-0 admits subnet " + otherSubnet}},
		{"private workspace", wsID, func(*world) {}, Pass, []string{"workspace mlw-amlsec-dev: public network access Disabled"}},
		{"workspace opened", wsID, func(w *world) { w.wsPNA = "Enabled" }, Fail, []string{"workspace mlw-amlsec-dev: public network access is Enabled"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			spec := privateSpec()
			w := newWorld(t, spec)
			c.change(w)
			expect(t, exposureResult(t, serve(t, w, spec), c.id), c.status, c.want...)
		})
	}
}

func TestExposureDevStack(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		id     string
		change func(*world)
		status Status
		want   []string
	}{
		{"storage admits the allowed IPs", blobID, func(*world) {}, Pass, []string{"storage account stamlsecdevblob: admits only allowedIpAddresses (2 addresses) behind default Deny"}},
		{"key vault writes single addresses as /32", kvID, func(*world) {}, Pass, []string{"key vault kv-amlsec-dev: admits only allowedIpAddresses"}},
		{"storage rule added in the portal", blobID, func(w *world) {
			w.resource(blobID).ipRules = append([]string{"192.0.2.77"}, allowedIPs...)
		}, Fail, []string{"storage account stamlsecdevblob: admits 192.0.2.77, which is not in allowedIpAddresses", "allowedIpAddresses[N]"}},
		{"resource instance admitted to storage", blobID, func(w *world) { w.resource(blobID).accessRules = []string{synapseID} }, Fail,
			[]string{"storage account stamlsecdevblob: resource instance rule admits " + synapseID, "Networking page"}},
		{"Defender for Storage's scanner is not a finding", blobID, func(w *world) {
			w.resource(blobID).accessRules = []string{"/subscriptions/" + testSub + "/providers/Microsoft.Security/datascanners/StorageDataScanner"}
		}, Pass, []string{"storage account stamlsecdevblob: admits only allowedIpAddresses"}},
		{"subnet admitted to public SQL", sqlID, func(w *world) { w.resource(sqlID).vnetRules = []string{otherSubnet} }, Fail,
			[]string{"SQL server sql-amlsec-dev: virtual network rule vnet-rule-0 admits subnet " + otherSubnet}},
		{"registry open to all", acrID, func(w *world) { w.resource(acrID).defaultAction = "Allow" }, Fail,
			[]string{"container registry cramlsecdev: default action is Allow, so every address is admitted"}},
		{"allowed address dropped", wsStorageID, func(w *world) { w.resource(wsStorageID).ipRules = allowedIPs[:1] }, Fail,
			[]string{"storage account stamlsecdev: does not admit 198.51.100.0/24 from allowedIpAddresses"}},
		{"public access turned off in a public stack", lakeID, func(w *world) { w.resource(lakeID).pna = "Disabled" }, Fail,
			[]string{"public network access is Disabled though the stack is public"}},
		{"workspace ACL in force (F7)", wsID, func(*world) {}, Pass, []string{"workspace mlw-amlsec-dev: admits only allowedIpAddresses (2 addresses) behind default Deny"}},
		{"workspace ACL not in force (F7)", wsID, func(w *world) { w.wsDefaultAction, w.wsIPs = "", nil }, Fail, []string{
			"workspace mlw-amlsec-dev: default action is not set (Allow), so every address is admitted",
			"workspace mlw-amlsec-dev: does not admit 203.0.113.10 from allowedIpAddresses",
		}},
		{"SQL rules are the allowed IPs", sqlID, func(*world) {}, Pass, []string{"SQL server sql-amlsec-dev: 2 firewall rules, all from allowedIpAddresses"}},
		{"SQL admits Azure services", sqlID, func(w *world) {
			r := w.resource(sqlID)
			r.sqlRules = append(r.sqlRules, [3]string{"AllowAllWindowsAzureIps", "0.0.0.0", "0.0.0.0"})
		}, Fail, []string{"firewall rule AllowAllWindowsAzureIps admits all Azure services (0.0.0.0), any tenant's included"}},
		{"SQL rule widened", sqlID, func(w *world) { w.resource(sqlID).sqlRules[0][2] = "203.0.113.255" }, Fail, []string{
			"firewall rule allowed-ip-0 admits 203.0.113.10-203.0.113.255, which is not in allowedIpAddresses",
			"no firewall rule admits 203.0.113.10 from allowedIpAddresses",
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			spec := devSpec()
			w := newWorld(t, spec)
			c.change(w)
			expect(t, exposureResult(t, serve(t, w, spec), c.id), c.status, c.want...)
		})
	}

	t.Run("resource deleted", func(t *testing.T) {
		t.Parallel()
		spec := devSpec()
		w := newWorld(t, spec)
		delete(w.resources, strings.ToLower(kvID))
		expect(t, exposureResult(t, serve(t, w, spec), kvID), Fail, "key vault kv-amlsec-dev does not exist")
	})

	t.Run("without an API version in the Spec, the program's is used", func(t *testing.T) {
		t.Parallel()
		spec := devSpec()
		w := newWorld(t, spec)
		spec.Exposure = []verifyspec.Exposed{{ID: blobID}} // no version: the program's default
		expect(t, exposureResult(t, serve(t, w, spec), blobID), Pass)
	})
}

func TestIPComparison(t *testing.T) {
	t.Parallel()
	extra, missing := diffIPs([]string{"203.0.113.10/32", "198.51.100.7/24", "192.0.2.1"}, []string{"203.0.113.10", "198.51.100.0/24", "2001:db8::1"})
	if strings.Join(extra, ",") != "192.0.2.1" || strings.Join(missing, ",") != "2001:db8::1" {
		t.Errorf("extra %v missing %v", extra, missing)
	}
	for in, want := range map[string][2]string{
		"203.0.113.10":    {"203.0.113.10", "203.0.113.10"},
		"198.51.100.0/24": {"198.51.100.0", "198.51.100.255"},
		"10.1.0.0/15":     {"10.0.0.0", "10.1.255.255"},
	} {
		first, last, ok := ipv4Range(in)
		if !ok || first != want[0] || last != want[1] {
			t.Errorf("ipv4Range(%s) = %s, %s, %v; want %v", in, first, last, ok, want)
		}
	}
}
