package fakeazure

import (
	"errors"
	"testing"
	"time"
)

const (
	aoao = "AllowOnlyApprovedOutbound"
	aio  = "AllowInternetOutbound"
)

// peTo is a PrivateEndpoint outbound rule's properties.
func peTo(target, group string) in {
	return in{"type": "PrivateEndpoint", "category": "UserDefined", "destination": in{"serviceResourceId": target, "subresourceTarget": group}}
}

// approvedPlan is a resource group, the identity, an approver grant to it on the group, and a
// workspace in mode (with extra inputs) waiting for wsDeps.
func approvedPlan(t *testing.T, mode string, extra in, wsDeps ...string) []res {
	return []res{resRG, resIdentity, grantRes(t, "grant", approverRole, rgID).with("rg", "identity"),
		workspaceRes(t, mode, extra).with(wsDeps...)}
}

// planApproval: a workspace that provisions its managed network before a grant lets its
// identity approve the required endpoints is refused (they would stay Inactive); one that waits
// for the grant is not. The same for a PrivateEndpoint rule that does not wait for a grant.
func planApproval(t *testing.T) (refused, accepted error) {
	provision := in{"provisionNetworkNow": true}
	early := planErr(t, Options{}, approvedPlan(t, aoao, provision, "identity")...)
	st := preview(t, resStorage)
	rule := ruleRes("to-storage", peTo(st.ID, "blob")).with("workspace", "storage")
	ungrantedRule := planErr(t, Options{}, resIdentity, workspaceRes(t, aoao, nil).with("identity"), resStorage, rule)
	refused = joinRefusals(t, []string{"workspace before its grant", "rule without a grant"}, early, ungrantedRule)
	accepted = errors.Join(
		planErr(t, Options{}, approvedPlan(t, aoao, provision, "identity", "grant")...),
		planErr(t, Options{}, append(approvedPlan(t, aoao, nil, "identity", "grant"), resStorage, rule)...))
	return refused, accepted
}

// engineApprovalState: on the cloud nothing is refused; the managed endpoints a workspace's
// identity cannot approve when they are made stay Inactive, and the ones it can are Active. A
// grant made moments before is not yet in effect.
func engineApprovalState(t *testing.T) {
	statuses := func(grant bool, timing *Timing) (required, user string) {
		f := newFake(t, Options{Timing: timing})
		f.must(resRG, resIdentity, resStorage)
		if grant {
			f.must(grantRes(t, "grant", approverRole, rgID))
		}
		ws := f.must(workspaceRes(t, aoao, in{"provisionNetworkNow": true}))
		v, ok := Lookup(ws.Outputs, "managedNetwork.outboundRules.__SYS_PE_mlw-test_amlworkspace.status")
		if !ok {
			t.Fatalf("no required rule to the workspace in %v", Plain(ws.Outputs["managedNetwork"]))
		}
		rule := f.must(ruleRes("to-storage", peTo(preview(t, resStorage).ID, "blob")))
		u, _ := Lookup(rule.Outputs, "properties.status")
		return plainString(v), plainString(u)
	}
	for _, c := range []struct {
		what   string
		grant  bool
		timing *Timing
		want   string
	}{
		{"without a grant", false, nil, "Inactive"},
		{"with a grant", true, nil, "Active"},
		{"with a grant not yet in effect", true, &Timing{Scale: time.Millisecond, Propagation: 10_000}, "Inactive"},
	} {
		required, user := statuses(c.grant, c.timing)
		if required != c.want || user != c.want {
			t.Errorf("%s: the required rule is %s and the user rule %s, want %s", c.what, required, user, c.want)
		}
	}
}

// planComputeRulesCase: a compute instance that does not wait for its workspace's outbound
// rules is refused (it would race their writes); waiting for them, it is not.
func planComputeRulesCase(t *testing.T) (refused, accepted error) {
	base := []res{resIdentity, workspaceRes(t, aoao, nil).with("identity"), ruleRes("pypi", fqdnRule).with("workspace")}
	refused = planErr(t, Options{}, append(base, computeRes.with("workspace"))...)
	accepted = planErr(t, Options{}, append(base, computeRes.with("workspace", "pypi"))...)
	return refused, accepted
}

// engineComputeRulesCase: a compute instance in a workspace whose required rules stayed
// Inactive is refused, and so is one in a public AllowInternetOutbound workspace without a rule
// to the workspace; with the grant in place first (and that rule), it is not.
func engineComputeRulesCase(t *testing.T) (refused, accepted error) {
	try := func(mode string, grant, ownRule bool) error {
		f := newFake(t, Options{})
		f.must(resRG, resIdentity)
		if grant {
			f.must(grantRes(t, "grant", approverRole, rgID))
		}
		ws := f.must(workspaceRes(t, mode, in{"provisionNetworkNow": true}))
		if ownRule {
			f.must(ruleRes("to-workspace", peTo(ws.ID, "amlworkspace")))
		}
		_, err := f.create(computeRes)
		return err
	}
	refused = joinRefusals(t, []string{"required rules Inactive", "no rule to a public workspace"}, try(aoao, false, false), try(aio, true, false))
	accepted = errors.Join(try(aoao, true, false), try(aio, true, true))
	return refused, accepted
}

// TestComputeWithoutManagedNetworkNeedsNoRules: a workspace without a managed network (no
// isolation mode, or Disabled) has no outbound rules for its compute to need.
func TestComputeWithoutManagedNetworkNeedsNoRules(t *testing.T) {
	t.Parallel()
	for _, mode := range []string{"", "Disabled"} {
		if err := planErr(t, Options{}, resIdentity, workspaceRes(t, mode, nil).with("identity"), computeRes.with("workspace")); err != nil {
			t.Errorf("plan, isolation mode %q: %v", mode, err)
		}
		f := newFake(t, Options{})
		f.must(resIdentity, workspaceRes(t, mode, nil))
		if _, err := f.create(computeRes); err != nil {
			t.Errorf("engine, isolation mode %q: %v", mode, err)
		}
	}
}

// planDuplicateDestination: a user rule to the workspace itself is refused in
// AllowOnlyApprovedOutbound, where Azure has a required rule to it; in AllowInternetOutbound
// with a public workspace, it is not.
func planDuplicateDestination(t *testing.T) (refused, accepted error) {
	ws := preview(t, workspaceRes(t, aoao, nil))
	rule := ruleRes("to-workspace", peTo(ws.ID, "amlworkspace")).with("workspace")
	refused = planErr(t, Options{}, append(approvedPlan(t, aoao, nil, "identity", "grant"), rule)...)
	accepted = planErr(t, Options{}, append(approvedPlan(t, aio, nil, "identity", "grant"), rule)...)
	return refused, accepted
}

// engineDuplicateDestination: the same on the cloud, and a second user rule to a destination a
// first one has.
func engineDuplicateDestination(t *testing.T) (refused, accepted error) {
	try := func(mode string, rules ...res) error {
		f := newFake(t, Options{})
		f.must(resRG, resIdentity, resStorage, workspaceRes(t, mode, nil))
		var err error
		for _, r := range rules {
			if _, err = f.create(r); err != nil {
				break
			}
		}
		return err
	}
	toWorkspace := ruleRes("to-workspace", peTo(preview(t, workspaceRes(t, aoao, nil)).ID, "amlworkspace"))
	st := preview(t, resStorage).ID
	blob, blobAgain, file := ruleRes("blob", peTo(st, "blob")), ruleRes("blob-again", peTo(st, "blob")), ruleRes("file", peTo(st, "file"))
	refused = joinRefusals(t, []string{"rule to the workspace in AllowOnlyApprovedOutbound", "two rules to one blob endpoint"},
		try(aoao, toWorkspace), try(aio, blob, blobAgain))
	accepted = errors.Join(try(aio, toWorkspace), try(aio, blob, file))
	return refused, accepted
}

// inlineFQDN is a managed network in mode with one inline FQDN rule.
func inlineFQDN(mode string) in {
	return in{"managedNetwork": in{"isolationMode": mode, "outboundRules": in{"pypi": fqdnRule}}}
}

// planFQDNMode: an FQDN rule (separate or inline) of an AllowInternetOutbound workspace is
// refused; of an AllowOnlyApprovedOutbound one, it is not.
func planFQDNMode(t *testing.T) (refused, accepted error) {
	separate := func(mode string) error {
		return planErr(t, Options{}, resIdentity, workspaceRes(t, mode, nil).with("identity"), ruleRes("pypi", fqdnRule).with("workspace"))
	}
	inline := func(mode string) error {
		return planErr(t, Options{}, resIdentity, workspaceRes(t, "", inlineFQDN(mode)).with("identity"))
	}
	refused = joinRefusals(t, []string{"separate rule", "inline rule"}, separate(aio), inline(aio))
	accepted = errors.Join(separate(aoao), inline(aoao))
	return refused, accepted
}

// engineFQDNMode: the same on the cloud.
func engineFQDNMode(t *testing.T) (refused, accepted error) {
	separate := func(mode string) error {
		f := newFake(t, Options{})
		f.must(resIdentity, workspaceRes(t, mode, nil))
		_, err := f.create(ruleRes("pypi", fqdnRule))
		return err
	}
	inline := func(mode string) error {
		f := newFake(t, Options{})
		f.must(resIdentity)
		_, err := f.create(workspaceRes(t, "", inlineFQDN(mode)))
		return err
	}
	refused = joinRefusals(t, []string{"separate rule", "inline rule"}, separate(aio), inline(aio))
	accepted = errors.Join(separate(aoao), inline(aoao))
	return refused, accepted
}

// planOneMethodCase: a workspace writing rules inline and a separate rule resource of it are
// refused; the separate rule alone is not.
func planOneMethodCase(t *testing.T) (refused, accepted error) {
	conda := ruleRes("conda", in{"type": "FQDN", "category": "UserDefined", "destination": "conda.anaconda.org"}).with("workspace")
	refused = planErr(t, Options{}, resIdentity, workspaceRes(t, "", inlineFQDN(aoao)).with("identity"), conda)
	accepted = planErr(t, Options{}, resIdentity, workspaceRes(t, aoao, nil).with("identity"), conda)
	return refused, accepted
}
