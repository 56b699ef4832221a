package stack

import (
	"slices"
	"testing"

	"github.com/pulumi/pulumi-azure-native-sdk/authorization/v2"
	"github.com/pulumi/pulumi-azure-native-sdk/resources/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/components/datastores"
	"azure-ml-security/components/network"
	"azure-ml-security/components/workspace"
	"azure-ml-security/internal/naming"
	"azure-ml-security/internal/rbac"
	"azure-ml-security/internal/settings"
	"azure-ml-security/internal/testing/fakeazure"
)

// withBase runs f under mocks with a base of the fake tenant.
func withBase(t *testing.T, f func(ctx *pulumi.Context, b *base) error) {
	t.Helper()
	_, err := fakeazure.RunMocked("p", "s", fakeazure.Options{}, func(ctx *pulumi.Context) error {
		names, err := naming.New(ctx, "wl")
		if err != nil {
			return err
		}
		rg, err := resources.NewResourceGroup(ctx, "rg", &resources.ResourceGroupArgs{ResourceGroupName: pulumi.String("rg")})
		if err != nil {
			return err
		}
		b := &base{client: &authorization.GetClientConfigResult{ObjectId: "deployer", TenantId: "tenant", SubscriptionId: "sub"},
			deployer: rbac.Principal{ObjectID: "deployer", Type: rbac.PrincipalUser}, names: names, rg: rg}
		if b.logs, err = newLogs(ctx, settingsOf(false, false, false), b); err != nil {
			return err
		}
		return f(ctx, b)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func settingsOf(private, jumpVM, sql bool) *settings.Settings {
	return &settings.Settings{
		Location: "eastus2", Workload: "wl", AllowedIPs: []string{"1.2.3.4"}, PrivateWorkspace: private,
		Network: settings.NetworkSettings{AddressSpace: "10.60.0.0/16", ClientSubnetPrefix: "10.60.1.0/24", PrivateEndpointSubnetPrefix: "10.60.2.0/24"},
		Data:    settings.DataSettings{DatastoreAuth: settings.DatastoreAuthServicePrincipal, SQL: settings.SQLSettings{Create: sql, AdminLogin: "sqladminuser", Sku: settings.SQLSku{Name: "Basic", Tier: "Basic"}, MaxSizeGB: 2}},
		JumpVM:  settings.JumpVMSettings{Create: jumpVM},
	}
}

// TestNetworkArgs: a private stack asks for the zones of every private endpoint (with SQL's
// only when SQL exists), and RDP is admitted only with the jump VM.
func TestNetworkArgs(t *testing.T) {
	withBase(t, func(ctx *pulumi.Context, b *base) error {
		if a := networkArgs(settingsOf(false, false, true), b); len(a.PrivateLinkGroups) != 0 || len(a.RDPAllowedSources) != 0 {
			t.Errorf("public stack without jump VM: groups %v, RDP %v", a.PrivateLinkGroups, a.RDPAllowedSources)
		}
		a := networkArgs(settingsOf(true, true, true), b)
		want := append(workspace.PrivateLinkGroups(false), datastores.PrivateLinkGroups(true)...)
		if !slices.Equal(a.PrivateLinkGroups, want) || !slices.Equal(a.RDPAllowedSources, []string{"1.2.3.4"}) {
			t.Errorf("private stack: groups %v (want %v), RDP %v", a.PrivateLinkGroups, want, a.RDPAllowedSources)
		}
		if a := networkArgs(settingsOf(true, true, false), b); slices.Contains(a.PrivateLinkGroups, "sqlServer") {
			t.Error("the SQL zone is asked for without SQL")
		}
		return nil
	})
}

// TestDatastoresArgs: the datastore auth mode and the SQL settings reach the component.
func TestDatastoresArgs(t *testing.T) {
	withBase(t, func(ctx *pulumi.Context, b *base) error {
		ws := &workspace.Workspace{}
		a := datastoresArgs(settingsOf(false, false, true), b, &network.Network{}, ws)
		if !a.ServicePrincipalAuth || a.SQL == nil || a.SQL.Sku != (datastores.SQLSku{Name: "Basic", Tier: "Basic"}) || a.Deployer.ObjectID != "deployer" {
			t.Errorf("datastores args %+v", a)
		}
		if a := datastoresArgs(settingsOf(false, false, false), b, &network.Network{}, ws); a.SQL != nil {
			t.Error("SQL args without SQL")
		}
		return nil
	})
}

// TestFirewallOutput: FQDN rules (explicit or from a profile) announce the Azure Firewall they
// make Azure create, with its SKU and list price; none, nothing.
func TestFirewallOutput(t *testing.T) {
	cfg := settingsOf(false, false, false)
	cfg.FirewallSku = "Standard"
	if got := firewall(cfg)["created"]; got != pulumi.Bool(false) {
		t.Errorf("no FQDN rule: created = %v", got)
	}
	cfg.Egress.Profiles = []string{"pypi"}
	fw := firewall(cfg)
	if fw["created"] != pulumi.Bool(true) || fw["sku"] != pulumi.String("Standard") || fw["fqdnRules"] != pulumi.Int(2) ||
		fw["monthlyListPriceUsd"] != pulumi.Float64(912.5) {
		t.Errorf("pypi profile, Standard: %v", fw)
	}
}

// TestAppClientID: a first-party sign-in client's id is not the deployer's own.
func TestAppClientID(t *testing.T) {
	for in, want := range map[string]string{azureCLIClientID: "", azurePowerShellClientID: "", "": "", "0a1b": "0a1b"} {
		if got := appClientID(in); got != want {
			t.Errorf("appClientID(%q) = %q, want %q", in, got, want)
		}
	}
}
