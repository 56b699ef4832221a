package network

import (
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/internal/logical"
	"azure-ml-security/internal/privatelink"
	"azure-ml-security/internal/testing/fakeazure"
)

func run(t *testing.T, program pulumi.RunFunc) (*fakeazure.Monitor, error) {
	t.Helper()
	return fakeazure.RunMocked("p", "s", fakeazure.Options{}, program)
}

func args(groups ...string) *NetworkArgs {
	return &NetworkArgs{
		ResourceGroupName: pulumi.String("rg"), Location: "eastus2", VnetName: "vnet-x",
		AddressSpace: "10.0.0.0/16", ClientSubnetPrefix: "10.0.1.0/24", PrivateEndpointSubnetPrefix: "10.0.2.0/24",
		PrivateLinkGroups: groups,
	}
}

// TestEndpointNeedsItsZones: the private-endpoint helper refuses a group whose DNS zone the
// network did not create, instead of making an endpoint nobody can resolve.
func TestEndpointNeedsItsZones(t *testing.T) {
	_, err := run(t, func(ctx *pulumi.Context) error {
		n, err := NewNetwork(ctx, "net", args(privatelink.GroupBlob))
		if err != nil {
			return err
		}
		names := logical.New("net", n)
		if _, err := n.PrivateLink.NewEndpoint(ctx, names, "blob", pulumi.String("/sub/x"), privatelink.GroupBlob); err != nil {
			return err
		}
		_, err = n.PrivateLink.NewEndpoint(ctx, names, "dfs", pulumi.String("/sub/x"), privatelink.GroupDfs)
		return err
	})
	if err == nil || !strings.Contains(err.Error(), "privatelink.dfs.core.windows.net") {
		t.Errorf("want a missing-zone error for dfs, got %v", err)
	}
}

func TestZonesAndRules(t *testing.T) {
	m, err := run(t, func(ctx *pulumi.Context) error {
		_, err := NewNetwork(ctx, "net", args(privatelink.GroupWorkspace))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(m.Find("network:PrivateZone")); n != 2 {
		t.Errorf("%d zones for the workspace group, want its 2", n)
	}
	nsg := m.Find("network:NetworkSecurityGroup")[0]
	if _, ok := nsg.Input("securityRules.0"); ok {
		t.Error("an inbound rule exists without a jump VM")
	}
	if _, err := run(t, func(ctx *pulumi.Context) error {
		_, err := NewNetwork(ctx, "net", args("sqlserver"))
		return err
	}); err == nil || !strings.Contains(err.Error(), "network: private DNS zones") {
		t.Errorf("a misspelt group id: %v, want an error that names the component and step", err)
	}
}

// TestChildrenAreNamedAfterTheComponent: every child is parented to the component and named
// <component>-<child>, with an alias to its bare former name, so two networks can share a
// stack and stacks of the previous naming update in place.
func TestChildrenAreNamedAfterTheComponent(t *testing.T) {
	m, err := run(t, func(ctx *pulumi.Context) error {
		for _, name := range []string{"hub", "spoke"} {
			a := args(privatelink.GroupBlob)
			a.VnetName = "vnet-" + name
			if _, err := NewNetwork(ctx, name, a); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("two networks in one stack: %v", err)
	}
	for _, r := range m.Resources() {
		if !r.Custom {
			continue
		}
		parent := strings.TrimPrefix(fakeazure.Short(r.Parent), "azure-ml-security:components:Network::")
		if !strings.HasPrefix(r.Name, parent+"-") {
			t.Errorf("%s (parent %s) is not named after its component", r.Name, fakeazure.Short(r.Parent))
		}
		if former := strings.TrimPrefix(r.Name, parent+"-"); !slices.Contains(r.Aliases, "name="+former) {
			t.Errorf("%s aliases %v, want name=%s among them", r.Name, r.Aliases, former)
		}
	}
}
