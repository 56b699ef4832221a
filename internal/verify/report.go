package verify

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// Status is the outcome of one check.
type Status string

const (
	// Pass: Azure is as the stack declares.
	Pass Status = "PASS"
	// Fail: Azure differs from what the stack declares; Fix says what to do.
	Fail Status = "FAIL"
	// Skip: the check does not apply to this stack, or cannot run from where verify runs
	// (for example DNS and data checks outside the VNet); Detail says why.
	Skip Status = "SKIP"
	// Error: verify could not check, most often because the identity running it lacks a
	// read permission ("missing permission (<action>)"). It is not a verdict on the
	// deployment, but the run still exits non-zero: nothing was proven.
	Error Status = "ERROR"
)

// Result is one line of the report.
type Result struct {
	Check  string `json:"check"`
	Status Status `json:"status"`
	// Detail says what was found; several findings are separate lines.
	Detail string `json:"detail"`
	// Fix says what to do, for FAIL and ERROR; empty otherwise.
	Fix string `json:"fix"`
}

const (
	statusWidth = 5  // len("ERROR")
	checkWidth  = 17 // len("endpoint approval")
)

// WriteText prints results one per line: status, check, detail; continuation lines of a
// detail are aligned under it, and a FAIL or ERROR is followed by an indented "what to do:"
// line. A summary line ends the report.
func WriteText(w io.Writer, results []Result) error {
	var b strings.Builder
	detailIndent := strings.Repeat(" ", statusWidth+2+checkWidth+2)
	fixIndent := strings.Repeat(" ", statusWidth+2)
	for _, r := range results {
		lines := strings.Split(r.Detail, "\n")
		fmt.Fprintf(&b, "%-*s  %-*s  %s\n", statusWidth, r.Status, checkWidth, r.Check, lines[0])
		for _, l := range lines[1:] {
			b.WriteString(detailIndent + l + "\n")
		}
		if r.Fix != "" {
			fix := strings.Split(r.Fix, "\n")
			b.WriteString(fixIndent + "what to do: " + fix[0] + "\n")
			for _, l := range fix[1:] {
				b.WriteString(fixIndent + strings.Repeat(" ", len("what to do: ")) + l + "\n")
			}
		}
	}
	b.WriteString("\n" + Summary(results) + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteJSON prints results as a JSON array of {check, status, detail, fix}.
func WriteJSON(w io.Writer, results []Result) error {
	if results == nil {
		results = []Result{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(results)
}

// Summary counts the results by status.
func Summary(results []Result) string {
	n := map[Status]int{}
	for _, r := range results {
		n[r.Status]++
	}
	return fmt.Sprintf("%d passed, %d failed, %d skipped, %d could not be checked (ERROR)",
		n[Pass], n[Fail], n[Skip], n[Error])
}

// Exit codes of the verify command.
const (
	ExitOK = 0
	// ExitFailed: at least one check failed.
	ExitFailed = 1
	// ExitIncomplete: no check failed, but at least one could not be checked (ERROR), or
	// verify itself could not run.
	ExitIncomplete = 2
)

// ExitCode is ExitFailed when any check failed, else ExitIncomplete when any could not be
// checked, else ExitOK (PASS and SKIP only).
func ExitCode(results []Result) int {
	code := ExitOK
	for _, r := range results {
		switch r.Status {
		case Fail:
			return ExitFailed
		case Error:
			code = ExitIncomplete
		}
	}
	return code
}
