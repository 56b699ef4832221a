// Command preview-offline shows what `pulumi up` would do, without an Azure subscription: it
// runs the real Pulumi engine's preview of a stack against a fake cloud (SIMULATION: no Azure
// API is called, ids and computed values are made up).
//
//	go run ./cmd/preview-offline -stack dev
//	go run ./cmd/preview-offline -stack dev -set privateWorkspace=true,createJumpVm=true -diff
//
// It needs a Pulumi CLI (.ci/build-pulumi-cli builds one the first time, about 4 minutes) and
// runs from the repository root. The preview itself runs in the root package's
// TestPreviewOffline, because the program function lives in package main.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"strings"
)

func main() {
	stack := flag.String("stack", "dev", "stack whose Pulumi.<stack>.yaml to preview")
	set := flag.String("set", "", "comma-separated key=value config changes, e.g. privateWorkspace=true")
	diff := flag.Bool("diff", false, "show property-level diffs")
	flag.Parse()
	if _, err := os.Stat("Pulumi.yaml"); err != nil {
		fail("run from the repository root (no Pulumi.yaml here)")
	}
	if _, err := os.Stat("Pulumi." + *stack + ".yaml"); err != nil {
		fail("no stack file Pulumi." + *stack + ".yaml")
	}
	root, err := exec.Command("bash", ".ci/build-pulumi-cli").Output()
	if err != nil {
		fail("could not find or build the Pulumi CLI: " + err.Error())
	}

	fmt.Printf("SIMULATION: preview of stack %q against a fake Azure (no subscription is used; ids and computed values are made up)\n\n", *stack)
	args := []string{"test", "-run", "^TestPreviewOffline$", "-count=1", "-v", ".",
		"-args", "-preview-offline=" + *stack, "-preview-set=" + *set}
	if *diff {
		args = append(args, "-preview-diff")
	}
	cmd := exec.Command("go", args...)
	cmd.Env = append(os.Environ(), "PULUMI_CLI_ROOT="+strings.TrimSpace(string(root)))
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		fail(err.Error())
	}
	if err := cmd.Start(); err != nil {
		fail(err.Error())
	}
	sc := bufio.NewScanner(out)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if framing(line) {
			continue
		}
		fmt.Println(line)
	}
	if err := cmd.Wait(); err != nil {
		os.Exit(1)
	}
}

// framing reports go test's own lines, which are not part of the preview.
func framing(line string) bool {
	for _, p := range []string{"=== RUN", "--- PASS", "--- FAIL", "--- SKIP", "PASS", "FAIL", "ok  \t", "ok \t"} {
		if strings.HasPrefix(line, p) {
			return true
		}
	}
	return false
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, "preview-offline:", msg)
	os.Exit(2)
}
