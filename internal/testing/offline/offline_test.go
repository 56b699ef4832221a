package offline

import (
	"context"
	"os"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/internal/testing/fakeazure"
)

// TestEngineAttachesToTheFake: the real engine creates and destroys through the in-process
// fake providers, with no plugin on disk.
func TestEngineAttachesToTheFake(t *testing.T) {
	root := CLIRoot()
	if _, err := os.Stat(root + "/bin/pulumi"); err != nil {
		t.Skip("no Pulumi CLI: run .ci/build-pulumi-cli")
	}
	repo := t.TempDir()
	if err := os.WriteFile(repo+"/Pulumi.yaml", []byte("name: attach\nruntime: go\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	env, err := Setup(t.TempDir(), repo, root, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer env.Close()
	for k, v := range env.Vars() {
		t.Setenv(k, v)
	}
	ctx := context.Background()
	stack, err := env.Stack(ctx, "t", func(ctx *pulumi.Context) error {
		return ctx.RegisterResource("azure-native:resources:ResourceGroup", "rg",
			pulumi.Map{"resourceGroupName": pulumi.String("rg-attach"), "location": pulumi.String("eastus2")},
			&struct{ pulumi.CustomResourceState }{}, pulumi.Version(Plugins["azure-native"]))
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := stack.Up(ctx, optup.SuppressProgress()); err != nil {
		t.Fatal(err)
	}
	if env.Cloud.Get("/subscriptions/"+fakeazure.SubscriptionID+"/resourceGroups/rg-attach") == nil {
		t.Fatal("the resource group is not in the fake cloud")
	}
	if _, err := stack.Destroy(ctx, optdestroy.SuppressProgress()); err != nil {
		t.Fatal(err)
	}
	if n := len(env.Cloud.Objects()); n != 0 {
		t.Errorf("%d objects left after destroy", n)
	}
}
