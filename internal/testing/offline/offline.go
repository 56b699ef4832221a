// Package offline runs the real Pulumi engine against the fake Azure (internal/testing/fakeazure):
// the fake's providers are served in this process and the CLI attaches to them
// (PULUMI_DEBUG_PROVIDERS), with a temporary PULUMI_HOME, a local file backend, passphrase
// secrets, and a copy of the project and stack files as work dir, so nothing is downloaded,
// no plugin is built or launched, and the repository is never modified. The engine tests and
// the offline preview use it.
package offline

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/internal/testing/fakeazure"
)

// Plugins are the provider plugins the program requests, with the exact versions its SDKs
// ask for (a plugin of another version is not used, and nothing may be downloaded).
var Plugins = map[string]string{
	"azure-native": "2.90.0",
	"azuread":      "5.53.5",
	"random":       "4.18.0",
}

// Passphrase encrypts the throwaway stacks' secrets.
const Passphrase = "offline-fake-cloud"

// Env is one offline engine environment.
type Env struct {
	Dir     string // everything lives below it
	WorkDir string
	CLIRoot string
	// Cloud is the fake Azure the engine's operations run against.
	Cloud   *fakeazure.Cloud
	servers *fakeazure.Servers
	vars    map[string]string
}

// Setup prepares an environment in a new folder below parent. repo is the repository root
// (Pulumi.yaml and the stack files); cliRoot holds bin/pulumi; cloud is the fake Azure to run
// against (nil: an empty one).
func Setup(parent, repo, cliRoot string, cloud *fakeazure.Cloud) (*Env, error) {
	if _, err := os.Stat(filepath.Join(cliRoot, "bin", "pulumi")); err != nil {
		return nil, fmt.Errorf("no Pulumi CLI at %s/bin/pulumi (build one with .ci/build-pulumi-cli): %w", cliRoot, err)
	}
	if cloud == nil {
		cloud = fakeazure.New(fakeazure.Options{})
	}
	dir, err := os.MkdirTemp(parent, "offline-")
	if err != nil {
		return nil, err
	}
	e := &Env{Dir: dir, WorkDir: filepath.Join(dir, "project"), CLIRoot: cliRoot, Cloud: cloud}
	home := filepath.Join(dir, "pulumi-home")
	backend := filepath.Join(dir, "backend")
	for _, d := range []string{e.WorkDir, home, backend} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, err
		}
	}
	files, err := filepath.Glob(filepath.Join(repo, "Pulumi*.yaml"))
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		if err := copyFile(f, filepath.Join(e.WorkDir, filepath.Base(f)), 0o644); err != nil {
			return nil, err
		}
	}
	if e.servers, err = fakeazure.Serve(cloud, Plugins); err != nil {
		return nil, err
	}
	e.vars = map[string]string{
		"PULUMI_HOME":                                 home,
		"PULUMI_BACKEND_URL":                          "file://" + backend,
		"PULUMI_CONFIG_PASSPHRASE":                    Passphrase,
		"PULUMI_SKIP_UPDATE_CHECK":                    "true",
		"PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
		"PULUMI_IGNORE_AMBIENT_PLUGINS":               "true",
		"PULUMI_SKIP_CONFIRMATIONS":                   "true",
		// The engine writes the state after each operation only to survive a crash of the
		// CLI; the state at the end of every command is written either way, and these
		// commands run about twice as fast without the intermediate writes.
		"PULUMI_SKIP_CHECKPOINTS": "true",
		"PULUMI_DEBUG_PROVIDERS":  e.servers.DebugProviders(),
		// No real credentials may leak in: the fake needs none.
		"ARM_CLIENT_SECRET": "",
	}
	return e, nil
}

// Vars are the environment variables of the engine; the calling process needs them too,
// because the inline program's language host runs in it.
func (e *Env) Vars() map[string]string { return e.vars }

// Stack creates (or selects) a stack of the work dir's project running program inline.
func (e *Env) Stack(ctx context.Context, name string, program pulumi.RunFunc) (auto.Stack, error) {
	cmd, err := auto.NewPulumiCommand(&auto.PulumiCommandOptions{Root: e.CLIRoot})
	if err != nil {
		return auto.Stack{}, err
	}
	ws, err := auto.NewLocalWorkspace(ctx,
		auto.WorkDir(e.WorkDir),
		auto.Program(program),
		auto.PulumiHome(e.vars["PULUMI_HOME"]),
		auto.EnvVars(e.vars),
		auto.Pulumi(cmd),
		auto.SecretsProvider("passphrase"),
	)
	if err != nil {
		return auto.Stack{}, err
	}
	return auto.UpsertStack(ctx, name, ws)
}

// Close stops the fake's servers and removes the environment.
func (e *Env) Close() error {
	e.servers.Stop()
	return os.RemoveAll(e.Dir)
}

func copyFile(from, to string, mode os.FileMode) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, mode)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// CLIRoot finds the Pulumi CLI: $PULUMI_CLI_ROOT, else the cache .ci/build-pulumi-cli fills.
func CLIRoot() string {
	if r := os.Getenv("PULUMI_CLI_ROOT"); r != "" {
		return r
	}
	home, _ := os.UserHomeDir()
	cache := os.Getenv("XDG_CACHE_HOME")
	if cache == "" {
		cache = filepath.Join(home, ".cache")
	}
	return filepath.Join(cache, "azure-ml-security", "pulumi-v3.274.1")
}

// IsReplacement reports whether an engine operation replaces a resource.
func IsReplacement(op string) bool {
	return strings.Contains(op, "replace") || op == "create-replacement" || op == "delete-replaced"
}
