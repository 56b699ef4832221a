// Package azureml registers the Azure resources whose azure-native Go SDK modules the Go module
// proxy does not serve (machinelearningservices/v2 and managedidentity/v2): the ML workspace,
// compute, datastore, workspace connection, managed-network outbound rule, and the
// user-assigned identity.
//
// Each type is registered under its azure-native token with pulumi.Version(ProviderVersion),
// so the same provider plugin instance serves these and the SDK modules. The azure-native
// provider drops unknown input keys without an error and does not check enum values, so every
// key and enum string here is copied from the @pulumi/azure-native 2.90.0 type definitions
// (`<module>/<version>/<type>.d.ts`, `types/input.d.ts`, `types/enums/...`); the schema
// conformance test checks every registered input against them.
//
// The shapes follow the SDK's: FooArgs with Input fields, a resource struct with Output fields
// tagged like the SDK's, and NewFoo(ctx, name, *FooArgs, ...opts). Swapping in the real SDK
// module later means changing the import and the few nested-type names.
package azureml

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// ProviderVersion is the azure-native version of every SDK module this program uses
// (azure-reference.md §1): one version, one provider plugin.
const ProviderVersion = "2.90.0"

// props collects the inputs of one object, leaving out the ones not set, so that an unset
// optional field is absent rather than null (as the SDK does).
type props map[string]pulumi.Input

func (p props) set(key string, v pulumi.Input) props {
	if v != nil {
		p[key] = v
	}
	return p
}

func (p props) toMap() pulumi.Map { return pulumi.Map(p) }

func register(ctx *pulumi.Context, token, name string, in props, res pulumi.CustomResource, opts []pulumi.ResourceOption) error {
	opts = append([]pulumi.ResourceOption{pulumi.Version(ProviderVersion)}, opts...)
	return ctx.RegisterResource(token, name, in.toMap(), res, opts...)
}
