package stack

import (
	"sort"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/components/compute"
	"azure-ml-security/components/datastores"
	"azure-ml-security/components/network"
	"azure-ml-security/components/workspace"
	"azure-ml-security/internal/azureml"
	"azure-ml-security/internal/rbac"
	"azure-ml-security/internal/settings"
)

// API versions the program deploys each resource with, for verify's reads: the ML tokens of
// internal/azureml, the registry's pinned v20231101preview, and the defaults of
// @pulumi/azure-native 2.90.0's modules (TestVerificationAPIVersionsMatchSDK reads them from
// the package's type definitions).
const (
	apiWorkspace = "2024-10-01-preview" // azureml.WorkspaceToken
	apiMLStable  = "2024-10-01"         // azureml.ManagedNetworkSettingsRuleToken, DatastoreToken, WorkspaceConnectionToken
	apiStorage   = "2022-09-01"         // storage module default
	apiKeyVault  = "2023-02-01"         // keyvault module default
	apiRegistry  = "2023-11-01-preview" // containerregistry/v20231101preview
	apiSQL       = "2021-11-01"         // sql module default
)

// verification is the stack output verify reads (internal/verifyspec): what this stack
// declares about itself, from what the components made.
func verification(cfg *settings.Settings, b *base, net *network.Network, ws *workspace.Workspace, data *datastores.Datastores, cmp *compute.Compute) pulumi.Map {
	exposure := pulumi.Array{
		exposed(ws.WorkspaceID, apiWorkspace, cfg.PrivateWorkspace),
		exposed(ws.StorageAccountID, apiStorage, cfg.PrivateWorkspace),
		exposed(ws.KeyVaultID, apiKeyVault, cfg.PrivateWorkspace),
		exposed(ws.RegistryID, apiRegistry, cfg.PrivateWorkspace),
	}
	for _, name := range sortedKeys(data.StorageAccounts) {
		exposure = append(exposure, exposed(data.StorageAccounts[name], apiStorage, cfg.PrivateWorkspace))
	}
	if data.SQL != nil {
		exposure = append(exposure, exposed(data.SQL.ServerID, apiSQL, cfg.PrivateWorkspace))
	}

	rules := egressRules(ws.EgressRules)
	for _, r := range data.Rules {
		rules = append(rules, pulumi.Map{"name": pulumi.String(r.Name), "type": pulumi.String("PrivateEndpoint"),
			"destination": r.Target, "subresource": pulumi.String(r.Subresource)})
	}

	grant := func(scope, principal pulumi.StringInput, role rbac.Role, purpose string) pulumi.Map {
		return pulumi.Map{"scope": scope, "role": pulumi.String(string(role)), "roleName": pulumi.String(rbac.Short(role)),
			"principalId": principal, "purpose": pulumi.String(purpose)}
	}
	roles := pulumi.Array{
		grant(b.rg.ID(), ws.IdentityPrincipalID, rbac.AzureAIEnterpriseNetworkConnApprover, "the workspace identity approves the managed network's private endpoints"),
		grant(ws.WorkspaceID, ws.IdentityPrincipalID, rbac.Contributor, "the workspace identity's role on its workspace"),
	}
	for _, r := range ws.EgressRules {
		if r.Name == "monitor" {
			// The approver role does not cover Private Link Scopes; the workspace identity
			// approves its managed endpoint to the scope as Contributor on it
			// (components/workspace/privatemonitoring.go).
			roles = append(roles, grant(r.Destination, ws.IdentityPrincipalID, rbac.Contributor, "the workspace identity approves its managed endpoint to the Azure Monitor Private Link Scope"))
		}
	}
	for _, name := range sortedKeys(data.StorageAccounts) {
		id := data.StorageAccounts[name]
		roles = append(roles, grant(id, ws.IdentityPrincipalID, rbac.StorageBlobDataReader, "identity-based datastores read "+name))
		for _, u := range users(cfg, b) {
			roles = append(roles, grant(id, pulumi.String(u.ObjectID), rbac.StorageBlobDataReader, "notebooks read "+name+" as "+u.ObjectID))
		}
	}
	for _, u := range users(cfg, b) {
		roles = append(roles,
			grant(ws.StorageAccountID, pulumi.String(u.ObjectID), rbac.StorageBlobDataContributor, "studio notebooks of "+u.ObjectID),
			grant(ws.StorageAccountID, pulumi.String(u.ObjectID), rbac.StorageFileDataPrivilegedContributor, "the compute instance's file share of "+u.ObjectID))
	}
	for _, u := range workspaceUsers(cfg) {
		roles = append(roles, grant(ws.WorkspaceID, pulumi.String(u.ObjectID), rbac.AzureMLDataScientist, "workspace user "+u.ObjectID))
	}

	datastoreList, connections := pulumi.Array{}, pulumi.Array{}
	for _, r := range data.Registrations {
		if r.Kind == "connection" {
			if data.SQL != nil {
				connections = append(connections, pulumi.Map{"name": pulumi.String(r.Name), "category": pulumi.String(azureml.ConnectionCategorySQL),
					"authType": pulumi.String(azureml.AuthTypeUsernamePassword), "server": data.SQL.ServerFQDN, "database": data.SQL.DatabaseName})
			}
			continue
		}
		datastoreList = append(datastoreList, pulumi.Map{"name": pulumi.String(r.Name), "type": pulumi.String(r.Kind),
			"credentialsType": pulumi.String(r.CredentialsType), "account": r.Account, "container": pulumi.String(r.Container)})
	}

	spec := pulumi.Map{
		"subscriptionId":    pulumi.String(b.client.SubscriptionId),
		"resourceGroupName": b.rg.Name,
		"location":          pulumi.String(cfg.Location),
		"private":           pulumi.Bool(cfg.PrivateWorkspace),
		"allowedIps":        pulumi.ToStringArray(cfg.AllowedIPs),
		"workspace": pulumi.Map{
			"id": ws.WorkspaceID, "name": ws.WorkspaceName,
			"apiVersion": pulumi.String(apiWorkspace), "ruleApiVersion": pulumi.String(apiMLStable),
			"isolationMode": pulumi.String(cfg.IsolationMode), "firewallSku": pulumi.String(cfg.FirewallSku),
		},
		"outboundRules":    rules,
		"roleAssignments":  roles,
		"datastores":       datastoreList,
		"connections":      connections,
		"exposure":         exposure,
		"privateEndpoints": pulumi.ToStringArrayOutput(net.PrivateLink.Endpoints),
		"sampleData":       sampleData(data),
		"firewallExpected": pulumi.Bool(cfg.CreatesFirewall()),
	}
	if ci := cmp.Instance; ci != nil {
		spec["computeInstance"] = pulumi.Map{"name": ci.Name, "idleTimeBeforeShutdown": pulumi.String(ci.IdleTimeBeforeShutdown),
			"identityPrincipalId": ci.IdentityPrincipalID}
	}
	return spec
}

// egressRules declares the workspace component's rules; a service-tag rule admits only its
// protocol and ports.
func egressRules(written []workspace.EgressRule) pulumi.Array {
	rules := pulumi.Array{}
	for _, r := range written {
		rule := pulumi.Map{"name": pulumi.String(r.Name), "type": pulumi.String(r.Type), "destination": r.Destination}
		switch r.Type {
		case azureml.OutboundRuleTypePrivateEndpoint:
			rule["subresource"] = pulumi.String(r.Subresource)
		case azureml.OutboundRuleTypeServiceTag:
			rule["protocol"], rule["portRanges"] = pulumi.String(r.Protocol), pulumi.String(r.PortRanges)
		}
		rules = append(rules, rule)
	}
	return rules
}

func exposed(id pulumi.StringInput, apiVersion string, private bool) pulumi.Map {
	return pulumi.Map{"id": id, "apiVersion": pulumi.String(apiVersion), "private": pulumi.Bool(private)}
}

func sampleData(data *datastores.Datastores) pulumi.Array {
	out := pulumi.Array{}
	for _, u := range data.SampleFiles {
		out = append(out, pulumi.Map{"url": u})
	}
	return out
}

func sortedKeys(m map[string]pulumi.StringOutput) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
