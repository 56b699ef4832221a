// Command verify proves, on the real subscription after `pulumi up`, that a stack's Azure ML
// workspace is ready and as private as its configuration says: it reads what the stack
// declares (its "verification" output) and compares it with what Azure did. It only reads.
//
//	go run ./cmd/verify -stack dev
//	go run ./cmd/verify -stack private -json
//
// The checks live in internal/verify; this command reads the stack's outputs through the
// Pulumi Automation API, signs in with DefaultAzureCredential and prints the report.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/pulumi/pulumi/sdk/v3/go/auto"

	"azure-ml-security/internal/verify"
	"azure-ml-security/internal/verifyspec"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr, azure()))
}

// links are the command's ties to the outside world, replaced in tests.
type links struct {
	// outputs reads a stack's outputs.
	outputs func(ctx context.Context, stack, dir string) (map[string]any, error)
	// credential signs in to Azure.
	credential func() (azcore.TokenCredential, error)
	// options point the checks at Azure (the zero value) or at a test server.
	options verify.Options
}

func azure() links {
	return links{
		outputs: stackOutputs,
		// az login, AZURE_* variables, workload identity (OIDC), managed identity:
		// https://aka.ms/azsdk/go/identity/credential-chains#defaultazurecredential-overview
		credential: func() (azcore.TokenCredential, error) { return azidentity.NewDefaultAzureCredential(nil) },
	}
}

// stackOutputs reads the outputs of the stack the user deployed, from whatever backend the
// Pulumi CLI is logged in to (`pulumi stack output`, through the Automation API).
func stackOutputs(ctx context.Context, stack, dir string) (map[string]any, error) {
	st, err := auto.SelectStackLocalSource(ctx, stack, dir)
	if err != nil {
		return nil, fmt.Errorf("select stack %q of the project in %s: %w", stack, dir, err)
	}
	out, err := st.Outputs(ctx)
	if err != nil {
		return nil, fmt.Errorf("read the outputs of stack %q: %w", stack, err)
	}
	values := make(map[string]any, len(out))
	for k, v := range out {
		values[k] = v.Value
	}
	return values, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer, l links) int {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	stack := fs.String("stack", "", "the `name` of the stack to verify, as pulumi stack ls lists it (required), e.g. dev")
	asJSON := fs.Bool("json", false, "print a JSON array of {check, status, detail, fix} instead of the text report")
	dir := fs.String("dir", ".", "the `folder` that holds Pulumi.yaml (the repository root)")
	timeout := fs.Duration("timeout", 10*time.Minute, "give up after this long")
	fs.Usage = func() { usage(fs) }
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return verify.ExitOK
		}
		return verify.ExitIncomplete
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "verify: "+format+"\n", a...)
		return verify.ExitIncomplete
	}
	if *stack == "" {
		return fail("-stack is required, e.g. go run ./cmd/verify -stack dev (see -h)")
	}
	if fs.NArg() > 0 {
		return fail("unexpected arguments %q (see -h)", fs.Args())
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()

	outputs, err := l.outputs(ctx, *stack, *dir)
	if err != nil {
		return fail("%v\nRun it from the repository root (or give -dir), logged in to the stack's Pulumi backend.", err)
	}
	spec, err := specFrom(outputs, *stack)
	if err != nil {
		return fail("%v", err)
	}
	cred, err := l.credential()
	if err != nil {
		return fail("no Azure credential: %v", err)
	}
	v, err := verify.New(spec, cred, l.options)
	if err != nil {
		return fail("%v", err)
	}
	if !*asJSON {
		header(stdout, *stack, spec, outputs)
	}
	results := v.Run(ctx)
	if *asJSON {
		err = verify.WriteJSON(stdout, results)
	} else {
		err = verify.WriteText(stdout, results)
	}
	if err != nil {
		return fail("write the report: %v", err)
	}
	return verify.ExitCode(results)
}

// specFrom decodes the "verification" output: a JSON object (the Automation API hands it
// over decoded) or its text. resourceGroupName and workspaceName fill in what it lacks.
func specFrom(outputs map[string]any, stack string) (verifyspec.Spec, error) {
	var spec verifyspec.Spec
	raw, ok := outputs[verifyspec.OutputName]
	if !ok || raw == nil {
		return spec, fmt.Errorf("stack %q has no output %q: run `pulumi up` with this version of the program first (the output is what verify checks against)",
			stack, verifyspec.OutputName)
	}
	var text []byte
	switch x := raw.(type) {
	case string:
		text = []byte(x)
	default:
		b, err := json.Marshal(x)
		if err != nil {
			return spec, fmt.Errorf("output %q of stack %q: %w", verifyspec.OutputName, stack, err)
		}
		text = b
	}
	if err := json.Unmarshal(text, &spec); err != nil {
		return spec, fmt.Errorf("output %q of stack %q is not what verify reads: %w", verifyspec.OutputName, stack, err)
	}
	if s, ok := outputs["resourceGroupName"].(string); ok && spec.ResourceGroupName == "" {
		spec.ResourceGroupName = s
	}
	if s, ok := outputs["workspaceName"].(string); ok && spec.Workspace.Name == "" {
		spec.Workspace.Name = s
	}
	return spec, nil
}

func header(w io.Writer, stack string, spec verifyspec.Spec, outputs map[string]any) {
	fmt.Fprintf(w, "verify: stack %s, workspace %s in resource group %s (subscription %s)\n",
		stack, orDash(spec.Workspace.Name), spec.ResourceGroupName, spec.SubscriptionID)
	if s, ok := outputs["studioUrl"].(string); ok && s != "" {
		fmt.Fprintf(w, "studio: %s\n", s)
	}
	if spec.Private {
		fmt.Fprintln(w, "mode: private (privateWorkspace): every resource reachable only through private endpoints")
	} else {
		fmt.Fprintf(w, "mode: public, admitting allowedIpAddresses %s\n", orDash(strings.Join(spec.AllowedIPs, ", ")))
	}
	fmt.Fprintln(w)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func usage(fs *flag.FlagSet) {
	w := fs.Output()
	fmt.Fprint(w, `verify proves, after `+"`pulumi up`"+`, that what Azure built is what the stack declares: the
workspace is ready, its managed network reaches the data through approved private endpoints,
and everything is as private as the configuration says. It only reads.

Usage:
  go run ./cmd/verify -stack <stack> [-json] [-dir <repository root>] [-timeout 10m]

It reads the stack's outputs with the Pulumi Automation API (run it where `+"`pulumi stack output`"+`
works) and signs in to Azure with DefaultAzureCredential: `+"`az login`"+`, the AZURE_* environment
variables, workload identity (OIDC) or a managed identity.

Checks:
`)
	for _, c := range verify.Checks {
		fmt.Fprint(w, wrap(fmt.Sprintf("  %-19s", c.Name), c.Means, 96))
	}
	fmt.Fprint(w, `
Each check prints its status, and a FAIL or ERROR what to do:
  PASS   Azure is as the stack declares
  FAIL   Azure differs; the indented "what to do:" line says how to put it right
  SKIP   does not apply to this stack, or cannot be judged from where verify runs: in a private
         stack, DNS and the data path need the VNet (run verify on the jump VM)
  ERROR  verify could not check, most often a missing read permission: "missing permission
         (<action>)"; this says nothing about the deployment, but proves nothing either

Permissions (all read-only): Reader on the resource group; Storage Blob Data Reader on the data
accounts to read the sample data; a database user for your Entra identity for SELECT 1.

Exit code: 0 when nothing failed, 1 when a check failed, 2 when nothing failed but a check could
not be checked (ERROR) or verify could not run.

Flags:
`)
	fs.PrintDefaults()
}

// wrap writes text after prefix, wrapped at width with continuation lines under the text.
func wrap(prefix, text string, width int) string {
	var b strings.Builder
	line := prefix
	indent := strings.Repeat(" ", len(prefix))
	for _, word := range strings.Fields(text) {
		if len(line)+1+len(word) > width && strings.TrimSpace(line) != strings.TrimSpace(prefix) {
			b.WriteString(line + "\n")
			line = indent
		}
		if line != indent && line != prefix {
			line += " "
		}
		line += word
	}
	b.WriteString(line + "\n")
	return b.String()
}
