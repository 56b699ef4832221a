package verify

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func TestTextReport(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	err := WriteText(&b, []Result{
		{Check: CheckOutboundRules, Status: Pass, Detail: "4 declared rules Active; no rule added outside the stack"},
		{Check: CheckExposure, Status: Fail, Detail: "storage account st: public network access is Enabled\nstorage account st: firewall admits 0.0.0.0/0", Fix: "run `pulumi up --refresh`\nthen look at the Activity log"},
		{Check: CheckDNS, Status: Skip, Detail: "runs outside the VNet"},
		{Check: CheckRoleAssignments, Status: Error, Detail: "missing permission (Microsoft.Authorization/roleAssignments/read)", Fix: "give it Reader"},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := `PASS   outbound rules     4 declared rules Active; no rule added outside the stack
FAIL   exposure           storage account st: public network access is Enabled
                          storage account st: firewall admits 0.0.0.0/0
       what to do: run ` + "`pulumi up --refresh`" + `
                   then look at the Activity log
SKIP   dns                runs outside the VNet
ERROR  role assignments   missing permission (Microsoft.Authorization/roleAssignments/read)
       what to do: give it Reader

1 passed, 1 failed, 1 skipped, 1 could not be checked (ERROR)
`
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

func TestJSONReport(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if err := WriteJSON(&b, []Result{{Check: CheckDNS, Status: Skip, Detail: "outside"}}); err != nil {
		t.Fatal(err)
	}
	var got []map[string]any
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"check": "dns", "status": "SKIP", "detail": "outside", "fix": ""}
	if len(got) != 1 || len(got[0]) != len(want) {
		t.Fatalf("got %v, want [%v]", got, want)
	}
	for k, v := range want {
		if got[0][k] != v {
			t.Errorf("%s = %v, want %v", k, got[0][k], v)
		}
	}
	b.Reset()
	if err := WriteJSON(&b, nil); err != nil || strings.TrimSpace(b.String()) != "[]" {
		t.Errorf("no results: %q, %v; want []", b.String(), err)
	}
}

func TestExitCode(t *testing.T) {
	t.Parallel()
	r := func(s ...Status) []Result {
		var out []Result
		for _, x := range s {
			out = append(out, Result{Status: x})
		}
		return out
	}
	for _, c := range []struct {
		results []Result
		want    int
	}{
		{r(Pass, Skip), ExitOK},
		{r(Pass, Fail), ExitFailed},
		{r(Error, Pass), ExitIncomplete},
		{r(Error, Fail), ExitFailed},
	} {
		if got := ExitCode(c.results); got != c.want {
			t.Errorf("ExitCode(%v) = %d, want %d", c.results, got, c.want)
		}
	}
}

func TestEveryCheckIsDescribed(t *testing.T) {
	t.Parallel()
	spec := privateSpec()
	w := newWorld(t, spec)
	v := serve(t, w, spec, func(o *Options) { o.Resolver = insideVNet(w) })
	described := map[string]bool{}
	for _, c := range Checks {
		described[c.Name] = true
		if len(c.Name) > checkWidth {
			t.Errorf("check name %q is wider than the report's column", c.Name)
		}
	}
	for _, r := range v.Run(ctx) {
		if !described[r.Check] {
			t.Errorf("check %q is not in Checks, so the help does not explain it", r.Check)
		}
	}
}
