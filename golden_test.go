package main

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden snapshots in testdata/golden")

func TestStacksPlan(t *testing.T) {
	for _, name := range stacks {
		t.Run(name, func(t *testing.T) {
			m := mustPlan(t, name, nil)
			if n := len(m.Find("machinelearningservices:Workspace")); n != 1 {
				t.Fatalf("want one ML workspace, got %d", n)
			}
			for _, r := range m.Resources() {
				// One provider instance for the SDK modules and the hand-registered tokens: every
				// azure-native SDK constructor of v2.90.0 passes pulumi.Version("2.90.0").
				if r.Custom && strings.HasPrefix(r.Type, "azure-native:") && r.Version != "2.90.0" {
					t.Errorf("%s %s registered with provider version %q, want 2.90.0", r.Type, r.Name, r.Version)
				}
				if r.Parent == "" && r.Type != "pulumi:pulumi:Stack" {
					t.Errorf("%s %s has no parent", r.Type, r.Name)
				}
			}
		})
	}
}

// TestGolden compares every registered resource (type, name, parent, aliases, inputs with
// secrets masked, explicit dependsOn) with testdata/golden/<stack>.json. Run `go test -run
// TestGolden -update` after a reviewed change.
func TestGolden(t *testing.T) {
	for _, name := range stacks {
		t.Run(name, func(t *testing.T) {
			got := snapshot(mustPlan(t, name, nil))
			path := filepath.Join("testdata", "golden", name+".json")
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
				t.Errorf("plan of %s differs from %s; review the change and run: go test -run TestGolden -update\n%s", name, path, firstDiff(string(want), string(got)))
			}
		})
	}
}

func BenchmarkPlan(b *testing.B) {
	for _, name := range stacks {
		b.Run(name, func(b *testing.B) {
			cfg := loadStack(b, name)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := plan(b, name, cfg); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
