package deploytime

import (
	"fmt"
	"io"
	"math"
	"strings"
)

// Write prints the report: the three numbers, the critical path and the warnings.
func (r *Report) Write(w io.Writer) {
	fmt.Fprintf(w, "simulated wall %.1f min · lower bound %.1f min · ratio %.2f (the run itself: %.1f min at this scale, engine overhead included)\n",
		r.Wall, r.LowerBound, r.Ratio(), r.Observed)
	fmt.Fprintf(w, "lower bound: %s\n", r.LowerBoundWhy)
	fmt.Fprintln(w, "critical path (* marks a wait Azure does not require):")
	WriteChain(w, r.Critical)
	if len(r.Required) > 1 && math.Abs(r.Required[len(r.Required)-1].End-r.LowerBound) < 1e-6 {
		fmt.Fprintln(w, "the lower bound's chain (Azure's orderings alone):")
		WriteChain(w, r.Required)
	}
	if len(r.Warnings) > 0 {
		fmt.Fprintln(w, "warnings:")
		for _, x := range r.Warnings {
			fmt.Fprintln(w, "  -", x)
		}
	}
}

// WriteChain prints a chain, one operation a line: start, minutes, operation, type, name, and
// what it waited for ("*" marks a wait Azure does not require).
func WriteChain(w io.Writer, chain []Link) {
	fmt.Fprintf(w, "  %6s %6s  %-6s  %-50s  %-45s  %s\n", "start", "min", "op", "type", "resource", "waited for the previous one because")
	for _, l := range chain {
		mark := " "
		if !l.Required && len(l.Reasons) > 0 && l.Reasons[0] != "start" {
			mark = "*"
		}
		why := strings.Join(l.Reasons, "; ")
		if l.Gap > 0 {
			why = fmt.Sprintf("%s (+%.1f min)", why, l.Gap)
		}
		fmt.Fprintf(w, "  %6.2f %6.2f  %-6s  %-50s  %-45s %s %s\n", l.Start, l.Op.Minutes, l.Op.Kind, l.Op.Key, l.Op.Name, mark, why)
	}
}
