package azureml

import (
	"errors"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// UserAssignedIdentityToken is the module's default token, API version 2023-01-31 in
// azure-native 2.90.0; nothing newer is needed for a plain identity.
const UserAssignedIdentityToken = "azure-native:managedidentity:UserAssignedIdentity"

// UserAssignedIdentityArgs are the inputs of managedidentity/userAssignedIdentity.d.ts.
type UserAssignedIdentityArgs struct {
	ResourceGroupName pulumi.StringInput    // resourceGroupName (required)
	ResourceName      pulumi.StringInput    // resourceName: the identity's name
	Location          pulumi.StringInput    // location
	Tags              pulumi.StringMapInput // tags
}

// UserAssignedIdentity is a user-assigned managed identity.
type UserAssignedIdentity struct {
	pulumi.CustomResourceState

	Name        pulumi.StringOutput `pulumi:"name"`
	PrincipalId pulumi.StringOutput `pulumi:"principalId"`
	ClientId    pulumi.StringOutput `pulumi:"clientId"`
	TenantId    pulumi.StringOutput `pulumi:"tenantId"`
}

// NewUserAssignedIdentity registers a user-assigned identity.
func NewUserAssignedIdentity(ctx *pulumi.Context, name string, args *UserAssignedIdentityArgs, opts ...pulumi.ResourceOption) (*UserAssignedIdentity, error) {
	if args == nil || args.ResourceGroupName == nil {
		return nil, errors.New("azureml: UserAssignedIdentity needs ResourceGroupName")
	}
	in := props{"resourceGroupName": args.ResourceGroupName}.
		set("resourceName", args.ResourceName).
		set("location", args.Location).
		set("tags", args.Tags)
	var res UserAssignedIdentity
	if err := register(ctx, UserAssignedIdentityToken, name, in, &res, opts); err != nil {
		return nil, err
	}
	return &res, nil
}
