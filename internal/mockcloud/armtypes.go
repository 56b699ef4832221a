package mockcloud

import (
	"regexp"
	"strings"
)

// armType describes how an azure-native resource is addressed in ARM: the input that carries
// its own name, and the id template (inputs in braces). It is the shape the real provider
// produces, so tests see ids like Azure's.
type armType struct {
	nameKey string
	id      string
}

const sub = "/subscriptions/{subscriptionId}"
const rgp = sub + "/resourceGroups/{resourceGroupName}/providers/"

// armTypes is keyed by "module:Type" (the token without its API-version segment).
var armTypes = map[string]armType{
	"resources:ResourceGroup":                            {"resourceGroupName", sub + "/resourceGroups/{resourceGroupName}"},
	"network:VirtualNetwork":                             {"virtualNetworkName", rgp + "Microsoft.Network/virtualNetworks/{virtualNetworkName}"},
	"network:Subnet":                                     {"subnetName", rgp + "Microsoft.Network/virtualNetworks/{virtualNetworkName}/subnets/{subnetName}"},
	"network:NetworkSecurityGroup":                       {"networkSecurityGroupName", rgp + "Microsoft.Network/networkSecurityGroups/{networkSecurityGroupName}"},
	"network:PrivateZone":                                {"privateZoneName", rgp + "Microsoft.Network/privateDnsZones/{privateZoneName}"},
	"network:VirtualNetworkLink":                         {"virtualNetworkLinkName", rgp + "Microsoft.Network/privateDnsZones/{privateZoneName}/virtualNetworkLinks/{virtualNetworkLinkName}"},
	"network:PrivateEndpoint":                            {"privateEndpointName", rgp + "Microsoft.Network/privateEndpoints/{privateEndpointName}"},
	"network:PrivateDnsZoneGroup":                        {"privateDnsZoneGroupName", rgp + "Microsoft.Network/privateEndpoints/{privateEndpointName}/privateDnsZoneGroups/{privateDnsZoneGroupName}"},
	"network:PublicIPAddress":                            {"publicIpAddressName", rgp + "Microsoft.Network/publicIPAddresses/{publicIpAddressName}"},
	"network:NetworkInterface":                           {"networkInterfaceName", rgp + "Microsoft.Network/networkInterfaces/{networkInterfaceName}"},
	"compute:VirtualMachine":                             {"vmName", rgp + "Microsoft.Compute/virtualMachines/{vmName}"},
	"storage:StorageAccount":                             {"accountName", rgp + "Microsoft.Storage/storageAccounts/{accountName}"},
	"storage:BlobServiceProperties":                      {"blobServicesName", rgp + "Microsoft.Storage/storageAccounts/{accountName}/blobServices/{blobServicesName}"},
	"storage:BlobContainer":                              {"containerName", rgp + "Microsoft.Storage/storageAccounts/{accountName}/blobServices/default/containers/{containerName}"},
	"storage:Blob":                                       {"blobName", rgp + "Microsoft.Storage/storageAccounts/{accountName}/blobServices/default/containers/{containerName}/blobs/{blobName}"},
	"keyvault:Vault":                                     {"vaultName", rgp + "Microsoft.KeyVault/vaults/{vaultName}"},
	"containerregistry:Registry":                         {"registryName", rgp + "Microsoft.ContainerRegistry/registries/{registryName}"},
	"operationalinsights:Workspace":                      {"workspaceName", rgp + "Microsoft.OperationalInsights/workspaces/{workspaceName}"},
	"insights:Component":                                 {"resourceName", rgp + "Microsoft.Insights/components/{resourceName}"},
	"insights:DiagnosticSetting":                         {"name", "{resourceUri}/providers/Microsoft.Insights/diagnosticSettings/{name}"},
	"authorization:RoleAssignment":                       {"roleAssignmentName", "{scope}/providers/Microsoft.Authorization/roleAssignments/{roleAssignmentName}"},
	"managedidentity:UserAssignedIdentity":               {"resourceName", rgp + "Microsoft.ManagedIdentity/userAssignedIdentities/{resourceName}"},
	"machinelearningservices:Workspace":                  {"workspaceName", rgp + "Microsoft.MachineLearningServices/workspaces/{workspaceName}"},
	"machinelearningservices:Compute":                    {"computeName", rgp + "Microsoft.MachineLearningServices/workspaces/{workspaceName}/computes/{computeName}"},
	"machinelearningservices:Datastore":                  {"name", rgp + "Microsoft.MachineLearningServices/workspaces/{workspaceName}/datastores/{name}"},
	"machinelearningservices:WorkspaceConnection":        {"connectionName", rgp + "Microsoft.MachineLearningServices/workspaces/{workspaceName}/connections/{connectionName}"},
	"machinelearningservices:ManagedNetworkSettingsRule": {"ruleName", rgp + "Microsoft.MachineLearningServices/workspaces/{workspaceName}/outboundRules/{ruleName}"},
	"sql:Server":                                         {"serverName", rgp + "Microsoft.Sql/servers/{serverName}"},
	"sql:Database":                                       {"databaseName", rgp + "Microsoft.Sql/servers/{serverName}/databases/{databaseName}"},
	"sql:FirewallRule":                                   {"firewallRuleName", rgp + "Microsoft.Sql/servers/{serverName}/firewallRules/{firewallRuleName}"},
}

var apiVersionSegment = regexp.MustCompile(`/v\d{8}(preview)?$`)

// TypeKey turns "azure-native:machinelearningservices/v20241001preview:Workspace" into
// "machinelearningservices:Workspace".
func TypeKey(token string) string {
	parts := strings.Split(token, ":")
	if len(parts) != 3 {
		return token
	}
	return apiVersionSegment.ReplaceAllString(parts[1], "") + ":" + parts[2]
}

// NameKey is the input that names an azure-native resource of this token, or "".
func NameKey(token string) string {
	return armTypes[TypeKey(token)].nameKey
}

// ReplaceKeys are the inputs whose change makes azure-native replace the resource: the URL
// path parameters of its ARM id (resourceGroupName and the resource's own name parameters),
// azure-reference.md §1. Nil for tokens outside the table.
func ReplaceKeys(token string) []string {
	t, ok := armTypes[TypeKey(token)]
	if !ok {
		return nil
	}
	var keys []string
	rest := t.id
	for {
		i := strings.Index(rest, "{")
		if i < 0 {
			return keys
		}
		j := strings.Index(rest[i:], "}") + i
		if k := rest[i+1 : j]; k != "subscriptionId" {
			keys = append(keys, k)
		}
		rest = rest[j+1:]
	}
}
