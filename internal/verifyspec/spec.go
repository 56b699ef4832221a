// Package verifyspec is the contract between the program and `cmd/verify`: what a deployed stack
// declares about itself, exported by the program as the stack output "verification" (JSON) and
// read back by verify, which compares it with what Azure actually did. The program is the only
// producer (internal/stack), so verify never re-derives the design from the configuration.
package verifyspec

// OutputName is the stack output that holds a Spec.
const OutputName = "verification"

// Spec is what one stack declares.
type Spec struct {
	SubscriptionID    string `json:"subscriptionId"`
	ResourceGroupName string `json:"resourceGroupName"`
	Location          string `json:"location"`
	// Private is the privateWorkspace setting: every resource in Exposure is private.
	Private bool `json:"private"`
	// AllowedIPs are the public addresses a public stack admits (allowedIpAddresses).
	AllowedIPs []string `json:"allowedIps"`

	Workspace Workspace `json:"workspace"`
	// OutboundRules are the managed network's rules the stack writes (not the ones Azure adds).
	OutboundRules []OutboundRule `json:"outboundRules"`
	// RoleAssignments are the grants the design depends on.
	RoleAssignments []RoleAssignment `json:"roleAssignments"`
	Datastores      []Datastore      `json:"datastores"`
	Connections     []Connection     `json:"connections"`
	// Exposure lists every resource whose network exposure the configuration decides.
	Exposure []Exposed `json:"exposure"`
	// PrivateEndpoints are the customer VNet's endpoints (private stacks), by ARM id.
	PrivateEndpoints []string `json:"privateEndpoints"`
	// ComputeInstance is set when the stack has one.
	ComputeInstance *ComputeInstance `json:"computeInstance,omitempty"`
	// SampleData are the files the stack uploaded (uploadSampleData), to read back.
	SampleData []SampleFile `json:"sampleData"`
	// FirewallExpected is true when the stack declares FQDN rules, which make Azure create a
	// managed Azure Firewall.
	FirewallExpected bool `json:"firewallExpected"`
}

// Workspace is the ML workspace and its managed network.
type Workspace struct {
	ID             string `json:"id"`
	Name           string `json:"name"`
	APIVersion     string `json:"apiVersion"` // the ML API version the program deploys with
	RuleAPIVersion string `json:"ruleApiVersion"`
	IsolationMode  string `json:"isolationMode"`
	FirewallSku    string `json:"firewallSku"`
}

// OutboundRule is one rule the stack writes.
type OutboundRule struct {
	Name string `json:"name"`
	// Type is PrivateEndpoint, FQDN or ServiceTag.
	Type string `json:"type"`
	// Destination is the target's ARM id (PrivateEndpoint), the FQDN, or the service tag.
	Destination string `json:"destination"`
	// Subresource is the private-link group of a PrivateEndpoint rule.
	Subresource string `json:"subresource,omitempty"`
	// Protocol (TCP, UDP, ICMP or *) and PortRanges ("443", "80,8080-8090" or *) of a
	// ServiceTag rule: with the tag they are what the rule admits.
	Protocol   string `json:"protocol,omitempty"`
	PortRanges string `json:"portRanges,omitempty"`
}

// RoleAssignment is one grant: role (a built-in role definition GUID) on scope to principal.
type RoleAssignment struct {
	Scope       string `json:"scope"`
	Role        string `json:"role"`
	RoleName    string `json:"roleName"`
	PrincipalID string `json:"principalId"`
	// Purpose says why the design needs it, for the report.
	Purpose string `json:"purpose"`
}

// Datastore is one datastore registered in the workspace.
type Datastore struct {
	Name string `json:"name"`
	// Type is AzureBlob, AzureDataLakeGen2 or AzureFile.
	Type string `json:"type"`
	// CredentialsType is None (identity-based) or ServicePrincipal.
	CredentialsType string `json:"credentialsType"`
	Account         string `json:"account"`
	Container       string `json:"container"`
}

// Connection is one workspace connection.
type Connection struct {
	Name     string `json:"name"`
	Category string `json:"category"`
	AuthType string `json:"authType"`
	// Server and Database of an Azure SQL connection.
	Server   string `json:"server,omitempty"`
	Database string `json:"database,omitempty"`
}

// Exposed is one resource whose public network access the configuration decides.
type Exposed struct {
	ID         string `json:"id"`
	APIVersion string `json:"apiVersion"`
	// Private: public network access must be Disabled and no public firewall rule admits
	// anyone; otherwise only AllowedIPs may be admitted.
	Private bool `json:"private"`
}

// ComputeInstance is the personal compute instance.
type ComputeInstance struct {
	Name                   string `json:"name"`
	IdleTimeBeforeShutdown string `json:"idleTimeBeforeShutdown"`
	// IdentityPrincipalID is the identity idle shutdown needs Contributor on the workspace for.
	IdentityPrincipalID string `json:"identityPrincipalId"`
}

// SampleFile is a file the stack uploaded.
type SampleFile struct {
	// URL is the blob's https URL (https://<account>.blob.core.windows.net/<container>/<path>).
	URL string `json:"url"`
}
