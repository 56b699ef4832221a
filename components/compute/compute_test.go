package compute

import (
	"slices"
	"testing"

	"github.com/pulumi/pulumi-azure-native-sdk/resources/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/internal/naming"
	"azure-ml-security/internal/testing/fakeazure"
)

func newTestCompute(withInstance, withVM bool) (*fakeazure.Monitor, *Compute, error) {
	var c *Compute
	m, err := fakeazure.RunMocked("p", "s", fakeazure.Options{}, func(ctx *pulumi.Context) error {
		names, err := naming.New(ctx, "wl")
		if err != nil {
			return err
		}
		rg, err := resources.NewResourceGroup(ctx, "rg", &resources.ResourceGroupArgs{ResourceGroupName: pulumi.String("rg")})
		if err != nil {
			return err
		}
		args := &ComputeArgs{ResourceGroupName: pulumi.String("rg"), Location: "eastus2", TenantID: "tenant", Names: names}
		if withInstance {
			args.Instance = &InstanceArgs{
				Name:          pulumi.String("ci-wl-123456x").ToStringOutput(),
				WorkspaceName: pulumi.String("mlw").ToStringOutput(),
				WorkspaceID:   pulumi.String("/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/mlw").ToStringOutput(),
				VMSize:        "Standard_DS11_v2", IdleTimeBeforeShutdown: "PT30M", UserObjectID: "user",
				After: []pulumi.Resource{rg},
			}
		}
		if withVM {
			args.JumpVM = &JumpVMArgs{SubnetID: pulumi.String("/subnet").ToStringOutput(), Size: "Standard_B2s", AdminUsername: "azureuser",
				Image: ImageArgs{"MicrosoftWindowsDesktop", "windows-11", "win11-24h2-pro"}}
		}
		c, err = NewCompute(ctx, "compute", args)
		return err
	})
	return m, c, err
}

// TestOnlyWhatIsAskedFor: without an instance or a VM the component makes nothing and
// exposes no outputs for them (no empty-string placeholders).
func TestOnlyWhatIsAskedFor(t *testing.T) {
	m, c, err := newTestCompute(false, false)
	if err != nil {
		t.Fatal(err)
	}
	if c.Instance != nil || c.JumpVM != nil {
		t.Error("outputs of parts that were not asked for")
	}
	for _, r := range m.Resources() {
		if r.Custom && r.Parent != "" && fakeazure.Short(r.Parent) == "azure-ml-security:components:Compute::compute" {
			t.Errorf("%s %s created though nothing was asked for", r.Type, r.Name)
		}
	}
	m, c, err = newTestCompute(true, true)
	if err != nil {
		t.Fatal(err)
	}
	if c.Instance == nil || c.JumpVM == nil {
		t.Fatal("outputs missing")
	}
	if m.ByName("machinelearningservices:Compute", "compute-instance") == nil || m.ByName("compute:VirtualMachine", "compute-jump-vm") == nil {
		t.Error("instance or VM missing")
	}
}

// TestInstanceWaitsForWhatItIsGiven: the instance waits for the resources in After (the
// workspace and its managed network's rules, in the program).
func TestInstanceWaitsForWhatItIsGiven(t *testing.T) {
	m, _, err := newTestCompute(true, false)
	if err != nil {
		t.Fatal(err)
	}
	ci := m.ByName("machinelearningservices:Compute", "compute-instance")
	rg := m.ByName("resources:ResourceGroup", "rg")
	if !slices.Contains(ci.Dependencies, rg.URN) {
		t.Error("the instance does not wait for After")
	}
}
