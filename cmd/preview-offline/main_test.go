package main

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"azure-ml-security/internal/testing/offline"
)

func inRepoRoot(t *testing.T) {
	t.Helper()
	wd, _ := os.Getwd()
	if err := os.Chdir("../.."); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chdir(wd) })
}

// TestConfigErrorIsPrintedOnceAndLast: a bad configuration exits 1, and its error is printed
// once, as the last lines.
func TestConfigErrorIsPrintedOnceAndLast(t *testing.T) {
	inRepoRoot(t)
	var out, errOut bytes.Buffer
	if code := run("dev", "workload=BAD", false, &out, &errOut); code != 1 {
		t.Errorf("exit code %d, want 1", code)
	}
	text := out.String()
	if n := strings.Count(text, `workload = "BAD" is invalid`); n != 1 {
		t.Errorf("the error is printed %d times:\n%s", n, text)
	}
	lines := strings.Split(strings.TrimSpace(text), "\n")
	if !strings.Contains(lines[len(lines)-1], `workload = "BAD"`) {
		t.Errorf("the configuration error is not the last line:\n%s", text)
	}
}

// TestPreviewOfTheDevStack: the real engine previews the dev stack against the fake Azure.
func TestPreviewOfTheDevStack(t *testing.T) {
	if testing.Short() {
		t.Skip("engine preview skipped in -short mode")
	}
	if _, err := os.Stat(offline.CLIRoot() + "/bin/pulumi"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("no Pulumi CLI: run .ci/build-pulumi-cli")
		}
		t.Skip("no Pulumi CLI: run .ci/build-pulumi-cli")
	}
	inRepoRoot(t)
	var out, errOut bytes.Buffer
	if code := run("dev", "", false, &out, &errOut); code != 0 {
		t.Fatalf("exit code %d\n%s\n%s", code, out.String(), errOut.String())
	}
	if !strings.Contains(out.String(), "SIMULATION") || !strings.Contains(out.String(), "to create") {
		t.Errorf("unexpected output:\n%s", out.String())
	}
}
