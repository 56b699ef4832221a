package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
)

var (
	previewStack = flag.String("preview-offline", "", "stack to preview against the fake cloud (used by cmd/preview-offline)")
	previewSet   = flag.String("preview-set", "", "comma-separated key=value config changes for -preview-offline")
	previewDiff  = flag.Bool("preview-diff", false, "show property-level diffs in -preview-offline")
)

// TestPreviewOffline is the engine half of `go run ./cmd/preview-offline`: the program
// function lives in package main, so the preview runs here, where it can be called inline.
// Without -preview-offline it is skipped.
func TestPreviewOffline(t *testing.T) {
	if *previewStack == "" {
		t.Skip("run through: go run ./cmd/preview-offline -stack dev")
	}
	env := offlineEnv(t)
	ctx := context.Background()
	stack, err := env.Stack(ctx, *previewStack, deployStack)
	if err != nil {
		t.Fatal(err)
	}
	if *previewSet != "" {
		for _, kv := range strings.Split(*previewSet, ",") {
			k, v, ok := strings.Cut(kv, "=")
			if !ok {
				t.Fatalf("-preview-set %q: want key=value", kv)
			}
			if !strings.Contains(k, ":") {
				k = "azure-ml-security:" + k
			}
			if err := stack.SetConfig(ctx, k, auto.ConfigValue{Value: v}); err != nil {
				t.Fatal(err)
			}
		}
	}
	opts := []optpreview.Option{optpreview.ProgressStreams(os.Stdout), optpreview.ErrorProgressStreams(os.Stderr)}
	if *previewDiff {
		opts = append(opts, optpreview.Diff())
	}
	if _, err := stack.Preview(ctx, opts...); err != nil {
		fmt.Fprintln(os.Stderr, err)
		t.Fail()
	}
}
