package fakeazure

import (
	"context"
	"errors"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// seedFor finds a seed whose hash gives the first run of (kind, urn) the fault wanted, so that
// the test stays deterministic without knowing the hash.
func seedFor(t *testing.T, kind opKind, urn, want string) int64 {
	t.Helper()
	for seed := int64(1); seed <= 1000; seed++ {
		c := New(Options{Faults: &Faults{Seed: seed, Rate: 1}})
		if c.fault(&op{kind: kind, obj: &Object{URN: urn}}) == want {
			return seed
		}
	}
	t.Fatalf("no seed in 1..1000 gives %s a %s fault", urn, want)
	return 0
}

// engineFault: with the seeded fault on, the create of an identity fails with the fault's rule
// and the cloud is as Azure leaves it: nothing made for a throttled or failed request, the
// identity made for a lost answer (whose retry then meets already-exists). The same create
// with the same seed at rate 0 goes through.
func engineFault(kind string) func(t *testing.T) (refused, accepted error) {
	return func(t *testing.T) (refused, accepted error) {
		ctx := context.Background()
		urn := testURN(resIdentity.token, resIdentity.name)
		seed := seedFor(t, opCreate, urn, kind)
		inputs := resource.NewPropertyMapFromMap(resIdentity.in)
		id := preview(t, resIdentity).ID

		c := New(Options{})
		c.SetFaults(&Faults{Seed: seed, Rate: 1})
		_, refused = c.Create(ctx, resIdentity.token, urn, resIdentity.name, inputs)
		exists := c.Get(id) != nil
		if want := kind == FaultLostAnswer; exists != want {
			t.Errorf("after a %s create, the identity exists = %v, want %v", kind, exists, want)
		}
		if got := c.Faulted(); len(got) != 1 || got[0].URN != urn || got[0].Kind != string(opCreate) {
			t.Errorf("Faulted() = %+v, want the one create", got)
		}
		// The next run of the same operation is not faulted.
		_, retry := c.Create(ctx, resIdentity.token, urn, resIdentity.name, inputs)
		var ae *AzureError
		switch {
		case kind == FaultLostAnswer && (!errors.As(retry, &ae) || ae.Rule.ID != "already-exists"):
			t.Errorf("retrying a create whose answer was lost: %v, want already-exists", retry)
		case kind != FaultLostAnswer && retry != nil:
			t.Errorf("retrying a %s create: %v", kind, retry)
		}
		if c.Get(id) == nil {
			t.Errorf("after the retry of a %s create, the identity does not exist", kind)
		}

		calm := New(Options{Faults: &Faults{Seed: seed, Rate: 0}})
		_, accepted = calm.Create(ctx, resIdentity.token, urn, resIdentity.name, inputs)
		return refused, accepted
	}
}

// TestFaultsLeaveDeletesAndUpdatesAsAzureDoes: a lost delete has deleted; a throttled update has
// changed nothing.
func TestFaultsLeaveDeletesAndUpdatesAsAzureDoes(t *testing.T) {
	t.Parallel()
	urn := testURN(resIdentity.token, resIdentity.name)
	for _, c := range []struct {
		kind  opKind
		fault string
	}{{opDelete, FaultLostAnswer}, {opUpdate, FaultThrottled}, {opUpdate, FaultServerError}} {
		f := newFake(t, Options{})
		o := f.must(resIdentity)
		f.c.SetFaults(&Faults{Seed: seedFor(t, c.kind, urn, c.fault), Rate: 1})
		var err error
		tagged := resIdentity.set(in{"tags": in{"env": "dev"}})
		if c.kind == opDelete {
			err = f.delete(o)
		} else {
			_, err = f.update(o, tagged)
		}
		var ae *AzureError
		if !errors.As(err, &ae) || ae.Rule.ID != "fault-"+c.fault {
			t.Errorf("%s with a %s fault: %v", c.kind, c.fault, err)
		}
		now := f.c.Get(o.ID)
		switch c.kind {
		case opDelete:
			if now != nil {
				t.Errorf("a delete whose answer was lost left the identity")
			}
		case opUpdate:
			if now == nil || !now.Inputs.DeepEquals(o.Inputs) {
				t.Errorf("a %s update changed the identity", c.fault)
			}
		}
	}
}
