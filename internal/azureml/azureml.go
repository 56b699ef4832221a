// Package azureml registers the Azure resources whose azure-native Go SDK modules the Go module
// proxy does not serve (machinelearningservices/v2 and managedidentity/v2): the ML workspace,
// compute, datastore, workspace connection, managed-network outbound rule, and the
// user-assigned identity.
//
// What it is: a hand-written, deliberately narrow binding. Each type is registered under its
// azure-native token with pulumi.Version(ProviderVersion), so one provider plugin serves these
// and the SDK modules, and with the same type aliases the SDK attaches (aliases.go), so an API
// version bump is an update, not a replacement. The Args are flattened and plain-typed where
// the program passes constants (a VM size is a string, a nested destination is three fields),
// and each constructor refuses the half-formed shapes the provider would send unchecked (an
// SSH key missing, a datastore union member incomplete) and wraps secrets whatever it is given.
// The azure-native provider drops unknown input keys without an error and does not check enum
// values, so every key and enum string here is copied from the @pulumi/azure-native 2.90.0 type
// definitions, and the schema conformance test checks every registered input against them.
//
// What it is not: the generated SDK. The SDK's Args are Input-typed throughout and its unions
// are nested argument types; swapping a type here for the SDK module means rewriting its call
// sites in components/ (a few lines each), not just changing an import.
package azureml

import (
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// ProviderVersion is the azure-native version of every SDK module this program uses: one
// version, one provider plugin (the SDK constructors pass the same pulumi.Version).
const ProviderVersion = "2.90.0"

// Enum values shared by the workspace and compute (types/enums/machinelearningservices of the
// tokens' versions).
const (
	IdentityTypeUserAssigned = "UserAssigned" // ManagedServiceIdentityType
	PublicNetworkEnabled     = "Enabled"      // PublicNetworkAccessType
	PublicNetworkDisabled    = "Disabled"     // PublicNetworkAccessType
)

// ManagedServiceIdentityArgs is ManagedServiceIdentityArgs: on input, userAssignedIdentities is
// a list of identity resource ids (the provider turns it into the ARM map).
type ManagedServiceIdentityArgs struct {
	Type                   string
	UserAssignedIdentities pulumi.StringArrayInput
}

func (a ManagedServiceIdentityArgs) toMap() pulumi.Map {
	return props{"type": pulumi.String(a.Type)}.set("userAssignedIdentities", a.UserAssignedIdentities).toMap()
}

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

func optString(s string) pulumi.Input {
	if s == "" {
		return nil
	}
	return pulumi.String(s)
}

// register registers a resource of token with the provider version and the token's type
// aliases, then the caller's options.
func register(ctx *pulumi.Context, token, name string, in props, res pulumi.CustomResource, opts []pulumi.ResourceOption) error {
	var aliases []pulumi.Alias
	for _, t := range typeAliases[token] {
		aliases = append(aliases, pulumi.Alias{Type: pulumi.String(t)})
	}
	opts = append([]pulumi.ResourceOption{pulumi.Version(ProviderVersion), pulumi.Aliases(aliases)}, opts...)
	return ctx.RegisterResource(token, name, in.toMap(), res, opts...)
}

// APIVersion is the Azure REST API version of a versioned token:
// "azure-native:machinelearningservices/v20241001preview:Workspace" is 2024-10-01-preview.
func APIVersion(token string) string {
	i := strings.Index(token, "/v")
	if i < 0 || len(token) < i+10 {
		return ""
	}
	d := token[i+2 : i+10]
	v := d[0:4] + "-" + d[4:6] + "-" + d[6:8]
	if strings.HasPrefix(token[i+10:], "preview") {
		v += "-preview"
	}
	return v
}
