package verify

import (
	"encoding/json"
	"strings"
)

// The parts of ARM's answers the checks read. Unknown fields are ignored, so the extra
// fields real services return (errorInformation, parentRuleNames, ...) do not matter.

// workspace is a GET of Microsoft.MachineLearningServices/workspaces at 2024-10-01-preview
// (azure-rest-api-specs, specification/machinelearningservices/resource-manager/
// Microsoft.MachineLearningServices/preview/2024-10-01-preview/examples/Workspace/get.json).
type workspace struct {
	Properties struct {
		ProvisioningState          string                      `json:"provisioningState"`
		PublicNetworkAccess        string                      `json:"publicNetworkAccess"`
		NetworkAcls                *ipRuleSet                  `json:"networkAcls"`
		ManagedNetwork             *managedNetwork             `json:"managedNetwork"`
		PrivateEndpointConnections []privateEndpointConnection `json:"privateEndpointConnections"`
	} `json:"properties"`
}

type managedNetwork struct {
	IsolationMode string                    `json:"isolationMode"`
	FirewallSku   string                    `json:"firewallSku"`
	OutboundRules map[string]ruleProperties `json:"outboundRules"`
	Status        *struct {
		Status string `json:"status"`
	} `json:"status"`
}

// rule is one element of the outbound rule list (examples/ManagedNetwork/listRule.json).
type rule struct {
	Name       string         `json:"name"`
	Properties ruleProperties `json:"properties"`
}

type ruleProperties struct {
	// Type is FQDN, PrivateEndpoint or ServiceTag.
	Type string `json:"type"`
	// Category is Required, Recommended, Dependency (Azure's own rules) or UserDefined.
	Category string `json:"category"`
	// Status is Active or Inactive.
	Status string `json:"status"`
	// Destination is a string for FQDN rules and an object for the others.
	Destination json.RawMessage `json:"destination"`
}

// ruleDestination is the object destination of PrivateEndpoint and ServiceTag rules
// (PrivateEndpointDestination and ServiceTagDestination in azure-rest-api-specs,
// specification/machinelearningservices/resource-manager/Microsoft.MachineLearningServices/
// stable/2024-10-01/workspaceRP.json).
type ruleDestination struct {
	ServiceResourceID string `json:"serviceResourceId"`
	SubresourceTarget string `json:"subresourceTarget"`
	ServiceTag        string `json:"serviceTag"`
	Protocol          string `json:"protocol"`
	PortRanges        string `json:"portRanges"`
}

func (p ruleProperties) object() ruleDestination {
	var d ruleDestination
	_ = json.Unmarshal(p.Destination, &d)
	return d
}

// target is where the rule leads: the FQDN, the target resource id and its subresource, or
// the service tag.
func (p ruleProperties) target() (destination, subresource string) {
	var s string
	if json.Unmarshal(p.Destination, &s) == nil {
		return s, ""
	}
	d := p.object()
	if d.ServiceTag != "" {
		return d.ServiceTag, ""
	}
	return d.ServiceResourceID, d.SubresourceTarget
}

// privateEndpointConnection is the same shape on the workspace, storage, Key Vault, the
// registry and SQL servers.
type privateEndpointConnection struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Properties struct {
		PrivateEndpoint *struct {
			ID string `json:"id"`
		} `json:"privateEndpoint"`
		PrivateLinkServiceConnectionState struct {
			Status      string `json:"status"`
			Description string `json:"description"`
		} `json:"privateLinkServiceConnectionState"`
	} `json:"properties"`
}

// ipRuleSet is storage's and Key Vault's networkAcls, the registry's networkRuleSet and the
// workspace's networkAcls: all a default action plus IP rules of {"value": ...}. Storage and
// Key Vault also admit subnets (virtualNetworkRules, {"id": <subnet>}), and storage Azure
// resource instances (resourceAccessRules).
type ipRuleSet struct {
	DefaultAction string `json:"defaultAction"`
	IPRules       []struct {
		Value string `json:"value"`
	} `json:"ipRules"`
	VirtualNetworkRules []struct {
		ID string `json:"id"`
	} `json:"virtualNetworkRules"`
	ResourceAccessRules []struct {
		TenantID   string `json:"tenantId"`
		ResourceID string `json:"resourceId"`
	} `json:"resourceAccessRules"`
}

func (s *ipRuleSet) values() []string {
	if s == nil {
		return nil
	}
	var out []string
	for _, r := range s.IPRules {
		out = append(out, r.Value)
	}
	return out
}

// networked is what every exposed resource type says about its network:
// storage (StorageAccountGetProperties.json, 2022-09-01), Key Vault
// (listVaultByResourceGroup.json, 2023-02-01), the registry (RegistryGet.json,
// 2023-11-01-preview), SQL (ServerGet.json, 2021-11-01) and the workspace.
type networked struct {
	Properties struct {
		PublicNetworkAccess        string                      `json:"publicNetworkAccess"`
		NetworkAcls                *ipRuleSet                  `json:"networkAcls"`
		NetworkRuleSet             *ipRuleSet                  `json:"networkRuleSet"`
		PrivateEndpointConnections []privateEndpointConnection `json:"privateEndpointConnections"`
	} `json:"properties"`
}

// firewall is the IP rule set of the type: the registry calls it networkRuleSet.
func (n networked) firewall() *ipRuleSet {
	if n.Properties.NetworkRuleSet != nil {
		return n.Properties.NetworkRuleSet
	}
	return n.Properties.NetworkAcls
}

// sqlFirewallRule is one Microsoft.Sql/servers/firewallRules (FirewallRuleGet.json, 2021-11-01).
type sqlFirewallRule struct {
	Name       string `json:"name"`
	Properties struct {
		StartIPAddress string `json:"startIpAddress"`
		EndIPAddress   string `json:"endIpAddress"`
	} `json:"properties"`
}

// sqlVNetRule is one Microsoft.Sql/servers/virtualNetworkRules (VirtualNetworkRuleList.json,
// 2021-11-01).
type sqlVNetRule struct {
	Name       string `json:"name"`
	Properties struct {
		VirtualNetworkSubnetID string `json:"virtualNetworkSubnetId"`
	} `json:"properties"`
}

// roleAssignment is one element of RoleAssignments_ListForScope.json (2022-04-01).
type roleAssignment struct {
	Properties struct {
		RoleDefinitionID string `json:"roleDefinitionId"`
		PrincipalID      string `json:"principalId"`
		Scope            string `json:"scope"`
	} `json:"properties"`
}

// roleGUID is the role definition's GUID: ids come as /providers/... or
// /subscriptions/<s>/providers/..., so only the last segment is compared.
func (a roleAssignment) roleGUID() string {
	return strings.ToLower(resourceName(a.Properties.RoleDefinitionID))
}

// datastore is one element of examples/Datastore/list.json (2024-10-01).
type datastore struct {
	Name       string `json:"name"`
	Properties struct {
		DatastoreType string `json:"datastoreType"`
		AccountName   string `json:"accountName"`
		ContainerName string `json:"containerName"`
		Filesystem    string `json:"filesystem"`
		FileShareName string `json:"fileShareName"`
		Credentials   struct {
			CredentialsType string `json:"credentialsType"`
		} `json:"credentials"`
	} `json:"properties"`
}

// container is the container, filesystem or file share, by datastore type.
func (d datastore) container() string {
	switch {
	case d.Properties.Filesystem != "":
		return d.Properties.Filesystem
	case d.Properties.FileShareName != "":
		return d.Properties.FileShareName
	}
	return d.Properties.ContainerName
}

// connection is one element of examples/WorkspaceConnection/list.json (2024-10-01).
type connection struct {
	Name       string `json:"name"`
	Properties struct {
		Category string `json:"category"`
		AuthType string `json:"authType"`
		Target   string `json:"target"`
	} `json:"properties"`
}

// compute is examples/Compute/get/ComputeInstance.json (2024-10-01-preview), plus the
// idleTimeBeforeShutdown of ComputeInstanceProperties.
type compute struct {
	Properties struct {
		ComputeType       string `json:"computeType"`
		ProvisioningState string `json:"provisioningState"`
		Properties        struct {
			IdleTimeBeforeShutdown string `json:"idleTimeBeforeShutdown"`
			State                  string `json:"state"`
		} `json:"properties"`
	} `json:"properties"`
}

// privateEndpoint is a Microsoft.Network/privateEndpoints GET (2023-02-01): customDnsConfigs
// are the names the endpoint answers for (CustomDnsConfigPropertiesFormat in
// specification/network/resource-manager/Microsoft.Network/stable/2023-02-01/privateEndpoint.json).
type privateEndpoint struct {
	Properties struct {
		CustomDNSConfigs []dnsRecord `json:"customDnsConfigs"`
	} `json:"properties"`
}

// dnsZoneGroup is one element of PrivateEndpointDnsZoneGroupList.json (2023-02-01): the A
// records Azure keeps in the linked private DNS zones.
type dnsZoneGroup struct {
	Properties struct {
		PrivateDNSZoneConfigs []struct {
			Properties struct {
				RecordSets []dnsRecord `json:"recordSets"`
			} `json:"properties"`
		} `json:"privateDnsZoneConfigs"`
	} `json:"properties"`
}

type dnsRecord struct {
	FQDN        string   `json:"fqdn"`
	IPAddresses []string `json:"ipAddresses"`
}
