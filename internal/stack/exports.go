package stack

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/components/compute"
	"azure-ml-security/components/datastores"
	"azure-ml-security/components/network"
	"azure-ml-security/components/workspace"
	"azure-ml-security/internal/privatelink"
	"azure-ml-security/internal/settings"
	"azure-ml-security/internal/verifyspec"
)

// export publishes the stack outputs: names, ids and how to connect, from what the components
// produced. Passwords are exported only as secrets.
func export(ctx *pulumi.Context, cfg *settings.Settings, b *base, net *network.Network, ws *workspace.Workspace, data *datastores.Datastores, cmp *compute.Compute) {
	ctx.Export(verifyspec.OutputName, verification(cfg, b, net, ws, data, cmp))
	ctx.Export("resourceGroupName", b.rg.Name)
	ctx.Export("vnetId", net.VnetID)
	ctx.Export("workspaceName", ws.WorkspaceName)
	ctx.Export("workspaceId", ws.WorkspaceID)
	ctx.Export("studioUrl", ws.StudioURL)
	ctx.Export("workspaceIdentityId", ws.IdentityID)
	ctx.Export("workspaceIdentityPrincipalId", ws.IdentityPrincipalID)
	ctx.Export("workspaceIdentityClientId", ws.IdentityClientID)
	ctx.Export("workspaceStorageAccountName", ws.StorageAccountName)
	ctx.Export("keyVaultName", ws.KeyVaultName)
	ctx.Export("containerRegistryName", ws.RegistryName)
	ctx.Export("lakeAccountName", data.LakeAccountName)
	ctx.Export("blobAccountName", data.BlobAccountName)
	ctx.Export("datastoreNames", data.DatastoreNames)
	ctx.Export("workspaceIpRulesInForce", ws.IPRulesInForce)
	if app := data.App; app != nil {
		ctx.Export("datastoresAppClientId", app.ClientID)
	}
	if cl := cmp.Cluster; cl != nil {
		ctx.Export("imageBuildCluster", cl.Name)
	}
	if ci := cmp.Instance; ci != nil {
		ctx.Export("computeInstanceName", ci.Name)
		ctx.Export("computeInstanceSsh", pulumi.Sprintf("az ml compute connect-ssh --name %s --workspace-name %s --resource-group %s", ci.Name, ws.WorkspaceName, b.rg.Name))
	}
	if vm := cmp.JumpVM; vm != nil {
		ctx.Export("jumpVmName", vm.Name)
		ctx.Export("jumpVmRdp", pulumi.Sprintf("mstsc /v:%s (user %s; password: pulumi stack output jumpVmAdminPassword --show-secrets)", vm.PublicIP, vm.AdminUsername))
		ctx.Export("jumpVmAdminPassword", vm.AdminPassword)
	}
	ctx.Export("managedNetworkFirewall", firewall(cfg))
	if cfg.DNS.ZoneGroups == settings.ZoneGroupsNone && cfg.PrivateWorkspace {
		zones, _ := privatelink.ZonesFor(privateLinkGroups(cfg)...)
		ctx.Export("privateEndpointDns", pulumi.Map{
			"zoneGroups": pulumi.String("none: this stack wrote no private DNS zone and no zone group; Azure Policy must write the zone group of each endpoint below"),
			"endpoints":  pulumi.ToStringArrayOutput(net.PrivateLink.Endpoints),
			"zones":      pulumi.ToStringArray(zones),
		})
	}
	if ci := cmp.Instance; ci != nil && sshOverPrivateLink(cfg) {
		if _, written := net.Zones[privatelink.InstancesZone]; !written {
			ctx.Export("instanceDnsRecords", pulumi.Sprintf("add to zone %s: A %s.%s and A %s-22.%s -> %s (SSH over the private endpoint)",
				privatelink.InstancesZone, ci.Name, cfg.Location, ci.Name, cfg.Location, ws.Private.EndpointIP))
		}
	}
	if sql := data.SQL; sql != nil {
		ctx.Export("sqlServerFqdn", sql.ServerFQDN)
		ctx.Export("sqlDatabaseName", sql.DatabaseName)
		ctx.Export("sqlAdminLogin", sql.AdminLogin)
		ctx.Export("sqlAdminPassword", sql.AdminPassword)
	}
}

// firewall says whether the managed network has an Azure Firewall, and what it costs: Azure
// creates one with the first FQDN rule and bills it by the hour.
func firewall(cfg *settings.Settings) pulumi.Map {
	if !cfg.CreatesFirewall() {
		return pulumi.Map{"created": pulumi.Bool(false)}
	}
	return pulumi.Map{
		"created":               pulumi.Bool(true),
		"sku":                   pulumi.String(cfg.FirewallSku),
		"fqdnRules":             pulumi.Int(len(cfg.Egress.AllFQDNs())),
		"monthlyListPriceUsd":   pulumi.Float64(settings.FirewallMonthlyUSD[cfg.FirewallSku]),
		"monthlyListPriceBasis": pulumi.String(firewallPriceBasis),
	}
}

const firewallPriceBasis = "pay-as-you-go deployment hours x 730, before data processing; check https://azure.microsoft.com/pricing/details/azure-firewall/ for your region"

// warnFirewall says, in every preview and update, that FQDN rules bring an Azure Firewall.
func warnFirewall(ctx *pulumi.Context, cfg *settings.Settings) {
	if !cfg.CreatesFirewall() {
		return
	}
	_ = ctx.Log.Warn(fmt.Sprintf("%d FQDN outbound rules make Azure create an Azure Firewall (%s) in the managed network: about $%.0f a month at list price (%s). The first FQDN rule also adds about 10 minutes to provisioning.",
		len(cfg.Egress.AllFQDNs()), cfg.FirewallSku, settings.FirewallMonthlyUSD[cfg.FirewallSku], firewallPriceBasis), nil)
}
