package fakeazure

import (
	"errors"
	"testing"
)

// planPrincipalNotFound: an assignment to an identity it does not wait for is refused in the
// plan (the principal would not exist yet); waiting for it, it is not.
func planPrincipalNotFound(t *testing.T) (refused, accepted error) {
	grant := grantRes(t, "grant", readerRole, rgID)
	refused = planErr(t, Options{}, resRG, resIdentity, grant.with("rg"))
	accepted = planErr(t, Options{}, resRG, resIdentity, grant.with("rg", "identity"))
	return refused, accepted
}

// enginePrincipalNotFound: an assignment to an identity not made yet is refused; after the
// identity, it is not.
func enginePrincipalNotFound(t *testing.T) (refused, accepted error) {
	f := newFake(t, Options{})
	f.must(resRG)
	grant := grantRes(t, "grant", readerRole, rgID)
	_, refused = f.create(grant)
	f.must(resIdentity)
	_, accepted = f.create(grant)
	return refused, accepted
}

// planPrincipalType: an assignment declaring a managed identity a User is refused; declaring it
// a ServicePrincipal, it is not.
func planPrincipalType(t *testing.T) (refused, accepted error) {
	grant := grantRes(t, "grant", readerRole, rgID).with("rg", "identity")
	refused = planErr(t, Options{}, resRG, resIdentity, grant.set(in{"principalType": PrincipalUser}))
	accepted = planErr(t, Options{}, resRG, resIdentity, grant)
	return refused, accepted
}

// enginePrincipalType: the same on the cloud, and the deployer (a person) as a ServicePrincipal.
func enginePrincipalType(t *testing.T) (refused, accepted error) {
	f := newFake(t, Options{})
	f.must(resRG, resIdentity)
	grant := grantRes(t, "grant", readerRole, rgID)
	_, asUser := f.create(grant.set(in{"principalType": PrincipalUser}))
	deployer := res{token: tokRA, name: "deployer", in: in{"scope": rgID, "principalId": DeployerObject, "principalType": PrincipalServicePrincipal, "roleDefinitionId": readerRole}}
	_, deployerAsApp := f.create(deployer)
	refused = joinRefusals(t, []string{"identity as User", "deployer as ServicePrincipal"}, asUser, deployerAsApp)
	_, identityOK := f.create(grant)
	_, deployerOK := f.create(deployer.set(in{"principalType": PrincipalUser}))
	return refused, errors.Join(identityOK, deployerOK)
}

// planAssignmentExists: two planned assignments of the same role on the same scope to the same
// principal are refused; of two roles, they are not.
func planAssignmentExists(t *testing.T) (refused, accepted error) {
	a := grantRes(t, "grant-a", readerRole, rgID).with("rg", "identity")
	b := grantRes(t, "grant-b", readerRole, rgID).with("rg", "identity")
	refused = planErr(t, Options{}, resRG, resIdentity, a, b)
	accepted = planErr(t, Options{}, resRG, resIdentity, a, b.set(in{"roleDefinitionId": approverRole}))
	return refused, accepted
}

// engineAssignmentExists: the same on the cloud, the second assignment under another name.
func engineAssignmentExists(t *testing.T) (refused, accepted error) {
	f := newFake(t, Options{})
	f.must(resRG, resIdentity, grantRes(t, "grant-a", readerRole, rgID))
	b := grantRes(t, "grant-b", readerRole, rgID)
	_, refused = f.create(b)
	_, accepted = f.create(b.set(in{"roleDefinitionId": approverRole}))
	return refused, accepted
}
