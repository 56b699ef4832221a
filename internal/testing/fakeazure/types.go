package fakeazure

import (
	"fmt"
	"regexp"
	"strings"
)

// typeInfo is what the fake knows of one resource type: how Azure addresses it, which inputs
// the provider requires, the name Azure accepts, and how it behaves over time.
type typeInfo struct {
	// nameKey is the input that carries the resource's own name ("" when the type has none).
	nameKey string
	// id is the ARM id template; {key} is filled from the input of that name. Types outside
	// Azure (azuread, random) have none and get a GUID.
	id string
	// required are the inputs the token's Args interface in @pulumi/azure-native 2.90.0 marks
	// required (no `?`); TestFakeRequiredInputsMatchTypes keeps this in step with the package.
	required []string
	// name is the type's name rule (names.go); nil when Azure sets no rule we model.
	name *nameRule
	// outputs adds the computed outputs Azure returns (outputs.go).
	outputs func(o *outputs)
}

// types is keyed by "module:Type" for azure-native (the token without its API version, see
// TypeKey) and by the whole token for the other packages.
var types = map[string]*typeInfo{
	"resources:ResourceGroup": {nameKey: "resourceGroupName", id: sub + "/resourceGroups/{resourceGroupName}",
		name: resourceGroupName},

	"network:VirtualNetwork": {nameKey: "virtualNetworkName", id: rgp + "Microsoft.Network/virtualNetworks/{virtualNetworkName}",
		required: []string{"resourceGroupName"}, name: networkName(2, 64)},
	"network:Subnet": {nameKey: "subnetName", id: rgp + "Microsoft.Network/virtualNetworks/{virtualNetworkName}/subnets/{subnetName}",
		required: []string{"resourceGroupName", "virtualNetworkName"}, name: networkName(1, 80)},
	"network:NetworkSecurityGroup": {nameKey: "networkSecurityGroupName", id: rgp + "Microsoft.Network/networkSecurityGroups/{networkSecurityGroupName}",
		required: []string{"resourceGroupName"}, name: networkName(1, 80)},
	"network:PrivateZone": {nameKey: "privateZoneName", id: rgp + "Microsoft.Network/privateDnsZones/{privateZoneName}",
		required: []string{"resourceGroupName"}, name: privateZoneName},
	"network:VirtualNetworkLink": {nameKey: "virtualNetworkLinkName", id: rgp + "Microsoft.Network/privateDnsZones/{privateZoneName}/virtualNetworkLinks/{virtualNetworkLinkName}",
		required: []string{"privateZoneName", "resourceGroupName"}, name: networkName(1, 80)},
	"network:PrivateRecordSet": {nameKey: "relativeRecordSetName", id: rgp + "Microsoft.Network/privateDnsZones/{privateZoneName}/{recordType}/{relativeRecordSetName}",
		required: []string{"privateZoneName", "recordType", "resourceGroupName"}},
	"network:PrivateEndpoint": {nameKey: "privateEndpointName", id: rgp + "Microsoft.Network/privateEndpoints/{privateEndpointName}",
		required: []string{"resourceGroupName"}, name: networkName(2, 64), outputs: privateEndpointOutputs},
	"network:PrivateDnsZoneGroup": {nameKey: "privateDnsZoneGroupName", id: rgp + "Microsoft.Network/privateEndpoints/{privateEndpointName}/privateDnsZoneGroups/{privateDnsZoneGroupName}",
		required: []string{"privateEndpointName", "resourceGroupName"}},
	"network:PublicIPAddress": {nameKey: "publicIpAddressName", id: rgp + "Microsoft.Network/publicIPAddresses/{publicIpAddressName}",
		required: []string{"resourceGroupName"}, name: networkName(1, 80), outputs: func(o *outputs) { o.set("ipAddress", "198.51.100.7") }},
	"network:NetworkInterface": {nameKey: "networkInterfaceName", id: rgp + "Microsoft.Network/networkInterfaces/{networkInterfaceName}",
		required: []string{"resourceGroupName"}, name: networkName(1, 80),
		outputs: func(o *outputs) {
			o.set("ipConfigurations", []any{map[string]any{"privateIPAddress": "10.60.1.4"}})
		}},

	"compute:VirtualMachine": {nameKey: "vmName", id: rgp + "Microsoft.Compute/virtualMachines/{vmName}",
		required: []string{"resourceGroupName"}, name: vmName},

	"storage:StorageAccount": {nameKey: "accountName", id: rgp + "Microsoft.Storage/storageAccounts/{accountName}",
		required: []string{"kind", "resourceGroupName", "sku"}, name: storageAccountName, outputs: storageOutputs},
	"storage:BlobServiceProperties": {nameKey: "blobServicesName", id: rgp + "Microsoft.Storage/storageAccounts/{accountName}/blobServices/{blobServicesName}",
		required: []string{"accountName", "resourceGroupName"}, name: fixedName("default")},
	"storage:FileServiceProperties": {nameKey: "fileServicesName", id: rgp + "Microsoft.Storage/storageAccounts/{accountName}/fileServices/{fileServicesName}",
		required: []string{"accountName", "resourceGroupName"}, name: fixedName("default")},
	"storage:BlobContainer": {nameKey: "containerName", id: rgp + "Microsoft.Storage/storageAccounts/{accountName}/blobServices/default/containers/{containerName}",
		required: []string{"accountName", "resourceGroupName"}, name: containerName},
	"storage:FileShare": {nameKey: "shareName", id: rgp + "Microsoft.Storage/storageAccounts/{accountName}/fileServices/default/shares/{shareName}",
		required: []string{"accountName", "resourceGroupName"}, name: containerName},
	"storage:Blob": {nameKey: "blobName", id: rgp + "Microsoft.Storage/storageAccounts/{accountName}/blobServices/default/containers/{containerName}/blobs/{blobName}",
		required: []string{"accountName", "containerName", "resourceGroupName"}},

	"keyvault:Vault": {nameKey: "vaultName", id: rgp + "Microsoft.KeyVault/vaults/{vaultName}",
		required: []string{"properties", "resourceGroupName"}, name: keyVaultName},
	"containerregistry:Registry": {nameKey: "registryName", id: rgp + "Microsoft.ContainerRegistry/registries/{registryName}",
		required: []string{"resourceGroupName", "sku"}, name: registryName},
	"operationalinsights:Workspace": {nameKey: "workspaceName", id: rgp + "Microsoft.OperationalInsights/workspaces/{workspaceName}",
		required: []string{"resourceGroupName"}, name: logAnalyticsName, outputs: func(o *outputs) { o.set("customerId", uuidFrom(strings.ToLower(o.id)+"#customer")) }},
	"insights:Component": {nameKey: "resourceName", id: rgp + "Microsoft.Insights/components/{resourceName}",
		required: []string{"applicationType", "kind", "resourceGroupName"}, name: appInsightsName},
	"insights:DiagnosticSetting": {nameKey: "name", id: "{resourceUri}/providers/Microsoft.Insights/diagnosticSettings/{name}",
		required: []string{"resourceUri"}},
	"insights:PrivateLinkScope": {nameKey: "scopeName", id: rgp + "Microsoft.Insights/privateLinkScopes/{scopeName}",
		required: []string{"accessModeSettings", "resourceGroupName"}, name: networkName(1, 255)},
	"insights:PrivateLinkScopedResource": {nameKey: "name", id: rgp + "Microsoft.Insights/privateLinkScopes/{scopeName}/scopedResources/{name}",
		required: []string{"resourceGroupName", "scopeName"}},

	"authorization:RoleAssignment": {nameKey: "roleAssignmentName", id: "{scope}/providers/Microsoft.Authorization/roleAssignments/{roleAssignmentName}",
		required: []string{"principalId", "roleDefinitionId", "scope"}},
	"managedidentity:UserAssignedIdentity": {nameKey: "resourceName", id: rgp + "Microsoft.ManagedIdentity/userAssignedIdentities/{resourceName}",
		required: []string{"resourceGroupName"}, name: identityName, outputs: identityOutputs},

	"machinelearningservices:Workspace": {nameKey: "workspaceName", id: rgp + "Microsoft.MachineLearningServices/workspaces/{workspaceName}",
		required: []string{"resourceGroupName"}, name: mlName, outputs: workspaceOutputs},
	"machinelearningservices:Compute": {nameKey: "computeName", id: rgp + "Microsoft.MachineLearningServices/workspaces/{workspaceName}/computes/{computeName}",
		required: []string{"resourceGroupName", "workspaceName"}, name: computeName},
	"machinelearningservices:Datastore": {nameKey: "name", id: rgp + "Microsoft.MachineLearningServices/workspaces/{workspaceName}/datastores/{name}",
		required: []string{"datastoreProperties", "resourceGroupName", "workspaceName"}, name: datastoreName},
	"machinelearningservices:WorkspaceConnection": {nameKey: "connectionName", id: rgp + "Microsoft.MachineLearningServices/workspaces/{workspaceName}/connections/{connectionName}",
		required: []string{"properties", "resourceGroupName", "workspaceName"}, name: mlName},
	"machinelearningservices:ManagedNetworkSettingsRule": {nameKey: "ruleName", id: rgp + "Microsoft.MachineLearningServices/workspaces/{workspaceName}/outboundRules/{ruleName}",
		required: []string{"properties", "resourceGroupName", "workspaceName"}, name: mlName},

	"sql:Server": {nameKey: "serverName", id: rgp + "Microsoft.Sql/servers/{serverName}",
		required: []string{"resourceGroupName"}, name: sqlServerName,
		outputs: func(o *outputs) { o.set("fullyQualifiedDomainName", o.name+".database.windows.net") }},
	"sql:Database": {nameKey: "databaseName", id: rgp + "Microsoft.Sql/servers/{serverName}/databases/{databaseName}",
		required: []string{"resourceGroupName", "serverName"}, name: sqlChildName},
	"sql:FirewallRule": {nameKey: "firewallRuleName", id: rgp + "Microsoft.Sql/servers/{serverName}/firewallRules/{firewallRuleName}",
		required: []string{"resourceGroupName", "serverName"}, name: sqlChildName},
	"sql:ExtendedServerBlobAuditingPolicy": {nameKey: "blobAuditingPolicyName", id: rgp + "Microsoft.Sql/servers/{serverName}/extendedAuditingSettings/{blobAuditingPolicyName}",
		required: []string{"resourceGroupName", "serverName", "state"}},
	"sql:ServerSecurityAlertPolicy": {nameKey: "securityAlertPolicyName", id: rgp + "Microsoft.Sql/servers/{serverName}/securityAlertPolicies/{securityAlertPolicyName}",
		required: []string{"resourceGroupName", "serverName", "state"}},

	"random:index/randomString:RandomString":     {outputs: randomStringOutputs},
	"random:index/randomPassword:RandomPassword": {outputs: randomPasswordOutputs},

	"azuread:index/application:Application":                 {outputs: applicationOutputs},
	"azuread:index/servicePrincipal:ServicePrincipal":       {outputs: servicePrincipalOutputs},
	"azuread:index/applicationPassword:ApplicationPassword": {outputs: applicationPasswordOutputs},
}

const (
	sub = "/subscriptions/{subscriptionId}"
	rgp = sub + "/resourceGroups/{resourceGroupName}/providers/"
)

var apiVersionSegment = regexp.MustCompile(`/v\d{8}(preview)?$`)

// TypeKey turns "azure-native:machinelearningservices/v20241001preview:Workspace" into
// "machinelearningservices:Workspace"; tokens of other packages are returned whole.
func TypeKey(token string) string {
	rest, ok := strings.CutPrefix(token, "azure-native:")
	if !ok {
		return token
	}
	mod, typ, ok := strings.Cut(rest, ":")
	if !ok {
		return token
	}
	return apiVersionSegment.ReplaceAllString(mod, "") + ":" + typ
}

// lookupType returns the model of a token, or an error that says which file to teach.
func lookupType(token string) (*typeInfo, error) {
	if t, ok := types[TypeKey(token)]; ok {
		return t, nil
	}
	return nil, fmt.Errorf("fakeazure: %s (%s) is not modelled: describe it in internal/testing/fakeazure/types.go (its ARM id, required inputs and name rule) before the program registers it", TypeKey(token), token)
}

// Modelled reports whether a token has a model.
func Modelled(token string) bool {
	_, err := lookupType(token)
	return err == nil
}

// NameKey is the input that names an azure-native resource of this token, or "".
func NameKey(token string) string {
	if t, err := lookupType(token); err == nil {
		return t.nameKey
	}
	return ""
}

// RequiredInputs are the inputs the model says the provider requires for this token.
func RequiredInputs(token string) []string {
	if t, err := lookupType(token); err == nil {
		return append([]string(nil), t.required...)
	}
	return nil
}

// ReplaceKeys are the inputs whose change makes azure-native replace the resource: the URL path
// parameters of its ARM id (resourceGroupName and the resource's own name parameters). The
// provider derives them from the resource's REST path; a body property never forces
// replacement, even when Azure refuses to change it (immutable.go).
func ReplaceKeys(token string) []string {
	t, err := lookupType(token)
	if err != nil || t.id == "" {
		return nil
	}
	var keys []string
	for _, k := range templateKeys(t.id) {
		if k != "subscriptionId" {
			keys = append(keys, k)
		}
	}
	return keys
}

func templateKeys(template string) []string {
	var keys []string
	rest := template
	for {
		i := strings.Index(rest, "{")
		if i < 0 {
			return keys
		}
		j := strings.Index(rest[i:], "}") + i
		keys = append(keys, rest[i+1:j])
		rest = rest[j+1:]
	}
}
