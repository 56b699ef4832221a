package main

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestProgramDoesNotLinkTestTooling: what `pulumi up` runs (this module's main package and
// everything it imports) contains no package of internal/testing, the fake Azure and the
// harnesses that only tests and developer tools use.
func TestProgramDoesNotLinkTestTooling(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps .: %v", err)
	}
	deps := strings.Fields(string(out))
	if !slices.Contains(deps, "azure-ml-security/internal/stack") {
		t.Fatalf("the program's dependencies do not include internal/stack: %v", deps)
	}
	for _, d := range deps {
		if strings.HasPrefix(d, "azure-ml-security/internal/testing") {
			t.Errorf("the program links test tooling: %s", d)
		}
	}
}
