package fakeazure

import (
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Duration is how long Azure takes for one operation of a resource type, in minutes, and why
// we think so.
type Duration struct {
	Minutes float64
	// Source is the public evidence, or "assumption: <reasoning>".
	Source string
}

// Sources cited in the table.
const (
	srcPulumiExamples = "pulumi/examples azure-py-loadbalancer-vm README (azure-native `created (Ns)` per resource)"
	srcIssue3225      = "pulumi/pulumi-azure-native#3225 (per-resource durations of an ML repro)"
	srcSDK38404       = "Azure/azure-sdk-for-python#38404 (workspace with provisionNetworkNow: Done (5m 38s))"
	srcManagedNetwork = "https://learn.microsoft.com/azure/machine-learning/how-to-managed-network"
	srcAzapi453       = "Azure/terraform-provider-azapi#453 (8 rules in ~20 min, written one at a time)"
	srcRBACDelay      = "https://learn.microsoft.com/azure/role-based-access-control/troubleshooting (\"up to 10 minutes\")"
	srcSQLExample     = "pulumi/examples azure-cs-sqlserver README (server + database: 3m16s)"
	srcLandingZone    = "hnaung/azure-landingzones-demo Terraform apply logs (2021)"
	srcEpomatti       = "epomatti/azure-ml README (compute instance step: \"10-15 minutes\")"
)

// defaultPropagation is the simulated delay of a role assignment before it takes effect. Microsoft
// gives "up to 10 minutes"; most grants to a service principal are seen within a minute or two.
// Assumption: 3 minutes, the time the program itself waits for a new approver grant
// (internal/rbac, Propagation), so that a grant made right before what needs it fails, and the
// deploy-time model counts the wait the program makes.
const defaultPropagation = 3.0

// durations is the deploy-time model: per type key and operation.
var durations = map[string]map[opKind]Duration{
	"resources:ResourceGroup": {opCreate: {0.02, srcPulumiExamples + ": 0.90s"}, opDelete: {1.3, srcPulumiExamples + ": deleted (76s)"}},
	"network:VirtualNetwork":  {opCreate: {0.08, srcPulumiExamples + ": 4s"}, opUpdate: {0.1, "assumption: as create"}, opDelete: {0.2, srcPulumiExamples + ": deleted (11s)"}},
	"network:Subnet": {opCreate: {0.12, srcLandingZone + ": 4-20 s staircase per VNet"}, opUpdate: {0.12, "assumption: as create"},
		opDelete: {0.2, "steampipe-plugin-azure integration logs: 11s"}},
	"network:NetworkSecurityGroup": {opCreate: {0.05, srcPulumiExamples + ": 2s"}, opUpdate: {0.05, "assumption: as create"}, opDelete: {0.05, srcPulumiExamples + ": 3s"}},
	"network:PrivateZone":          {opCreate: {0.6, "steampipe-plugin-azure integration logs: 35s"}, opDelete: {0.5, "assumption: as create"}},
	"network:VirtualNetworkLink":   {opCreate: {0.75, "assumption: azurerm acceptance tests bound it by minutes; 45 s"}, opDelete: {0.5, "assumption"}},
	"network:PrivateRecordSet":     {opCreate: {0.05, "assumption: a record write"}, opUpdate: {0.05, "assumption"}, opDelete: {0.05, "assumption"}},
	"network:PrivateEndpoint": {opCreate: {1.0, "hashicorp/terraform-provider-azurerm PR #28112 log (> 29 s); assumption 1 min"},
		opUpdate: {0.5, "assumption"}, opDelete: {0.5, "assumption: a NIC delete plus the endpoint"}},
	"network:PrivateDnsZoneGroup": {opCreate: {0.2, "assumption: writes the A records"}, opUpdate: {0.2, "assumption"}, opDelete: {0.2, "assumption"}},
	"network:PublicIPAddress":     {opCreate: {0.08, srcPulumiExamples + ": 5s"}, opDelete: {0.35, srcPulumiExamples + ": deleted (20s)"}},
	"network:NetworkInterface":    {opCreate: {0.08, srcPulumiExamples + ": 5s"}, opUpdate: {0.08, "assumption"}, opDelete: {0.15, srcPulumiExamples + ": 5-13s"}},
	"compute:VirtualMachine": {opCreate: {2.5, srcPulumiExamples + ": Linux 87s; assumption: Windows 11 Trusted Launch 2.5 min"},
		opUpdate: {1, "assumption"}, opDelete: {1, srcPulumiExamples + ": deleted (42s)"}},
	"storage:StorageAccount":        {opCreate: {0.4, srcIssue3225 + ": 23s"}, opUpdate: {0.2, "assumption: a PATCH-like PUT"}, opDelete: {0.2, "assumption: synchronous delete"}},
	"storage:BlobServiceProperties": {opCreate: {0.03, "assumption: synchronous child PUT"}, opUpdate: {0.03, "assumption"}, opDelete: {0.03, "assumption"}},
	"storage:FileServiceProperties": {opCreate: {0.03, "assumption: synchronous child PUT"}, opUpdate: {0.03, "assumption"}, opDelete: {0.03, "assumption"}},
	"storage:BlobContainer":         {opCreate: {0.02, srcLandingZone + ": 1s"}, opUpdate: {0.02, "assumption"}, opDelete: {0.02, "assumption"}},
	"storage:FileShare":             {opCreate: {0.02, "assumption: as a container"}, opDelete: {0.02, "assumption"}},
	"storage:Blob":                  {opCreate: {0.05, "assumption: a data-plane PUT of a few KB"}, opUpdate: {0.05, "assumption"}, opDelete: {0.03, "assumption"}},
	"keyvault:Vault":                {opCreate: {0.5, srcIssue3225 + ": 34s; " + srcSDK38404 + ": 18s"}, opUpdate: {0.3, "assumption"}, opDelete: {0.3, "assumption: soft delete"}},
	"containerregistry:Registry": {opCreate: {0.4, srcLandingZone + ": Standard 8s; assumption: Premium 25s"}, opUpdate: {0.2, "assumption"},
		opDelete: {0.3, "assumption"}},
	"operationalinsights:Workspace":      {opCreate: {0.5, srcIssue3225 + ": 31s"}, opUpdate: {0.2, "assumption"}, opDelete: {0.2, "assumption"}},
	"insights:Component":                 {opCreate: {0.2, srcSDK38404 + ": 20s"}, opUpdate: {0.1, "assumption"}, opDelete: {0.1, "assumption"}},
	"insights:DiagnosticSetting":         {opCreate: {0.05, "assumption: synchronous extension PUT"}, opUpdate: {0.05, "assumption"}, opDelete: {0.05, "assumption"}},
	"insights:PrivateLinkScope":          {opCreate: {0.3, "assumption"}, opUpdate: {0.2, "assumption"}, opDelete: {0.2, "assumption"}},
	"insights:PrivateLinkScopedResource": {opCreate: {0.3, "assumption"}, opDelete: {0.2, "assumption"}},
	"authorization:RoleAssignment":       {opCreate: {0.1, "assumption: azure-native PUT without azurerm's 25 s wait"}, opDelete: {0.1, "assumption"}},
	"managedidentity:UserAssignedIdentity": {opCreate: {0.05, "assumption: synchronous PUT"}, opUpdate: {0.05, "assumption"},
		opDelete: {0.05, "assumption"}},
	// The workspace's own duration depends on its inputs (workspaceMinutes).
	"machinelearningservices:Workspace": {opCreate: {0.6, srcIssue3225 + ": 33s without provisioning"}, opUpdate: {0.6, "assumption: as a create without provisioning"},
		opDelete: {15, "Azure/terraform-provider-azapi#731: deletes of managed-VNet workspaces pass 30 min; assumption 15 min"}},
	"machinelearningservices:ManagedNetworkSettingsRule": {opCreate: {2.5, srcAzapi453}, opUpdate: {2.5, srcAzapi453}, opDelete: {2, "assumption: removes a managed endpoint"}},
	"machinelearningservices:Compute": {opCreate: {8, srcEpomatti + "; Microsoft Learn quickstart: about 2 minutes without a managed network"},
		opDelete: {3, "assumption: like a VM delete plus bookkeeping"}},
	"machinelearningservices:Datastore":           {opCreate: {0.05, "assumption: synchronous ARM-proxy PUT"}, opUpdate: {0.05, "assumption"}, opDelete: {0.05, "assumption"}},
	"machinelearningservices:WorkspaceConnection": {opCreate: {0.05, "assumption: synchronous ARM-proxy PUT"}, opUpdate: {0.05, "assumption"}, opDelete: {0.05, "assumption"}},
	"sql:Server": {opCreate: {1.75, srcSQLExample + " minus a database: assumption 1.75 min"}, opUpdate: {0.5, "assumption"},
		opDelete: {0.5, "assumption"}},
	"sql:Database": {opCreate: {1.25, srcSQLExample + " minus a server: assumption 1.25 min"}, opUpdate: {0.5, "assumption"},
		opDelete: {0.5, "assumption"}},
	"sql:FirewallRule":                     {opCreate: {0.1, "assumption"}, opUpdate: {0.1, "assumption"}, opDelete: {0.1, "assumption"}},
	"sql:ExtendedServerBlobAuditingPolicy": {opCreate: {0.2, "assumption"}, opUpdate: {0.2, "assumption"}, opDelete: {0.1, "assumption"}},
	"sql:ServerSecurityAlertPolicy":        {opCreate: {0.2, "assumption"}, opUpdate: {0.2, "assumption"}, opDelete: {0.1, "assumption"}},
}

// Managed network provisioning (srcManagedNetwork; srcSDK38404).
const (
	// provisionMinutes is a workspace create with provisionNetworkNow: 5m38s measured.
	provisionMinutes = 5.5
	// inlineRuleMinutes is what one inline outbound rule adds to that provisioning. Assumption:
	// the managed endpoints of one provisioning are made in one pass, so a rule adds far less
	// than the 2.5 minutes of a separate rule write.
	inlineRuleMinutes = 0.5
	// firewallMinutes is what the first FQDN rule adds (Microsoft Learn: "around 10 minutes").
	firewallMinutes = 10
)

// minutesOf is the model's duration of an operation in the world it runs in.
func minutesOf(o *op, w *world) float64 {
	if o.obj.Key == "machinelearningservices:Workspace" && o.kind != opDelete {
		return workspaceMinutes(o)
	}
	if o.obj.Key == "machinelearningservices:ManagedNetworkSettingsRule" && o.kind == opCreate && o.obj.Str("properties.type") == "FQDN" &&
		!hasFirewall(o, w) {
		return durations[o.obj.Key][opCreate].Minutes + firewallMinutes // the first FQDN rule builds the firewall
	}
	if d, ok := durations[o.obj.Key][o.kind]; ok {
		return d.Minutes
	}
	return 0
}

// workspaceMinutes: a plain workspace write is quick; one that provisions the managed network
// (provisionNetworkNow at create, or a change of its rules) takes the provisioning's time.
func workspaceMinutes(o *op) float64 {
	base := durations[o.obj.Key][o.kind].Minutes
	rules := inlineRules(o.obj.Inputs)
	provisions := false
	if v, _ := o.obj.Bool("provisionNetworkNow"); v && o.kind == opCreate {
		provisions = true
	}
	if o.kind == opUpdate && o.old != nil && canonOf(o.old.Inputs, "managedNetwork") != canonOf(o.obj.Inputs, "managedNetwork") {
		provisions = true
	}
	if !provisions {
		return base
	}
	m := provisionMinutes + inlineRuleMinutes*float64(len(rules))
	for _, r := range rules {
		if plainString(r.ObjectValue()["type"]) == "FQDN" {
			m += firewallMinutes
			break
		}
	}
	return m
}

func canonOf(m resource.PropertyMap, key string) string { return canon(m[resource.PropertyKey(key)]) }

// hasFirewall says whether the rule's workspace has an FQDN rule already, and so its firewall.
func hasFirewall(o *op, w *world) bool {
	ws := parentID(o.obj.ID, 2)
	return len(w.find("machinelearningservices:ManagedNetworkSettingsRule", func(x *Object) bool {
		return strings.EqualFold(parentID(x.ID, 2), ws) && x.Str("properties.type") == "FQDN"
	})) > 0
}
