package main

import (
	"os"
	"strings"
	"testing"

	"azure-ml-security/internal/testing/fakeazure"
)

// readmeSection returns the README's text under a "## " heading, up to the next one.
func readmeSection(t *testing.T, heading string) string {
	t.Helper()
	raw, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(raw), "\n## "+heading+"\n")
	if !ok {
		t.Fatalf("README has no section %q", heading)
	}
	if i := strings.Index(rest, "\n## "); i >= 0 {
		rest = rest[:i]
	}
	return rest
}

// TestREADMEListsEveryRule: the README's catalogue has a row for each rule of the fake Azure,
// with its source, so what the tests enforce is what the README says.
func TestREADMEListsEveryRule(t *testing.T) {
	section := readmeSection(t, "The fake Azure's rules")
	for _, r := range fakeazure.Catalogue() {
		row := "| `" + r.ID + "` |"
		i := strings.Index(section, row)
		if i < 0 {
			t.Errorf("README's catalogue lacks rule %s (regenerate it: FAKEAZURE_CATALOGUE_TABLE=/tmp/t.md go test -run TestCatalogueTable ./internal/testing/fakeazure)", r.ID)
			continue
		}
		line := section[i:]
		line = strings.ReplaceAll(line[:strings.Index(line, "\n")], "\\", "") // Markdown escapes
		if !strings.Contains(line, r.Source) || !strings.Contains(line, r.Where) {
			t.Errorf("README's row of rule %s is out of date: %s", r.ID, line)
		}
	}
}

// TestREADMEListsEveryKey: every key Pulumi.yaml declares has a row in the README's
// configuration table.
func TestREADMEListsEveryKey(t *testing.T) {
	section := readmeSection(t, "Configuration")
	for _, k := range loadStack(t, "dev").Declared {
		if !strings.Contains(section, "`"+k+"`") {
			t.Errorf("README's configuration table lacks %s", k)
		}
	}
}
