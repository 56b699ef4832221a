// Command preview-offline shows what `pulumi up` would do, without an Azure subscription: it
// runs the real Pulumi engine's preview of a stack against the fake Azure
// (internal/testing/fakeazure), then judges the whole plan against the fake's rules of what
// Azure refuses. SIMULATION: no Azure API is called, ids and computed values are made up.
//
//	go run ./cmd/preview-offline -stack dev
//	go run ./cmd/preview-offline -stack dev -set privateWorkspace=true,createJumpVm=true -diff
//
// After the preview it estimates how long `pulumi up` of the configuration takes on Azure:
// it runs the up on a second, throwaway fake Azure whose operations take the time the
// deploy-time model gives them (internal/testing/fakeazure/durations.go) and prints the
// simulated wall time, the lower bound Azure's own orderings impose and the critical path
// (internal/testing/deploytime). -estimate=false skips it.
//
// It needs a Pulumi CLI (.ci/build-pulumi-cli builds one the first time, about 5 minutes) and
// runs from the repository root. The exit code is 1 when the configuration is invalid, the
// preview fails, the plan breaks a rule or the simulated up fails, 2 when the tool itself
// cannot run.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/internal/stack"
	"azure-ml-security/internal/testing/fakeazure"
	"azure-ml-security/internal/testing/offline"
	"azure-ml-security/internal/testing/stackconfig"
)

func main() {
	name := flag.String("stack", "dev", "stack whose Pulumi.<stack>.yaml to preview")
	set := flag.String("set", "", "comma-separated key=value config changes, e.g. privateWorkspace=true")
	diff := flag.Bool("diff", false, "show property-level diffs")
	estimate := flag.Bool("estimate", true, "after the preview, estimate the time of `pulumi up` on Azure from a simulated deploy")
	flag.Parse()
	os.Exit(run(*name, *set, *diff, *estimate, os.Stdout, os.Stderr))
}

func run(name, set string, diff, estimate bool, stdout, stderr io.Writer) int {
	fail := func(err error) int {
		fmt.Fprintln(stderr, "preview-offline:", err)
		return 2
	}
	cfg, err := stackconfig.Load(".", name)
	if err != nil {
		return fail(fmt.Errorf("run from the repository root with an existing stack file: %w", err))
	}
	changes, err := parseSet(set)
	if err != nil {
		return fail(err)
	}
	for k, v := range changes {
		if err := cfg.Set(k, v, false); err != nil {
			return fail(err)
		}
	}
	fmt.Fprintf(stdout, "SIMULATION: preview of stack %q against a fake Azure (no subscription is used; ids and computed values are made up)\n\n", name)

	// The program under mocks first: it is quick, and a configuration error is reported once,
	// as the program reports it, without an engine run that would print it again.
	plan, err := planMocked(name, cfg)
	if err != nil {
		fmt.Fprintln(stdout, "The program stops before it registers any resource:")
		fmt.Fprintln(stdout, err)
		return 1
	}

	root, err := cliRoot()
	if err != nil {
		return fail(err)
	}
	parent, err := os.MkdirTemp("", "preview-offline-")
	if err != nil {
		return fail(err)
	}
	defer os.RemoveAll(parent)
	ctx := context.Background()
	env, st, err := stackOn(ctx, parent, root, name, cfg, changes, fakeazure.New(cloudOptions(cfg)))
	if err != nil {
		return fail(err)
	}
	defer env.Close()
	opts := []optpreview.Option{optpreview.ProgressStreams(stdout)}
	if diff {
		opts = append(opts, optpreview.Diff())
	}
	code := 0
	if _, err := st.Preview(ctx, opts...); err != nil {
		// The engine has printed its diagnostics above; its error repeats them.
		if !auto.IsCompilationError(err) && !auto.IsRuntimeError(err) && !isPreviewFailure(err) {
			return fail(err)
		}
		fmt.Fprintln(stdout, "\nThe preview failed: see the diagnostics above.")
		code = 1
	}
	if v := plan.Violations(); len(v) > 0 {
		fmt.Fprintf(stdout, "\nAzure would refuse this plan (%d rule(s) of the fake Azure):\n", len(v))
		for _, e := range v {
			fmt.Fprintln(stdout, "  -", e)
		}
		code = 1
	}
	if estimate && code == 0 {
		fmt.Fprintf(stdout, "\n%s\n", estimateTitle)
		if err := estimateUp(ctx, parent, root, name, cfg, changes, stdout); err != nil {
			var failed *upFailed
			if !errors.As(err, &failed) {
				return fail(err)
			}
			fmt.Fprintln(stdout, "  The simulated `pulumi up` failed, so Azure would likely refuse the deployment too:")
			fmt.Fprintln(stdout, indent(failed.Error(), "    "))
			code = 1
		}
	}
	return code
}

// stackOn creates the stack in a new offline environment over cloud, with the -set changes.
func stackOn(ctx context.Context, parent, root, name string, cfg *stackconfig.Config, changes map[string]any, cloud *fakeazure.Cloud) (*offline.Env, auto.Stack, error) {
	env, err := offline.Setup(parent, ".", root, cloud)
	if err != nil {
		return nil, auto.Stack{}, err
	}
	// The inline program's language host runs in this process: it needs the engine's
	// environment too.
	for k, v := range env.Vars() {
		os.Setenv(k, v)
	}
	st, err := env.Stack(ctx, name, stack.Deploy)
	if err != nil {
		env.Close()
		return nil, auto.Stack{}, err
	}
	for k, v := range changes {
		if !strings.Contains(k, ":") {
			k = cfg.Project + ":" + k
		}
		if err := st.SetConfig(ctx, k, auto.ConfigValue{Value: fmt.Sprint(v)}); err != nil {
			env.Close()
			return nil, auto.Stack{}, err
		}
	}
	return env, st, nil
}

// planMocked runs the program under mocks with the stack's configuration.
func planMocked(name string, cfg *stackconfig.Config) (*fakeazure.Monitor, error) {
	os.Setenv(pulumi.EnvConfig, cfg.JSON())
	defer os.Unsetenv(pulumi.EnvConfig)
	m, err := fakeazure.RunMocked(cfg.Project, name, cloudOptions(cfg), stack.Deploy, func(info *pulumi.RunInfo) {
		info.Config = cfg.Values
		info.ConfigSecretKeys = cfg.Secrets
	})
	if err != nil {
		return nil, unwrapRunErr(err)
	}
	return m, nil
}

// cloudOptions is the fake Azure a configuration runs against. The deployer is taken to call
// from the first allowed address, as the README asks; what the configuration says exists
// already (a landing zone's subnets and DNS zones) exists; and so do the people it names
// (workspaceUsers, computeInstanceUserObjectId), with the types it gives them: the tool cannot
// look into the real directory, and a preview must not fail on an id it cannot check.
func cloudOptions(cfg *stackconfig.Config) fakeazure.Options {
	dir := map[string]string{}
	var users []struct{ ObjectID, Type string }
	if err := json.Unmarshal([]byte(cfg.Values[cfg.Project+":workspaceUsers"]), &users); err == nil {
		for _, u := range users {
			dir[u.ObjectID] = u.Type
		}
	}
	if id := cfg.Values[cfg.Project+":computeInstanceUserObjectId"]; id != "" {
		dir[id] = fakeazure.PrincipalUser
	}
	return fakeazure.Options{CallerIP: cfg.CallerIP(), Existing: fakeazure.Preexisting(cfg.ExistingIDs()...), Directory: dir}
}

// unwrapRunErr drops the "1 error occurred" framing pulumi.RunErr adds.
func unwrapRunErr(err error) error {
	msg := err.Error()
	if i := strings.Index(msg, "* "); i >= 0 && strings.HasPrefix(msg, "1 error occurred") {
		return errors.New(strings.TrimSpace(msg[i+2:]))
	}
	return err
}

func isPreviewFailure(err error) bool {
	return strings.Contains(err.Error(), "failed to run preview")
}

func parseSet(set string) (map[string]any, error) {
	out := map[string]any{}
	if set == "" {
		return out, nil
	}
	for _, kv := range strings.Split(set, ",") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("-set %q: want key=value", kv)
		}
		out[k] = v
	}
	return out, nil
}

// cliRoot finds the Pulumi CLI, building it with .ci/build-pulumi-cli the first time.
func cliRoot() (string, error) {
	root := offline.CLIRoot()
	if _, err := os.Stat(root + "/bin/pulumi"); err == nil {
		return root, nil
	}
	fmt.Fprintln(os.Stderr, "preview-offline: building the Pulumi CLI once (about 5 minutes)...")
	out, err := exec.Command("bash", ".ci/build-pulumi-cli").Output()
	if err != nil {
		return "", fmt.Errorf("could not find or build the Pulumi CLI: %w", err)
	}
	return strings.TrimSpace(string(out)), nil
}
