package main

import (
	"bytes"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
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
	if code := run("dev", "workload=BAD", false, true, &out, &errOut); code != 1 {
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

// devRun is the tool's run on the dev stack, made once for the tests that read its output.
var devRun struct {
	once      sync.Once
	code      int
	out, errs string
}

// runDev runs the tool on the dev stack (preview and estimate) once, or skips without a
// Pulumi CLI.
func runDev(t *testing.T) (int, string, string) {
	t.Helper()
	if testing.Short() {
		t.Skip("engine preview skipped in -short mode")
	}
	if _, err := os.Stat(offline.CLIRoot() + "/bin/pulumi"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("no Pulumi CLI: run .ci/build-pulumi-cli")
		}
		t.Skip("no Pulumi CLI: run .ci/build-pulumi-cli")
	}
	devRun.once.Do(func() {
		inRepoRoot(t)
		var out, errOut bytes.Buffer
		devRun.code = run("dev", "", false, true, &out, &errOut)
		devRun.out, devRun.errs = out.String(), errOut.String()
	})
	return devRun.code, devRun.out, devRun.errs
}

// TestPreviewOfTheDevStack: the real engine previews the dev stack against the fake Azure.
func TestPreviewOfTheDevStack(t *testing.T) {
	code, out, errs := runDev(t)
	if code != 0 {
		t.Fatalf("exit code %d\n%s\n%s", code, out, errs)
	}
	if !strings.Contains(out, "SIMULATION") || !strings.Contains(out, "to create") {
		t.Errorf("unexpected output:\n%s", out)
	}
}

// TestEstimateOfTheDevStack: after the preview, the tool estimates the time of `pulumi up`
// from a simulated deploy: a wall time, a lower bound no larger, and a critical path whose
// operations follow one another and whose last one ends at the wall time.
func TestEstimateOfTheDevStack(t *testing.T) {
	code, out, errs := runDev(t)
	if code != 0 {
		t.Fatalf("exit code %d\n%s\n%s", code, out, errs)
	}
	_, section, ok := strings.Cut(out, estimateTitle)
	if !ok {
		t.Fatalf("no section %q:\n%s", estimateTitle, out)
	}
	m := regexp.MustCompile(`about \d+ min \(([\d.]+)\), of which Azure's own orderings impose at least \d+ min \(([\d.]+);`).FindStringSubmatch(section)
	if m == nil {
		t.Fatalf("the section gives no wall time and lower bound:\n%s", section)
	}
	wall, _ := strconv.ParseFloat(m[1], 64)
	lb, _ := strconv.ParseFloat(m[2], 64)
	if wall < 5 || lb > wall {
		t.Errorf("wall %.1f min, lower bound %.1f min:\n%s", wall, lb, section)
	}
	row := regexp.MustCompile(`(?m)^\s+([\d.]+)\s+([\d.]+)\s+(create|update|delete)\s+\S+\s+\S+`)
	rows := row.FindAllStringSubmatch(section, -1)
	if len(rows) < 2 {
		t.Fatalf("no critical path:\n%s", section)
	}
	end := 0.0
	for _, r := range rows {
		start, _ := strconv.ParseFloat(r[1], 64)
		minutes, _ := strconv.ParseFloat(r[2], 64)
		if start < end-0.01 {
			t.Errorf("%q starts before the previous operation of the critical path ends (%.2f)", r[0], end)
		}
		end = start + minutes
	}
	if end < wall-0.1 || end > wall+0.1 {
		t.Errorf("the critical path ends at %.2f min, the wall time is %.1f min:\n%s", end, wall, section)
	}
}
