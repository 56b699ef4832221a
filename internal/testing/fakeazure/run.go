package fakeazure

import "github.com/pulumi/pulumi/sdk/v3/go/pulumi"

// RunMocked runs program under pulumi.WithMocks against a new Monitor and returns the monitor
// with what it recorded, and the program's error. info, when given, sets the run's
// configuration.
func RunMocked(project, stack string, opts Options, program pulumi.RunFunc, info ...func(*pulumi.RunInfo)) (*Monitor, error) {
	m := NewMonitor(project, stack, opts)
	runOpts := []pulumi.RunOption{pulumi.WithMocks(project, stack, m)}
	for _, f := range info {
		runOpts = append(runOpts, pulumi.RunOption(f))
	}
	return m, pulumi.RunErr(program, runOpts...)
}
