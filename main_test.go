package main

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/internal/mockcloud"
	"azure-ml-security/internal/stackconfig"
)

var update = flag.Bool("update", false, "rewrite the golden snapshots in testdata/golden")

// stacks are the committed stack files; every test that plans runs for each.
var stacks = []string{"dev", "private"}

// loadStack merges Pulumi.yaml and Pulumi.<stack>.yaml the way the CLI does.
func loadStack(t testing.TB, stack string) *stackconfig.Config {
	t.Helper()
	cfg, err := stackconfig.Load(".", stack)
	if err != nil {
		t.Fatalf("loading stack %s: %v", stack, err)
	}
	return cfg
}

// plan runs the real program function under mocks with cfg. PULUMI_CONFIG is set as the CLI
// sets it, so the program's unknown-key check sees the whole configuration.
func plan(t testing.TB, stack string, cfg *stackconfig.Config) (*mockcloud.Cloud, error) {
	t.Helper()
	t.Setenv(pulumi.EnvConfig, cfg.JSON())
	cloud := mockcloud.New(cfg.Project, stack)
	err := pulumi.RunErr(deployStack, pulumi.WithMocks(cfg.Project, stack, cloud), func(info *pulumi.RunInfo) {
		info.Config = cfg.Values
		info.ConfigSecretKeys = cfg.Secrets
	})
	return cloud, err
}

// mustPlan plans a stack, optionally with config changes applied on top of its file.
func mustPlan(t testing.TB, stack string, changes map[string]any) *mockcloud.Cloud {
	t.Helper()
	cfg := loadStack(t, stack)
	for k, v := range changes {
		if err := cfg.Set(k, v, false); err != nil {
			t.Fatal(err)
		}
	}
	cloud, err := plan(t, stack, cfg)
	if err != nil {
		t.Fatalf("planning %s with %v: %v", stack, changes, err)
	}
	return cloud
}

// one returns the only custom resource of a type key with this logical name.
func one(t testing.TB, cloud *mockcloud.Cloud, key, name string) *mockcloud.Resource {
	t.Helper()
	r := cloud.ByName(key, name)
	if r == nil {
		var names []string
		for _, x := range cloud.Find(key) {
			names = append(names, x.Name)
		}
		t.Fatalf("no %s named %q (have %v)", key, name, names)
	}
	return r
}

func TestStacksPlan(t *testing.T) {
	for _, stack := range stacks {
		t.Run(stack, func(t *testing.T) {
			cloud := mustPlan(t, stack, nil)
			if n := len(cloud.Find("machinelearningservices:Workspace")); n != 1 {
				t.Fatalf("want one ML workspace, got %d", n)
			}
			for _, r := range cloud.Resources() {
				if !r.Custom {
					continue
				}
				// One provider instance for the SDK modules and the hand-registered tokens
				// (azure-reference.md §1).
				if strings.HasPrefix(r.Type, "azure-native:") && r.Version != "2.90.0" {
					t.Errorf("%s %s registered with provider version %q, want 2.90.0", r.Type, r.Name, r.Version)
				}
			}
		})
	}
}

// TestGolden compares every registered resource (type, name, parent, inputs with secrets
// masked, explicit dependsOn) with testdata/golden/<stack>.json. Run `go test -run TestGolden
// -update` after a reviewed change.
func TestGolden(t *testing.T) {
	for _, stack := range stacks {
		t.Run(stack, func(t *testing.T) {
			got := snapshot(mustPlan(t, stack, nil))
			path := filepath.Join("testdata", "golden", stack+".json")
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run: go test -run TestGolden -update)", err)
			}
			if string(want) != string(got) {
				t.Errorf("plan of %s differs from %s; review the change and run: go test -run TestGolden -update\n%s", stack, path, firstDiff(string(want), string(got)))
			}
		})
	}
}

func snapshot(cloud *mockcloud.Cloud) []byte {
	type entry struct {
		Type      string         `json:"type"`
		Name      string         `json:"name"`
		Parent    string         `json:"parent,omitempty"`
		Component bool           `json:"component,omitempty"`
		Inputs    map[string]any `json:"inputs,omitempty"`
		DependsOn []string       `json:"dependsOn,omitempty"`
	}
	var entries []entry
	for _, r := range cloud.Resources() {
		e := entry{Type: r.Type, Name: r.Name, Component: !r.Custom}
		if r.Parent != "" {
			e.Parent = mockcloud.Short(r.Parent)
		}
		if r.Custom {
			e.Inputs = map[string]any{}
			for k, v := range r.Inputs {
				e.Inputs[string(k)] = mockcloud.Plain(v)
			}
		}
		for _, d := range r.DependsOn {
			e.DependsOn = append(e.DependsOn, mockcloud.Short(d))
		}
		entries = append(entries, e)
	}
	b, _ := json.MarshalIndent(entries, "", "  ")
	return append(b, '\n')
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			return "line " + itoa(i+1) + ":\n  golden: " + x + "\n  plan:   " + y
		}
	}
	return ""
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }

func BenchmarkPlan(b *testing.B) {
	for _, stack := range stacks {
		b.Run(stack, func(b *testing.B) {
			cfg := loadStack(b, stack)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := plan(b, stack, cfg); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
