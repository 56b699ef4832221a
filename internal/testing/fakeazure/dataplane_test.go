package fakeazure

import "testing"

// blobFragment is a storage account with the given extra inputs, a container and a blob in it,
// each waiting for the one before.
func blobFragment(account in) []res {
	return []res{
		resStorage.set(account),
		{token: tokContainer, name: "container", in: in{"containerName": "data", "accountName": "stml01", "resourceGroupName": "rg"}, deps: []string{"storage"}},
		{token: tokBlob, name: "blob", in: in{"blobName": "sample.csv", "containerName": "data", "accountName": "stml01", "resourceGroupName": "rg"}, deps: []string{"container"}},
	}
}

// firewall denies everything but the address given.
func firewall(ip string) in {
	return in{"publicNetworkAccess": "Enabled", "networkRuleSet": in{"defaultAction": "Deny", "ipRules": []any{in{"iPAddressOrRange": ip, "action": "Allow"}}}}
}

// planBlobNetwork: a blob written from a deployer the account's firewall does not admit is
// refused; the same blob with the deployer's address listed is not.
func planBlobNetwork(t *testing.T) (refused, accepted error) {
	opts := Options{CallerIP: callerIP}
	refused = planErr(t, opts, blobFragment(firewall(otherIP))...)
	accepted = planErr(t, opts, blobFragment(firewall(callerIP))...)
	return refused, accepted
}

func engineBlobNetwork(t *testing.T) (refused, accepted error) {
	try := func(account in) error {
		f := newFake(t, Options{CallerIP: callerIP})
		rs := blobFragment(account)
		f.must(rs[:2]...)
		_, err := f.create(rs[2])
		return err
	}
	closed := try(in{"publicNetworkAccess": "Disabled"})
	refused = joinRefusals(t, []string{"blob behind a firewall", "blob with public access off"}, try(firewall(otherIP)), closed)
	return refused, try(firewall(callerIP))
}

// planBlobSharedKey: a blob (written with the account key) in an account that refuses shared
// keys is refused; with shared keys allowed, it is not.
func planBlobSharedKey(t *testing.T) (refused, accepted error) {
	refused = planErr(t, Options{}, blobFragment(in{"allowSharedKeyAccess": false})...)
	accepted = planErr(t, Options{}, blobFragment(in{"allowSharedKeyAccess": true})...)
	return refused, accepted
}

// engineBlobSharedKey: creating the blob is refused once shared keys are off, and so is
// deleting it after the account turns them off.
func engineBlobSharedKey(t *testing.T) (refused, accepted error) {
	f := newFake(t, Options{})
	rs := blobFragment(in{"allowSharedKeyAccess": true})
	acct := f.must(rs[0])
	f.must(rs[1])
	blob, accepted := f.create(rs[2])
	if accepted != nil {
		return nil, accepted
	}
	if _, err := f.update(acct, rs[0].set(in{"allowSharedKeyAccess": false})); err != nil {
		t.Fatalf("setup: turn shared keys off: %v", err)
	}
	other := rs[2].set(in{"blobName": "other.csv"})
	other.name = "other"
	_, createErr := f.create(other)
	refused = joinRefusals(t, []string{"create", "delete"}, createErr, f.delete(blob))
	return refused, accepted
}
