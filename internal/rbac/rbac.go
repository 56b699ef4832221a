// Package rbac holds the built-in Azure roles the program grants and the one helper that
// grants them, so every role assignment in the program has the same shape.
package rbac

import (
	"fmt"
	"time"

	"github.com/pulumi/pulumi-azure-native-sdk/authorization/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Role is a built-in role definition GUID
// (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles).
type Role string

// Built-in roles used by this program.
const (
	Contributor                          Role = "b24988ac-6180-42a0-ab88-20f7382dd24c"
	StorageBlobDataContributor           Role = "ba92f5b4-2d11-453d-a403-e96b0029c9fe"
	StorageBlobDataReader                Role = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"
	StorageFileDataPrivilegedContributor Role = "69566ab7-960f-475b-8e7c-b3118f30c6bd"
	KeyVaultAdministrator                Role = "00482a5a-887f-4fb3-b363-3b7fe8e74483"
	SQLServerContributor                 Role = "6d8ee4ec-f05a-4a1d-8b00-a9b17e38b437"
	AzureAIEnterpriseNetworkConnApprover Role = "b556d68e-0be0-4f35-a333-ad7ee1ce17ea"
	Reader                               Role = "acdd72a7-3385-48ef-bd42-f606fba81ae7"
	AzureMLDataScientist                 Role = "f6c7c914-8db3-469d-8ca1-694a8f32e121"
)

// Principal types of role assignments. Setting the type lets ARM skip the directory look-up
// that fails with PrincipalNotFound while a freshly created identity replicates
// (https://learn.microsoft.com/azure/role-based-access-control/role-assignments-template#new-service-principal),
// and it must be the principal's real type or the assignment fails with UnmatchedPrincipalType.
const (
	// PrincipalServicePrincipal: managed identities and app service principals.
	PrincipalServicePrincipal = "ServicePrincipal"
	// PrincipalUser: a person.
	PrincipalUser = "User"
	// PrincipalGroup: an Entra group.
	PrincipalGroup = "Group"
)

// Principal is someone outside the program that roles are granted to (a person, a group, a
// deploying service principal): an Entra object id and its type.
type Principal struct {
	ObjectID string
	Type     string
}

// Grant describes one role assignment.
type Grant struct {
	Scope         pulumi.StringInput
	Role          Role
	PrincipalID   pulumi.StringInput
	PrincipalType string
}

// Assign creates the role assignment. subscriptionID is the deploying subscription (from the
// client config); the assignment's own GUID name is generated once by azure-native and kept in
// state. Azure refuses to change an assignment's principal, role or scope
// (RoleAssignmentUpdateNotPermitted), so a change of any of them replaces it, the old one first:
// the new one may grant the same role on the same scope to the same principal
// (RoleAssignmentExists).
func Assign(ctx *pulumi.Context, name, subscriptionID string, g Grant, opts ...pulumi.ResourceOption) (*authorization.RoleAssignment, error) {
	opts = append([]pulumi.ResourceOption{
		pulumi.ReplaceOnChanges([]string{"principalId", "principalType", "roleDefinitionId", "scope"}),
		pulumi.DeleteBeforeReplace(true),
	}, opts...)
	return authorization.NewRoleAssignment(ctx, name, &authorization.RoleAssignmentArgs{
		Scope:            g.Scope,
		PrincipalId:      g.PrincipalID,
		PrincipalType:    pulumi.String(g.PrincipalType),
		RoleDefinitionId: pulumi.String(DefinitionID(subscriptionID, g.Role)),
	}, opts...)
}

// DefinitionID is the role definition's resource id in the subscription.
func DefinitionID(subscriptionID string, r Role) string {
	return fmt.Sprintf("/subscriptions/%s/providers/Microsoft.Authorization/roleDefinitions/%s", subscriptionID, r)
}

// shortNames name grants after their role: "<principal>-<target>-<short>".
var shortNames = map[Role]string{
	Contributor:                          "contributor",
	StorageBlobDataContributor:           "blob-data-contributor",
	StorageBlobDataReader:                "blob-data-reader",
	StorageFileDataPrivilegedContributor: "file-data",
	KeyVaultAdministrator:                "vault-admin",
	SQLServerContributor:                 "server-contributor",
	AzureAIEnterpriseNetworkConnApprover: "network-approver",
	Reader:                               "reader",
	AzureMLDataScientist:                 "data-scientist",
}

// Short is the role's short name in grant names.
func Short(r Role) string {
	if s, ok := shortNames[r]; ok {
		return s
	}
	return string(r)
}

// Propagation is how long a new role assignment takes to take effect. Microsoft gives "up to
// 10 minutes" (https://learn.microsoft.com/azure/role-based-access-control/troubleshooting);
// a grant to a service principal is usually seen in a minute or two. A managed private endpoint
// that Azure tries to approve before the approver role works stays unapproved
// (https://learn.microsoft.com/azure/machine-learning/how-to-managed-network, "Approval of
// private endpoints"), and pulumi/pulumi-azure-native#3212 reports races between grants and the
// managed network. Three minutes covers the usual case, at the cost of those minutes on the
// deployment that makes the grant only. Tests that run the program
// against a fake Azure whose minutes last milliseconds shorten it to match.
var Propagation = 3 * time.Minute

// InEffect resolves to the grant once it is Propagation old by Azure's own clock (its
// createdOn), for a resource that fails unless the role already works:
// pulumi.DependsOnInputs(rbac.InEffect(ctx, grant)). A grant made in an earlier deployment is
// old enough already, so only the deployment that creates it waits. A preview does not wait.
func InEffect(ctx *pulumi.Context, g *authorization.RoleAssignment) pulumi.ResourceArrayOutput {
	return g.CreatedOn.ApplyT(func(created string) []pulumi.Resource {
		if t, err := time.Parse(time.RFC3339Nano, created); err == nil && !ctx.DryRun() {
			if wait := time.Until(t.Add(Propagation)); wait > 0 {
				time.Sleep(wait)
			}
		}
		return []pulumi.Resource{g}
	}).(pulumi.ResourceArrayOutput)
}
