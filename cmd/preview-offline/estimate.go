package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"azure-ml-security/internal/rbac"
	"azure-ml-security/internal/testing/deploytime"
	"azure-ml-security/internal/testing/fakeazure"
	"azure-ml-security/internal/testing/stackconfig"
)

const estimateTitle = "Estimated time on Azure (an estimate from a simulated deploy, not a measurement)"

// upFailed is a simulated up that the fake Azure refused.
type upFailed struct{ err error }

func (e *upFailed) Error() string { return e.err.Error() }

// estimateUp runs `pulumi up` of the configuration on a throwaway fake Azure with timing and
// prints how long it would take on Azure, and why.
//
// The fake's operations take the model's time at 10 ms of real time per simulated minute; the
// estimate is the engine's order replayed with the model's durations, so the engine's own
// overhead, which at this scale would pass for minutes of Azure, does not count. Roles take
// effect at once in the fake (Propagation 0), so that how fast this machine runs the engine
// does not decide whether a grant was in effect in time; the estimate applies the model's
// propagation instead.
func estimateUp(ctx context.Context, parent, root, name string, cfg *stackconfig.Config, changes map[string]any, w io.Writer) error {
	timing := fakeazure.DefaultTiming()
	timing.Propagation = 0
	// The program waits for a new grant to take effect by Azure's clock (rbac.InEffect); on
	// the fake, minutes last timing.Scale.
	rbac.Propagation = time.Duration(rbac.Propagation.Minutes() * float64(timing.Scale))
	opts := cloudOptions(cfg)
	opts.Timing = timing
	cloud := fakeazure.New(opts)
	env, st, err := stackOn(ctx, parent, root, name, cfg, changes, cloud)
	if err != nil {
		return err
	}
	defer env.Close()
	// The state is written once at the end instead of after every step (pulumi/pulumi#10668):
	// the engine's order is the same and the up takes half the time.
	st.Workspace().SetEnvVar("PULUMI_SKIP_CHECKPOINTS", "true")
	rec, err := deploytime.NewRecorder(ctx, st, cloud)
	if err != nil {
		return err
	}
	run, err := rec.Measure(ctx, func() error {
		if _, err := st.Up(ctx); err != nil {
			return &upFailed{err: lastLines(err.Error(), 12)}
		}
		return nil
	})
	if err != nil {
		return err
	}
	rep, err := deploytime.Analyze(run)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  `pulumi up` of this configuration on an empty stack: about %.0f min (%.1f), of which Azure's own orderings impose at least %.0f min (%.1f; ratio %.2f).\n",
		rep.Wall, rep.Wall, rep.LowerBound, rep.LowerBound, rep.Ratio())
	fmt.Fprintf(w, "  Lower bound: %s.\n", rep.LowerBoundWhy)
	fmt.Fprintln(w, "  Critical path (the operations that set the time; * marks a wait Azure does not require):")
	var b strings.Builder
	deploytime.WriteChain(&b, rep.Critical)
	fmt.Fprint(w, indent(strings.TrimRight(b.String(), "\n"), "  "), "\n")
	for _, x := range rep.Warnings {
		fmt.Fprintln(w, "  Note:", x)
	}
	fmt.Fprintln(w, "  Durations come from internal/testing/fakeazure/durations.go (each with its public source or stated assumption); Azure's real times vary with region and load.")
	return nil
}

func indent(s, prefix string) string {
	return prefix + strings.ReplaceAll(s, "\n", "\n"+prefix)
}

// lastLines keeps the end of an engine error, where its diagnostics are.
func lastLines(s string, n int) error {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return fmt.Errorf("%s", strings.Join(lines, "\n"))
}
