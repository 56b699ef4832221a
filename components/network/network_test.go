package network

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/internal/mockcloud"
	"azure-ml-security/internal/privatelink"
)

func run(t *testing.T, program pulumi.RunFunc) (*mockcloud.Cloud, error) {
	t.Helper()
	cloud := mockcloud.New("p", "s")
	return cloud, pulumi.RunErr(program, pulumi.WithMocks("p", "s", cloud))
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
		if _, err := n.PrivateLink.NewEndpoint(ctx, "blob", pulumi.String("/sub/x"), privatelink.GroupBlob); err != nil {
			return err
		}
		_, err = n.PrivateLink.NewEndpoint(ctx, "dfs", pulumi.String("/sub/x"), privatelink.GroupDfs)
		return err
	})
	if err == nil || !strings.Contains(err.Error(), "privatelink.dfs.core.windows.net") {
		t.Errorf("want a missing-zone error for dfs, got %v", err)
	}
}

func TestZonesAndRules(t *testing.T) {
	cloud, err := run(t, func(ctx *pulumi.Context) error {
		_, err := NewNetwork(ctx, "net", args(privatelink.GroupWorkspace))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(cloud.Find("network:PrivateZone")); n != 2 {
		t.Errorf("%d zones for the workspace group, want its 2", n)
	}
	nsg := cloud.Find("network:NetworkSecurityGroup")[0]
	if _, ok := nsg.Input("securityRules.0"); ok {
		t.Error("an inbound rule exists without a jump VM")
	}
	for _, r := range cloud.Resources() {
		if r.Custom && mockcloud.Short(r.Parent) != "azure-ml-security:components:Network::net" {
			t.Errorf("%s is not a child of the component", r.Name)
		}
	}
	if _, err := run(t, func(ctx *pulumi.Context) error {
		_, err := NewNetwork(ctx, "net", args("sqlserver"))
		return err
	}); err == nil {
		t.Error("a misspelt group id is accepted")
	}
}
