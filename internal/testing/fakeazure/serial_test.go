package fakeazure

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// hold is how long a serialised write holds its lock in these tests: the second write is tried
// as soon as the first is seen holding it, microseconds later.
const hold = 100 * time.Millisecond

// serialTiming makes every operation instant except serialised writes, which hold their lock
// for hold.
func serialTiming() *Timing { return &Timing{MinHold: hold} }

// overlap runs first in one goroutine and, once first holds the serialisation lock on key,
// second in another, and returns what each ended with.
func overlap(t *testing.T, c *Cloud, key string, first, second func() error) (errFirst, errSecond error) {
	t.Helper()
	firstDone, secondDone := make(chan error, 1), make(chan error, 1)
	go func() { firstDone <- first() }()
	deadline := time.Now().Add(5 * time.Second)
	for !holding(c, key) {
		select {
		case err := <-firstDone:
			t.Fatalf("the first write ended (%v) before it was seen holding %s", err, key)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("the first write never held %s", key)
		}
		time.Sleep(100 * time.Microsecond)
	}
	go func() { secondDone <- second() }()
	return <-firstDone, <-secondDone
}

// holding reports whether a write in flight holds the serialisation key.
func holding(c *Cloud, key string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	l := c.locks[strings.ToLower(key)]
	return l != nil && (l.exclusive != "" || l.shared > 0)
}

// engineNetworkSerialised: a subnet written while another subnet of the same VNet is being
// written is refused, and so is a private endpoint placed in a subnet being written; the same
// writes one after the other go through.
func engineNetworkSerialised(t *testing.T) (refused, accepted error) {
	f := newFake(t, Options{Timing: serialTiming()})
	vnet := f.must(resVNet)
	subnetB := resSubnet.set(in{"subnetName": "snet-compute", "addressPrefix": "10.60.2.0/24"})
	subnetB.name = "subnet-b"
	create := func(r res) func() error { return func() error { _, err := f.create(r); return err } }

	firstErr, refused := overlap(t, f.c, vnet.ID, create(resSubnet), create(subnetB))
	if firstErr != nil {
		t.Fatalf("the first subnet write: %v", firstErr)
	}
	if _, accepted = f.create(subnetB); accepted != nil {
		return refused, accepted
	}

	// An endpoint placed in a subnet while that subnet is written.
	subnet := f.c.Get(preview(t, resSubnet).ID)
	routed := resSubnet.set(in{"routeTable": "none"})
	update := func() error { _, err := f.update(subnet, routed); return err }
	pe := endpointIn(subnet.ID)
	firstErr, placed := overlap(t, f.c, subnet.ID, update, create(pe))
	if firstErr != nil {
		t.Fatalf("the subnet update: %v", firstErr)
	}
	if placed == nil || !strings.Contains(placed.Error(), "ReferencedResourceNotProvisioned") {
		t.Errorf("an endpoint placed in a subnet being written: %v, want ReferencedResourceNotProvisioned", placed)
	}
	_, peAfter := f.create(pe)
	return joinRefusals(t, []string{"second subnet", "endpoint in a subnet being written"}, refused, placed), errors.Join(accepted, peAfter)
}

// engineManagedNetworkSerialised: an outbound rule written while another rule of the same
// workspace is being written is refused, and so is a compute instance created meanwhile; the
// same writes one after the other go through.
func engineManagedNetworkSerialised(t *testing.T) (refused, accepted error) {
	f := newFake(t, Options{Timing: serialTiming()})
	ws, err := New(Options{}).compute(tokWorkspace, testURN(tokWorkspace, "workspace"), "workspace", resource.NewPropertyMapFromMap(wsMode(aoao, nil).in))
	if err != nil {
		t.Fatal(err)
	}
	f.c.Put(ws)          // a workspace deployed earlier,
	f.c.SettleImported() // with its managed network's required rules approved
	pypi, conda := ruleRes("pypi", fqdnRule), ruleRes("conda", in{"type": "FQDN", "category": "UserDefined", "destination": "conda.anaconda.org"})
	create := func(r res) func() error { return func() error { _, err := f.create(r); return err } }

	firstErr, refused := overlap(t, f.c, ws.ID, create(pypi), create(conda))
	if firstErr != nil {
		t.Fatalf("the first rule write: %v", firstErr)
	}
	if _, accepted = f.create(conda); accepted != nil {
		return refused, accepted
	}
	pip := ruleRes("pip", in{"type": "FQDN", "category": "UserDefined", "destination": "files.pythonhosted.org"})
	firstErr, racing := overlap(t, f.c, ws.ID, create(pip), create(computeRes))
	if firstErr != nil {
		t.Fatalf("the third rule write: %v", firstErr)
	}
	_, computeAfter := f.create(computeRes)
	return joinRefusals(t, []string{"second rule", "compute during a rule write"}, refused, racing), errors.Join(accepted, computeAfter)
}

// planManagedNetworkSerialised: three rules chained one after another are refused (the first
// and the last do not depend on each other directly, so dropping both would delete them at
// once); the same rules each waiting for every earlier one are accepted.
func planManagedNetworkSerialised(t *testing.T) (refused, accepted error) {
	rule := func(name, host string) res {
		return ruleRes(name, in{"type": "FQDN", "category": "UserDefined", "destination": host})
	}
	base := []res{resIdentity, workspaceRes(t, aoao, nil).with("identity")}
	refused = planErr(t, Options{}, append(base,
		rule("pypi", "pypi.org").with("workspace"),
		rule("files", "files.pythonhosted.org").with("pypi"),
		rule("conda", "conda.anaconda.org").with("files"))...)
	accepted = planErr(t, Options{}, append(base,
		rule("pypi", "pypi.org").with("workspace"),
		rule("files", "files.pythonhosted.org").with("workspace", "pypi"),
		rule("conda", "conda.anaconda.org").with("workspace", "pypi", "files"))...)
	return refused, accepted
}
