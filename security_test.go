package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"azure-ml-security/internal/privatelink"
	"azure-ml-security/internal/testing/fakeazure"
)

// rule is one security requirement, evaluated on every planned resource of its types.
type rule struct {
	id    string   // PSRule / Checkov / Azure Policy id or MS doc
	types []string // resource type keys it applies to
	check func(cloud *fakeazure.Monitor, r *fakeazure.Resource) error
	// accepted are stacks where a failure is expected, with the reason.
	accepted map[string]string
	// notIn are stacks where the rule has nothing to apply to, with the reason; elsewhere a
	// rule that matches no resource fails, so a rename cannot turn it into a no-op.
	notIn map[string]string
}

const publicDev = "dev is the public configuration: reachable from allowedIpAddresses only (firewall default Deny), by design"

// policyDNS marks the plans of stacks whose private endpoints' DNS zone groups Azure Policy
// writes (privateDnsZoneGroups: none): there the program must write none.
var policyDNS = map[*fakeazure.Monitor]bool{}

// hasEndpoint finds the private endpoints to r and checks each group's DNS zone group zones.
func hasEndpoint(cloud *fakeazure.Monitor, r *fakeazure.Resource, groups ...string) error {
	for _, g := range groups {
		found := false
		for _, pe := range cloud.Find("network:PrivateEndpoint") {
			if pe.Str("privateLinkServiceConnections.0.privateLinkServiceId") != r.ID || pe.Str("privateLinkServiceConnections.0.groupIds.0") != g {
				continue
			}
			found = true
			zg := cloud.ByName("network:PrivateDnsZoneGroup", pe.Name+"-dns")
			if policyDNS[cloud] {
				if zg != nil {
					return fmt.Errorf("private endpoint %s has a zone group of the program's, which Azure Policy's would fight", pe.Name)
				}
				continue
			}
			if zg == nil {
				return fmt.Errorf("private endpoint %s has no DNS zone group", pe.Name)
			}
			wantZones, _ := privatelink.ZonesFor(g)
			for i, z := range wantZones {
				zone := zoneNamed(cloud, z)
				if zone == nil || zg.Str(fmt.Sprintf("privateDnsZoneConfigs.%d.privateDnsZoneId", i)) != zone.ID {
					return fmt.Errorf("zone group %s lacks zone %s", zg.Name, z)
				}
			}
		}
		if !found {
			return fmt.Errorf("no private endpoint for group %s", g)
		}
	}
	return nil
}

var securityRules = []rule{
	{id: "Azure.ML.PublicAccess / CKV_AZURE_144", types: []string{"machinelearningservices:Workspace"},
		check: func(_ *fakeazure.Monitor, r *fakeazure.Resource) error {
			if v, _ := r.Bool("allowPublicAccessWhenBehindVnet"); v {
				return fmt.Errorf("allowPublicAccessWhenBehindVnet is true")
			}
			return want(r, "publicNetworkAccess", "Disabled")
		}, accepted: map[string]string{"dev": publicDev}},
	{id: "MS how-to-configure-private-link: public access only from selected IPs", types: []string{"machinelearningservices:Workspace"},
		check: func(_ *fakeazure.Monitor, r *fakeazure.Resource) error {
			if r.Str("publicNetworkAccess") == "Disabled" {
				return nil
			}
			if len(r.Strings("networkAcls.ipRules")) == 0 && r.Str("networkAcls.ipRules.0.value") == "" {
				return fmt.Errorf("public workspace without IP rules")
			}
			return want(r, "networkAcls.defaultAction", "Deny")
		}},
	{id: "Azure.ML.UserManagedIdentity", types: []string{"machinelearningservices:Workspace"},
		check: func(_ *fakeazure.Monitor, r *fakeazure.Resource) error {
			if r.Str("primaryUserAssignedIdentity") == "" {
				return fmt.Errorf("no primaryUserAssignedIdentity")
			}
			return want(r, "identity.type", "UserAssigned")
		}},
	{id: "MS how-to-managed-network: approved outbound only", types: []string{"machinelearningservices:Workspace"},
		check: func(_ *fakeazure.Monitor, r *fakeazure.Resource) error {
			return all(want(r, "managedNetwork.isolationMode", "AllowOnlyApprovedOutbound"), want(r, "provisionNetworkNow", true))
		}},
	{id: "Azure.ML.SystemDatastoresIdentity (identity-based system datastores)", types: []string{"machinelearningservices:Workspace"},
		check: func(_ *fakeazure.Monitor, r *fakeazure.Resource) error {
			return want(r, "systemDatastoresAuthMode", "Identity")
		}},
	{id: "Azure Policy: ML workspaces should use private link (+ DNS zones)", types: []string{"machinelearningservices:Workspace"},
		check: func(c *fakeazure.Monitor, r *fakeazure.Resource) error {
			return hasEndpoint(c, r, privatelink.GroupWorkspace)
		}, accepted: map[string]string{"dev": publicDev}},
	{id: "Azure Policy: resource logs in ML workspaces should be enabled", types: []string{"machinelearningservices:Workspace"},
		check: func(c *fakeazure.Monitor, r *fakeazure.Resource) error {
			for _, d := range c.Find("insights:DiagnosticSetting") {
				if d.Str("resourceUri") == r.ID && d.Str("workspaceId") != "" {
					return nil
				}
			}
			return fmt.Errorf("no diagnostic setting to Log Analytics")
		}},
	{id: "Azure.ML.DisableLocalAuth / CKV_AZURE_142", types: []string{"machinelearningservices:Compute"},
		check: func(_ *fakeazure.Monitor, r *fakeazure.Resource) error {
			return want(r, "properties.disableLocalAuth", true)
		}},
	{id: "Azure.ML.ComputeIdleShutdown", types: []string{"machinelearningservices:Compute"},
		check: func(_ *fakeazure.Monitor, r *fakeazure.Resource) error {
			if r.Str("properties.properties.idleTimeBeforeShutdown") == "" {
				return fmt.Errorf("no idleTimeBeforeShutdown")
			}
			return nil
		}},
	{id: "MS how-to-secure-training-vnet: no public IP, SSH off or key-only", types: []string{"machinelearningservices:Compute"},
		check: func(_ *fakeazure.Monitor, r *fakeazure.Resource) error {
			if r.Str("properties.properties.sshSettings.sshPublicAccess") == "Enabled" && r.Str("properties.properties.sshSettings.adminPublicKey") == "" {
				return fmt.Errorf("SSH enabled without a key")
			}
			return all(want(r, "properties.properties.enableNodePublicIp", false),
				want(r, "properties.properties.sshSettings.sshPublicAccess", "Disabled"))
		}},
	{id: "Azure.Storage.SecureTransfer / CKV_AZURE_3", types: []string{"storage:StorageAccount"},
		check: func(_ *fakeazure.Monitor, r *fakeazure.Resource) error {
			return want(r, "enableHttpsTrafficOnly", true)
		}},
	{id: "Azure.Storage.MinTLS / CKV_AZURE_44", types: []string{"storage:StorageAccount"},
		check: func(_ *fakeazure.Monitor, r *fakeazure.Resource) error { return want(r, "minimumTlsVersion", "TLS1_2") }},
	{id: "Azure.Storage.BlobPublicAccess / CKV_AZURE_190", types: []string{"storage:StorageAccount"},
		check: func(_ *fakeazure.Monitor, r *fakeazure.Resource) error {
			return want(r, "allowBlobPublicAccess", false)
		}},
	{id: "Azure.Storage.Firewall / CKV_AZURE_35", types: []string{"storage:StorageAccount"},
		check: func(_ *fakeazure.Monitor, r *fakeazure.Resource) error {
			return want(r, "networkRuleSet.defaultAction", "Deny")
		}},
	{id: "CKV2_AZURE_40: shared key access disabled", types: []string{"storage:StorageAccount"},
		check:    func(_ *fakeazure.Monitor, r *fakeazure.Resource) error { return want(r, "allowSharedKeyAccess", false) },
		accepted: map[string]string{"dev": "uploadSampleData writes contacts.csv with azure-native storage.Blob, which needs the account key (pulumi-azure-native#2015); only the lake and blob accounts, only while the toggle is on"}},
	{id: "CKV_AZURE_59: storage public network access disabled", types: []string{"storage:StorageAccount"},
		check: func(_ *fakeazure.Monitor, r *fakeazure.Resource) error {
			return want(r, "publicNetworkAccess", "Disabled")
		},
		accepted: map[string]string{"dev": publicDev}},
	{id: "Azure.Storage.SoftDelete / Azure.Storage.ContainerSoftDelete", types: []string{"storage:StorageAccount"},
		check: func(c *fakeazure.Monitor, r *fakeazure.Resource) error {
			for _, b := range c.Find("storage:BlobServiceProperties") {
				if b.Str("accountName") == r.Str("accountName") {
					return all(want(b, "deleteRetentionPolicy.enabled", true), want(b, "containerDeleteRetentionPolicy.enabled", true))
				}
			}
			return fmt.Errorf("no blob service properties with soft delete")
		}},
	{id: "Private endpoints for storage (MS storage-private-endpoints)", types: []string{"storage:StorageAccount"},
		check: func(c *fakeazure.Monitor, r *fakeazure.Resource) error {
			groups := []string{privatelink.GroupBlob}
			if v, _ := r.Bool("isHnsEnabled"); v {
				groups = append(groups, privatelink.GroupDfs)
			}
			if r.Name == "workspace-storage" {
				groups = append(groups, privatelink.GroupFile)
			}
			return hasEndpoint(c, r, groups...)
		}, accepted: map[string]string{"dev": publicDev}},
	{id: "Azure.KeyVault.RBAC", types: []string{"keyvault:Vault"},
		check: func(_ *fakeazure.Monitor, r *fakeazure.Resource) error {
			return want(r, "properties.enableRbacAuthorization", true)
		}},
	{id: "Azure.KeyVault.SoftDelete / CKV_AZURE_42", types: []string{"keyvault:Vault"},
		check: func(_ *fakeazure.Monitor, r *fakeazure.Resource) error {
			return want(r, "properties.enableSoftDelete", true)
		}},
	{id: "Azure.KeyVault.PurgeProtect / CKV_AZURE_110", types: []string{"keyvault:Vault"},
		check: func(_ *fakeazure.Monitor, r *fakeazure.Resource) error {
			return want(r, "properties.enablePurgeProtection", true)
		}},
	{id: "Azure.KeyVault.Firewall / CKV_AZURE_109", types: []string{"keyvault:Vault"},
		check: func(_ *fakeazure.Monitor, r *fakeazure.Resource) error {
			return want(r, "properties.networkAcls.defaultAction", "Deny")
		}},
	{id: "CKV_AZURE_189: Key Vault public network access disabled (+ private endpoint)", types: []string{"keyvault:Vault"},
		check: func(c *fakeazure.Monitor, r *fakeazure.Resource) error {
			return all(want(r, "properties.publicNetworkAccess", "Disabled"), hasEndpoint(c, r, privatelink.GroupVault))
		}, accepted: map[string]string{"dev": publicDev}},
	{id: "Azure.ACR.MinSku: Premium", types: []string{"containerregistry:Registry"},
		check: func(_ *fakeazure.Monitor, r *fakeazure.Resource) error { return want(r, "sku.name", "Premium") }},
	{id: "Azure.ACR.AdminUser / CKV_AZURE_137", types: []string{"containerregistry:Registry"},
		check: func(_ *fakeazure.Monitor, r *fakeazure.Resource) error { return want(r, "adminUserEnabled", false) }},
	{id: "Azure.ACR.AnonymousAccess", types: []string{"containerregistry:Registry"},
		check: func(_ *fakeazure.Monitor, r *fakeazure.Resource) error { return want(r, "anonymousPullEnabled", false) }},
	{id: "Azure.ACR.Firewall", types: []string{"containerregistry:Registry"},
		check: func(_ *fakeazure.Monitor, r *fakeazure.Resource) error {
			return want(r, "networkRuleSet.defaultAction", "Deny")
		}},
	{id: "CKV_AZURE_139: ACR public network access disabled (+ private endpoint)", types: []string{"containerregistry:Registry"},
		check: func(c *fakeazure.Monitor, r *fakeazure.Resource) error {
			return all(want(r, "publicNetworkAccess", "Disabled"), hasEndpoint(c, r, privatelink.GroupRegistry))
		}, accepted: map[string]string{"dev": publicDev}},
	{id: "Azure.SQL.MinTLS / CKV_AZURE_52", types: []string{"sql:Server"},
		check: func(_ *fakeazure.Monitor, r *fakeazure.Resource) error { return want(r, "minimalTlsVersion", "1.2") }},
	{id: "Azure.SQL.AAD / CKV_AZURE_23", types: []string{"sql:Server"},
		check: func(_ *fakeazure.Monitor, r *fakeazure.Resource) error {
			if r.Str("administrators.sid") == "" {
				return fmt.Errorf("no Entra administrator")
			}
			return want(r, "administrators.administratorType", "ActiveDirectory")
		}},
	{id: "Azure.SQL.AllowAzureAccess / CKV_AZURE_11: no 0.0.0.0 rule", types: []string{"sql:Server"},
		check: func(c *fakeazure.Monitor, r *fakeazure.Resource) error {
			for _, fw := range c.Find("sql:FirewallRule") {
				if fw.Str("serverName") == r.Str("serverName") && (fw.Str("startIpAddress") == "0.0.0.0" || strings.EqualFold(fw.Str("firewallRuleName"), "AllowAllWindowsAzureIps")) {
					return fmt.Errorf("firewall rule %s admits all of Azure", fw.Name)
				}
			}
			return nil
		}},
	{id: "CKV_AZURE_113: SQL public network access disabled (+ private endpoint)", types: []string{"sql:Server"},
		check: func(c *fakeazure.Monitor, r *fakeazure.Resource) error {
			return all(want(r, "publicNetworkAccess", "Disabled"), hasEndpoint(c, r, privatelink.GroupSQLServer))
		}, accepted: map[string]string{"dev": publicDev}},
	{id: "CKV_AZURE_9 / CKV_AZURE_10 / Azure.NSG.AnyInboundSource", types: []string{"network:NetworkSecurityGroup"}, notIn: map[string]string{"landingzone": landingZoneNetwork},
		check: func(_ *fakeazure.Monitor, r *fakeazure.Resource) error {
			for i := 0; ; i++ {
				rule := fmt.Sprintf("securityRules.%d", i)
				if _, ok := r.Input(rule); !ok {
					return nil
				}
				if inboundOpenToInternet(r, rule) {
					return fmt.Errorf("rule %s admits inbound traffic from the Internet", r.Str(rule+".name"))
				}
			}
		}},
	{id: "Azure Policy: private endpoints use private DNS zones", types: []string{"network:PrivateEndpoint"},
		check: func(c *fakeazure.Monitor, r *fakeazure.Resource) error {
			if zg := c.ByName("network:PrivateDnsZoneGroup", r.Name+"-dns"); (zg == nil) != policyDNS[c] {
				return fmt.Errorf("zone group present %v, want %v (Azure Policy writes them: %v)", zg != nil, !policyDNS[c], policyDNS[c])
			}
			return nil
		}, notIn: map[string]string{"dev": "the public configuration has no private endpoints in the customer VNet"}},
	{id: "Azure.VM.TrustedLaunch / boot diagnostics / managed disks", types: []string{"compute:VirtualMachine"},
		check: func(_ *fakeazure.Monitor, r *fakeazure.Resource) error {
			if !r.Inputs["osProfile"].ObjectValue()["adminPassword"].IsSecret() {
				return fmt.Errorf("admin password is not a secret")
			}
			return all(want(r, "securityProfile.securityType", "TrustedLaunch"), want(r, "securityProfile.uefiSettings.secureBootEnabled", true),
				want(r, "diagnosticsProfile.bootDiagnostics.enabled", true), want(r, "identity.type", "SystemAssigned"))
		}, notIn: map[string]string{"dev": "the jump VM is off in dev", "landingzone": landingZoneNetwork}},
	{id: "Azure Monitor private link: Log Analytics and Application Insights take no public ingestion or query", types: []string{"operationalinsights:Workspace", "insights:Component"},
		check: func(c *fakeazure.Monitor, r *fakeazure.Resource) error {
			if err := all(want(r, "publicNetworkAccessForIngestion", "Disabled"), want(r, "publicNetworkAccessForQuery", "Disabled")); err != nil {
				return err
			}
			for _, m := range c.Find("insights:PrivateLinkScopedResource") {
				if m.Str("linkedResourceId") == r.ID {
					return nil
				}
			}
			return fmt.Errorf("not in an Azure Monitor Private Link Scope")
		}, accepted: map[string]string{"dev": publicDev, "landingzone": "the hub owns the landing zone's one Azure Monitor Private Link Scope (privateMonitoring: false)"}},
	{id: "Azure Monitor private link: the scope takes private traffic only, through an endpoint", types: []string{"insights:PrivateLinkScope"},
		check: func(c *fakeazure.Monitor, r *fakeazure.Resource) error {
			return all(want(r, "accessModeSettings.ingestionAccessMode", "PrivateOnly"), want(r, "accessModeSettings.queryAccessMode", "PrivateOnly"),
				hasEndpoint(c, r, privatelink.GroupAzureMonitor))
		}, notIn: map[string]string{"dev": publicDev, "landingzone": "the hub owns the landing zone's Azure Monitor Private Link Scope"}},
	{id: "Private resources keep no IP rule (a rule would admit its address the day public access returns)",
		types: []string{"storage:StorageAccount", "keyvault:Vault", "containerregistry:Registry", "machinelearningservices:Workspace", "sql:Server"},
		check: func(c *fakeazure.Monitor, r *fakeazure.Resource) error {
			for _, path := range []string{"networkRuleSet.ipRules.0", "properties.networkAcls.ipRules.0", "networkAcls.ipRules.0"} {
				if _, ok := r.Input(path); ok {
					return fmt.Errorf("%s is set", path)
				}
			}
			if r.Key() == "sql:Server" {
				for _, fw := range c.Find("sql:FirewallRule") {
					if strings.HasPrefix(fw.ID, r.ID+"/") {
						return fmt.Errorf("firewall rule %s", fw.Name)
					}
				}
			}
			return nil
		}, accepted: map[string]string{"dev": publicDev}},
	{id: "Azure Policy: resource logs enabled (diagnostic settings to Log Analytics)",
		types: []string{"storage:StorageAccount", "keyvault:Vault", "containerregistry:Registry", "machinelearningservices:Workspace", "sql:Database", "network:NetworkSecurityGroup"},
		check: func(c *fakeazure.Monitor, r *fakeazure.Resource) error {
			uris := []string{r.ID}
			if r.Key() == "storage:StorageAccount" {
				for _, svc := range []string{"blobServices", "fileServices", "queueServices", "tableServices"} {
					uris = append(uris, r.ID+"/"+svc+"/default")
				}
			}
			law := c.Find("operationalinsights:Workspace")
			for _, uri := range uris {
				found := false
				for _, d := range c.Find("insights:DiagnosticSetting") {
					found = found || (d.Str("resourceUri") == uri && len(law) == 1 && d.Str("workspaceId") == law[0].ID)
				}
				if !found {
					return fmt.Errorf("no diagnostic setting to Log Analytics on %s", uri)
				}
			}
			return nil
		}},
	{id: "Azure.SQL.Auditing / CKV_AZURE_23 (auditing on, to Log Analytics) and Azure.SQL.DefenderCloud (threat detection)", types: []string{"sql:Server"},
		check: func(c *fakeazure.Monitor, r *fakeazure.Resource) error {
			var audit, alerts, master bool
			for _, a := range c.Find("sql:ExtendedServerBlobAuditingPolicy") {
				audit = audit || (strings.HasPrefix(a.ID, r.ID+"/") && a.Str("state") == "Enabled" && fakeazure.Plain(mustInput(a, "isAzureMonitorTargetEnabled")) == true)
			}
			for _, a := range c.Find("sql:ServerSecurityAlertPolicy") {
				alerts = alerts || (strings.HasPrefix(a.ID, r.ID+"/") && a.Str("state") == "Enabled")
			}
			for _, d := range c.Find("insights:DiagnosticSetting") {
				master = master || (d.Str("resourceUri") == r.ID+"/databases/master" && d.Str("logs.0.category") == "SQLSecurityAuditEvents")
			}
			if !audit || !alerts || !master {
				return fmt.Errorf("auditing to Azure Monitor %v, audit events from master %v, threat detection %v", audit, master, alerts)
			}
			return nil
		}},
	{id: "Secrets: inputs named password/secret are secret", types: []string{"*"},
		check: func(_ *fakeazure.Monitor, r *fakeazure.Resource) error {
			var bad []string
			walkPlain(resource.NewProperty(r.Inputs), r.Name, func(path, _ string) {
				if secretLike(path) {
					bad = append(bad, path)
				}
			})
			if len(bad) > 0 {
				return fmt.Errorf("plain secret-like inputs: %v", bad)
			}
			return nil
		}},
}

const landingZoneNetwork = "the landing zone's network, its NSGs and its way in are the platform team's; the program creates no VNet, NSG or jump VM there"

// mustInput is an input that a check has made sure exists.
func mustInput(r *fakeazure.Resource, path string) resource.PropertyValue {
	v, _ := r.Input(path)
	return v
}

// TestSecurityRules evaluates every rule on each stack's planned resources. The private stack
// passes every row; dev fails only the rows accepted for a public dev workspace, the landing
// zone only those the platform team owns.
func TestSecurityRules(t *testing.T) {
	evaluated := 0
	for _, stack := range stacks {
		cloud := mustPlan(t, stack, nil)
		cfg := loadStack(t, stack)
		policyDNS[cloud] = cfg.Values[cfg.Project+":privateDnsZoneGroups"] == "none"
		for _, rl := range securityRules {
			t.Run(stack+"/"+rl.id, func(t *testing.T) {
				var matched []*fakeazure.Resource
				for _, r := range cloud.Resources() {
					if !r.Custom {
						continue
					}
					for _, ty := range rl.types {
						if ty == "*" || r.Key() == ty {
							matched = append(matched, r)
						}
					}
				}
				if reason, na := rl.notIn[stack]; na {
					if len(matched) != 0 {
						t.Errorf("rule is marked not applicable in %s (%s) but matches %d resources", stack, reason, len(matched))
					}
					return
				}
				if len(matched) == 0 {
					t.Fatalf("rule matches no resource of %v: a rename made it a no-op", rl.types)
				}
				failed := 0
				for _, r := range matched {
					evaluated++
					if err := rl.check(cloud, r); err != nil {
						failed++
						if _, ok := rl.accepted[stack]; !ok {
							t.Errorf("%s %s: %v", r.Key(), r.Name, err)
						}
					}
				}
				if reason, ok := rl.accepted[stack]; ok && failed == 0 {
					t.Errorf("rule is accepted as failing in %s (%s) but passes: drop the exception", stack, reason)
				}
			})
		}
	}
	t.Logf("%d rules, %d rule-resource evaluations", len(securityRules), evaluated)
}
