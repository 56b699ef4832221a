// Package fakeazure is the offline stand-in for Azure (azure-native, azuread and random) that
// every test and the offline preview run the program against. It is test tooling: the program
// never imports it (TestProgramDoesNotLinkTestTooling).
//
// One model, two adapters:
//
//   - Cloud (cloud.go) is the model: what exists, under which ARM id, with which inputs and
//     computed outputs; which names are reserved by soft delete; which writes are in flight.
//     Its operations refuse what Azure refuses, each refusal a named Rule of the catalogue
//     (rules.go) with its public source and Azure's error code.
//   - Monitor (monitor.go) adapts the model to pulumi.WithMocks: the program runs in-process,
//     every registration is recorded as a Resource with ARM-shaped ids and outputs, and the
//     rules that can be judged on planned inputs (names, required inputs, references, the
//     orderings Azure needs) are checked on the whole plan (Monitor.Violations).
//   - Provider (provider.go) adapts the same model to the real Pulumi engine: a resource
//     provider served in-process over gRPC for each package (Serve), which the CLI attaches to
//     through PULUMI_DEBUG_PROVIDERS. Create, Update, Delete and Read run against the Cloud,
//     with the rules that need time and order (serialised writes, delete integrity, data-plane
//     paths, soft delete, approvals) and, when asked, injected faults.
//
// Every azure-native type the program registers must be described in types.go; a type that is
// not fails the registration by name instead of getting a made-up id.
package fakeazure
