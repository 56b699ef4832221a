package workspace

import (
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/internal/azureml"
	"azure-ml-security/internal/naming"
	"azure-ml-security/internal/privatelink"
	"azure-ml-security/internal/testing/fakeazure"
)

// placement is a customer VNet with a zone for every group.
func placement() *privatelink.Placement {
	zones, _ := privatelink.ZonesFor(PrivateLinkGroups(true)...)
	ids := map[string]pulumi.StringInput{}
	for _, z := range zones {
		ids[z] = pulumi.String("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/privateDnsZones/" + z)
	}
	return &privatelink.Placement{ResourceGroupName: pulumi.String("rg"), Location: pulumi.String("eastus2"),
		SubnetID: pulumi.String("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/pe").ToStringOutput(), ZoneIDs: ids}
}

func newTestWorkspace(private bool, pl *privatelink.Placement) (*fakeazure.Monitor, error) {
	return fakeazure.RunMocked("p", "s", fakeazure.Options{}, func(ctx *pulumi.Context) error {
		names, err := naming.New(ctx, "wl")
		if err != nil {
			return err
		}
		_, err = NewWorkspace(ctx, "ws", &WorkspaceArgs{
			ResourceGroupName: pulumi.String("rg"), ResourceGroupID: pulumi.String("/subscriptions/s/resourceGroups/rg"), Location: "eastus2", SubscriptionID: "sub", TenantID: "tenant",
			Names: names, AllowedIPs: []string{"1.2.3.4"}, Private: private, PrivateLink: pl,
			IsolationMode: "AllowOnlyApprovedOutbound", FirewallSku: "Basic",
			LogAnalyticsWorkspaceID: pulumi.String("/subscriptions/s/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/log"),
		})
		return err
	})
}

// TestGrantsBeforeTheWorkspace: the ML workspace waits for every grant to its identity, which
// a user-assigned identity must hold before the workspace uses it.
func TestGrantsBeforeTheWorkspace(t *testing.T) {
	m, err := newTestWorkspace(false, nil)
	if err != nil {
		t.Fatal(err)
	}
	ws := m.ByName("machinelearningservices:Workspace", "ws-ml")
	grants := m.Find("authorization:RoleAssignment")
	if len(grants) == 0 {
		t.Fatal("no grants")
	}
	for _, g := range grants {
		if strings.HasPrefix(g.Str("scope"), ws.ID) {
			continue // grants on the workspace come after it
		}
		if !slices.Contains(ws.Dependencies, g.URN) {
			t.Errorf("the workspace does not wait for %s", g.Name)
		}
	}
	if n := len(m.Find("network:PrivateEndpoint")); n != 0 {
		t.Errorf("a public workspace has %d private endpoints", n)
	}
}

// TestPrivateEndpointsFollowTheTable: a private workspace gets one endpoint per row of the
// endpoint table, and PrivateLinkGroups (what the network makes zones for) lists exactly
// those rows' groups. The root package's TestPrivateEndpoints checks the rows themselves
// against a list written out by hand.
func TestPrivateEndpointsFollowTheTable(t *testing.T) {
	m, err := newTestWorkspace(true, placement())
	if err != nil {
		t.Fatal(err)
	}
	var groups []string
	for _, pe := range m.Find("network:PrivateEndpoint") {
		groups = append(groups, pe.Strings("privateLinkServiceConnections.0.groupIds")...)
	}
	want := PrivateLinkGroups(false)
	slices.Sort(groups)
	slices.Sort(want)
	if !slices.Equal(groups, want) || len(groups) != len(endpoints)-1 {
		t.Errorf("endpoint groups %v, want the table's %v", groups, want)
	}
}

// TestErrorsSayWhere: an error from inside the component names the component and the step.
func TestErrorsSayWhere(t *testing.T) {
	if _, err := newTestWorkspace(true, nil); err == nil || !strings.Contains(err.Error(), "workspace: a private workspace needs PrivateLink") {
		t.Errorf("private without a placement: %v", err)
	}
	pl := placement()
	delete(pl.ZoneIDs, "privatelink.vaultcore.azure.net")
	if _, err := newTestWorkspace(true, pl); err == nil || !strings.Contains(err.Error(), "workspace: private endpoints: ") {
		t.Errorf("a missing zone: %v, want it to name the component and step", err)
	}
}

// TestEgressRulesDescribeWhatTheyAdmit: the rules the component reports (for the stack's
// verification output) carry what each admits: a service-tag rule its protocol and ports.
func TestEgressRulesDescribeWhatTheyAdmit(t *testing.T) {
	var described []EgressRule
	_, err := fakeazure.RunMocked("p", "s", fakeazure.Options{}, func(ctx *pulumi.Context) error {
		names, err := naming.New(ctx, "wl")
		if err != nil {
			return err
		}
		ws, err := NewWorkspace(ctx, "ws", &WorkspaceArgs{
			ResourceGroupName: pulumi.String("rg"), ResourceGroupID: pulumi.String("/subscriptions/s/resourceGroups/rg"), Location: "eastus2", SubscriptionID: "sub", TenantID: "tenant",
			Names: names, AllowedIPs: []string{"1.2.3.4"}, IsolationMode: "AllowOnlyApprovedOutbound", FirewallSku: "Basic",
			LogAnalyticsWorkspaceID: pulumi.String("/subscriptions/s/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/log"),
			Egress: Egress{FQDNs: []string{"pypi.org"}, ServiceTags: []azureml.ServiceTagOutboundRuleArgs{
				{ServiceTag: "DataFactory", Protocol: "TCP", PortRanges: "443"}, {ServiceTag: "AzureCloud", Protocol: "UDP", PortRanges: "80,8080-8090"}}},
		})
		if ws != nil {
			described = ws.EgressRules
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range described {
		got = append(got, r.Type+" "+r.Protocol+" "+r.PortRanges)
	}
	want := []string{"FQDN  ", "ServiceTag TCP 443", "ServiceTag UDP 80,8080-8090"}
	if !slices.Equal(got, want) {
		t.Errorf("described rules %q, want %q", got, want)
	}
}
