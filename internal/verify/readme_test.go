package verify

import (
	"os"
	"strings"
	"testing"
)

// TestREADMESample: the sample report in the README is what verify prints for its scenario (a
// dev stack where someone added an IP rule and an FQDN rule in the portal, and the SQL
// endpoint is not approved yet), so the README cannot drift from the code. The names are this
// package's test fixture's. Print the current report with VERIFY_README_SAMPLE=1 go test -run
// TestREADMESample -v ./internal/verify.
func TestREADMESample(t *testing.T) {
	spec := devSpec()
	spec.Workspace.FirewallSku = "Basic" // the program's default
	spec.Datastores[0].Name, spec.Datastores[1].Name = "datalake", "blobs"
	spec.Connections[0].Name = "sqldb"
	w := newWorld(t, spec)
	w.resource(blobID).ipRules = append(w.resource(blobID).ipRules, "192.0.2.77")
	w.rules = append(w.rules, azRule{"pypi", "FQDN", "UserDefined", "Active", "pypi.org"})
	w.rule("sql-server").status = "Inactive"
	for i, c := range w.resource(sqlID).conns {
		if strings.HasSuffix(c.name, ".sql-server") {
			w.resource(sqlID).conns[i].status = "Pending"
		}
	}
	var b strings.Builder
	if err := WriteText(&b, serve(t, w, spec).Run(ctx)); err != nil {
		t.Fatal(err)
	}
	got := b.String()
	if os.Getenv("VERIFY_README_SAMPLE") != "" {
		t.Log("\n" + got)
	}
	raw, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	const start = "<!-- verify sample: TestREADMESample -->\n```text\n"
	_, rest, ok := strings.Cut(string(raw), start)
	if !ok {
		t.Fatalf("README has no block after %q", start)
	}
	sample, _, _ := strings.Cut(rest, "```\n")
	if sample != got {
		t.Errorf("README's sample report differs from what verify prints; replace it with:\n%s", got)
	}
}
