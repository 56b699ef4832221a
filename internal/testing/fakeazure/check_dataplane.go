package fakeazure

import (
	"net/netip"
	"strings"
)

// Rule 6: data-plane operations need a path. azure-native's storage.Blob writes and deletes
// blobs over the storage data plane with the account key (pulumi-azure-native#2015), from the
// machine that runs the deployment.

var (
	ruleBlobSharedKey = rule(Rule{ID: "blob-needs-shared-key", Code: "KeyBasedAuthenticationNotPermitted", Status: 403, Where: AtBoth,
		Source:    "pulumi/pulumi-azure-native#2015 (create), #1364 (delete)",
		Behaviour: "a storage.Blob create, update or delete authenticates with the account key, which fails once allowSharedKeyAccess is false"})
	ruleBlobNetwork = rule(Rule{ID: "blob-needs-network-path", Code: "AuthorizationFailure", Status: 403, Where: AtBoth,
		Source:    "https://learn.microsoft.com/azure/storage/common/storage-network-security; hashicorp/terraform-provider-azurerm#15683",
		Behaviour: "a data-plane call from the deployer reaches the account only when public network access is on and the firewall admits the deployer's address"})
)

func init() {
	addCheck(&check{rule: ruleBlobSharedKey, kinds: []opKind{opCreate, opUpdate, opDelete}, plan: true, engine: true, fn: checkBlobPath})
}

// checkBlobPath refuses a blob operation when the account, as it is when the operation runs,
// has no network path from the deployer or refuses the account key.
func checkBlobPath(o *op, w *world) *AzureError {
	if o.obj.Key != "storage:Blob" {
		return nil
	}
	acct := w.storageAccount(o.obj.Str("resourceGroupName"), o.obj.Str("accountName"))
	if acct == nil {
		return nil // reference-exists reports it
	}
	if acct.Str("publicNetworkAccess") == "Disabled" || !admits(acct, w.callerIP()) {
		return ruleBlobNetwork.errorf("This request is not authorized to perform this operation. (%s of blob %s from %s: the account's network rules do not admit it)", o.kind, o.obj.Name, orNone(w.callerIP()))
	}
	if v, set := acct.Bool("allowSharedKeyAccess"); set && !v {
		return ruleBlobSharedKey.errorf("Key based authentication is not permitted on this storage account. (%s of blob %s in %s)", o.kind, o.obj.Name, acct.Name)
	}
	return nil
}

// storageAccount finds an account by resource group and name.
func (w *world) storageAccount(rg, name string) *Object {
	for _, a := range w.find("storage:StorageAccount", nil) {
		if strings.EqualFold(a.Name, name) && strings.EqualFold(a.Str("resourceGroupName"), rg) {
			return a
		}
	}
	return nil
}

func (w *world) callerIP() string {
	if w.cloud == nil {
		return ""
	}
	return w.cloud.opts.CallerIP
}

// admits reports whether an account's firewall lets ip in.
func admits(acct *Object, ip string) bool {
	if acct.Str("networkRuleSet.defaultAction") != "Deny" {
		return true
	}
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return false
	}
	for i := 0; ; i++ {
		r := acct.Str(path("networkRuleSet.ipRules", i, "iPAddressOrRange"))
		if r == "" {
			return false
		}
		if p, err := netip.ParsePrefix(r); err == nil && p.Contains(a) {
			return true
		}
		if r == ip {
			return true
		}
	}
}

func orNone(s string) string {
	if s == "" {
		return "an address no rule lists"
	}
	return s
}
