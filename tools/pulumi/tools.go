//go:build tools

// Package tools pins the Pulumi CLI that the engine tests and the offline preview use. It is
// a separate module so that the CLI's large dependency graph never enters the program's
// go.mod: build it with .ci/build-pulumi-cli.
package tools

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
