// Package settings reads and validates the stack configuration in one place.
//
// Every key is read here (Load), checked, and turned into a typed Settings value before the
// program registers a single resource; a bad value fails with an error that names the key, the
// value and what is allowed, and all problems are reported together. Pulumi.yaml declares the
// same keys with their types, defaults and descriptions. Field names follow the component
// Args they end up in, so that internal/stack translates them one to one.
package settings

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Namespace is the project's config namespace (the `name` in Pulumi.yaml).
const Namespace = "azure-ml-security"

// Isolation modes of the workspace's managed VNet that this program supports. "Disabled" is not
// offered: the product is a workspace whose outbound traffic goes through a managed VNet.
const (
	IsolationAllowOnlyApprovedOutbound = "AllowOnlyApprovedOutbound"
	IsolationAllowInternetOutbound     = "AllowInternetOutbound"
)

// How people reach a private workspace (privateClientAccess).
const (
	// ClientAccessJumpVM: through this program's jump VM in the client subnet.
	ClientAccessJumpVM = "jumpVm"
	// ClientAccessNetwork: through the user's own VPN gateway, ExpressRoute or peered network
	// into the VNet; no jump VM is needed.
	ClientAccessNetwork = "network"
)

// Principal types of the deploying principal (deployerPrincipalType).
const (
	PrincipalAuto             = "auto"
	PrincipalUser             = "User"
	PrincipalServicePrincipal = "ServicePrincipal"
)

// Datastore authentication modes (datastoreAuth).
const (
	// DatastoreAuthIdentity: the datastores use the workspace's user-assigned identity.
	DatastoreAuthIdentity = "identity"
	// DatastoreAuthServicePrincipal: the datastores use the Entra app's client id and secret.
	DatastoreAuthServicePrincipal = "servicePrincipal"
)

// Settings is the validated configuration of one stack.
type Settings struct {
	// Location is azure-native:location, the region of every regional resource.
	Location string
	// Workload is the short name every Azure resource name is derived from.
	Workload string
	// AllowedIPs are public IPv4 addresses or CIDRs, in the form Azure IP rules take (a /32 is a
	// plain address: storage IP rules reject /31 and /32 prefixes).
	AllowedIPs []string
	// allowedIPsRefused: the configuration lists addresses that were refused, each reported
	// by its index; AllowedIPs is then not reported empty as well.
	allowedIPsRefused bool
	// PrivateWorkspace makes the workspace and its data reachable only through private endpoints.
	PrivateWorkspace bool
	// PrivateClientAccess says how people reach a private workspace: ClientAccessJumpVM or
	// ClientAccessNetwork.
	PrivateClientAccess string
	// DeployerPrincipalType is PrincipalAuto (from the client config), PrincipalUser or
	// PrincipalServicePrincipal.
	DeployerPrincipalType string
	IsolationMode         string
	FirewallSku           string
	Network               NetworkSettings
	DNS                   DNSSettings
	Egress                EgressSettings
	// WorkspaceUsers are the people, groups and service principals who work in the workspace.
	WorkspaceUsers []Principal
	// PrivateMonitoring puts Log Analytics and Application Insights behind an Azure Monitor
	// Private Link Scope; it applies to a private workspace (MonitoringPrivate).
	PrivateMonitoring bool
	// ProtectData marks the workspace and the resources that hold data as protected.
	ProtectData bool
	Tags        map[string]string
	Data        DataSettings
	Compute     ComputeSettings
	JumpVM      JumpVMSettings
}

// NetworkSettings are the customer VNet's address spaces, or the existing subnets of a
// landing zone's network.
type NetworkSettings struct {
	AddressSpace                string
	ClientSubnetPrefix          string
	PrivateEndpointSubnetPrefix string
	// ExistingClientSubnetID and ExistingPrivateEndpointSubnetID, both set, replace the VNet
	// this program would create.
	ExistingClientSubnetID          string
	ExistingPrivateEndpointSubnetID string
}

// Existing says whether the network is the landing zone's rather than this program's.
func (n NetworkSettings) Existing() bool { return n.ExistingPrivateEndpointSubnetID != "" }

// How private endpoints get their DNS records (privateDnsZoneGroups).
const (
	// ZoneGroupsCreate: each endpoint gets a zone group on the zones created or given.
	ZoneGroupsCreate = "create"
	// ZoneGroupsNone: Azure Policy writes the zone groups; the program creates no zone and no
	// zone group.
	ZoneGroupsNone = "none"
)

// DNSSettings say where the private endpoints' DNS records go.
type DNSSettings struct {
	// ZoneIDs are existing private DNS zones (a hub's), by zone name; they are neither created
	// nor linked.
	ZoneIDs    map[string]string
	ZoneGroups string
}

// EgressSettings are the managed network's outbound rules beyond its private endpoints.
type EgressSettings struct {
	FQDNs       []string
	ServiceTags []ServiceTagRule
	Profiles    []string
}

// ServiceTagRule admits outbound traffic to an Azure service tag.
type ServiceTagRule struct {
	ServiceTag string `json:"serviceTag"`
	Protocol   string `json:"protocol"`
	PortRanges string `json:"portRanges"`
}

// UnmarshalJSON takes portRanges as a string or a number: YAML `portRanges: 443` and
// `pulumi config set --path 'outboundServiceTagRules[0].portRanges' 443` both store a number.
func (r *ServiceTagRule) UnmarshalJSON(b []byte) error {
	type plain ServiceTagRule
	var raw struct {
		plain
		PortRanges json.RawMessage `json:"portRanges"`
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&raw); err != nil {
		return err
	}
	*r = ServiceTagRule(raw.plain)
	if len(raw.PortRanges) > 0 && raw.PortRanges[0] != '"' {
		r.PortRanges = string(raw.PortRanges)
		return nil
	}
	if len(raw.PortRanges) > 0 {
		return json.Unmarshal(raw.PortRanges, &r.PortRanges)
	}
	return nil
}

// Principal is an Entra object the program grants roles to.
type Principal struct {
	ObjectID string `json:"objectId"`
	Type     string `json:"type"`
}

// AllFQDNs are the FQDN rules to write: the configured ones and those of the profiles, sorted
// and without duplicates.
func (e EgressSettings) AllFQDNs() []string {
	seen := map[string]bool{}
	var out []string
	add := func(f string) {
		if f = strings.ToLower(f); !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	for _, p := range e.Profiles {
		for _, f := range OutboundProfiles[p].FQDNs {
			add(f)
		}
	}
	for _, f := range e.FQDNs {
		add(f)
	}
	sort.Strings(out)
	return out
}

// CreatesFirewall says whether the managed network gets an Azure Firewall: Azure creates one
// with the first FQDN rule (https://learn.microsoft.com/azure/machine-learning/how-to-managed-network,
// "Pricing").
func (s *Settings) CreatesFirewall() bool { return len(s.Egress.AllFQDNs()) > 0 }

// MonitoringPrivate says whether Log Analytics and Application Insights are reached only
// through the Azure Monitor Private Link Scope.
func (s *Settings) MonitoringPrivate() bool { return s.PrivateWorkspace && s.PrivateMonitoring }

// DataSettings configure the private datastores.
type DataSettings struct {
	UploadSampleData bool
	DatastoreAuth    string
	SQL              SQLSettings
}

// SQLSettings configure the Azure SQL server and database.
type SQLSettings struct {
	Create     bool
	AdminLogin string
	// AdminPassword is the configured secret, set only when HasPassword (otherwise a password is
	// generated).
	AdminPassword pulumi.StringOutput
	HasPassword   bool
	SkuName       string
	Sku           SQLSku // parsed from SkuName
	MaxSizeGB     int
}

// ComputeSettings configure the workspace compute instance.
type ComputeSettings struct {
	Create                 bool
	VMSize                 string
	SSHPublicKey           string
	IdleTimeBeforeShutdown string
	// UserObjectID is the Entra object id the instance is assigned to; empty means the
	// deploying principal.
	UserObjectID string
}

// JumpVMSettings configure the optional Windows jump VM inside the VNet.
type JumpVMSettings struct {
	Create        bool
	Size          string
	AdminUsername string
	Image         ImageSettings
}

// ImageSettings are a marketplace image.
type ImageSettings struct {
	Publisher, Offer, Sku string
}

// Error is a validation failure of one config key.
type Error struct {
	Key     string
	Value   string
	Allowed string
}

func (e *Error) Error() string {
	return fmt.Sprintf("config %s:%s = %q is invalid: %s", Namespace, e.Key, e.Value, e.Allowed)
}

// Load reads every config key, applies the defaults declared in Pulumi.yaml and validates the
// result. All problems are reported together.
func Load(ctx *pulumi.Context) (*Settings, error) {
	s, _, err := load(ctx)
	return s, err
}

func load(ctx *pulumi.Context) (*Settings, *reader, error) {
	r := newReader(ctx)
	s := read(r)
	r.errs = append(r.errs, validate(s, r.sqlPassword)...)
	r.errs = append(r.errs, r.unknownKeys()...)
	if len(r.errs) > 0 {
		msgs := make([]string, len(r.errs))
		for i, e := range r.errs {
			msgs[i] = e.Error()
		}
		sort.Strings(msgs)
		return nil, r, fmt.Errorf("invalid stack configuration:\n  %s", strings.Join(msgs, "\n  "))
	}
	return s, r, nil
}

// read reads every key with its Pulumi.yaml default. Values that need parsing are parsed here
// (addresses into the form Azure takes, the SQL SKU into its parts); validate checks the rest.
func read(r *reader) *Settings {
	s := &Settings{}
	s.Location = r.location()
	s.Workload = r.str("workload", "amlsec")
	s.AllowedIPs, s.allowedIPsRefused = r.allowedIPs("allowedIpAddresses")
	s.PrivateWorkspace = r.boolean("privateWorkspace", false)
	s.PrivateClientAccess = r.str("privateClientAccess", ClientAccessJumpVM)
	s.DeployerPrincipalType = r.str("deployerPrincipalType", PrincipalAuto)
	s.IsolationMode = r.str("isolationMode", IsolationAllowOnlyApprovedOutbound)
	s.FirewallSku = r.str("firewallSku", "Basic")
	s.Network = NetworkSettings{
		AddressSpace:                r.str("vnetAddressSpace", "10.60.0.0/16"),
		ClientSubnetPrefix:          r.str("clientSubnetPrefix", "10.60.1.0/24"),
		PrivateEndpointSubnetPrefix: r.str("privateEndpointSubnetPrefix", "10.60.2.0/24"),
	}
	s.Network.ExistingClientSubnetID = r.str("existingClientSubnetId", "")
	s.Network.ExistingPrivateEndpointSubnetID = r.str("existingPrivateEndpointSubnetId", "")
	s.DNS = DNSSettings{ZoneIDs: r.strMap("privateDnsZoneIds"), ZoneGroups: r.str("privateDnsZoneGroups", ZoneGroupsCreate)}
	s.Egress = EgressSettings{FQDNs: r.strList("outboundFqdnRules"), Profiles: r.strList("outboundProfiles")}
	s.Egress.ServiceTags = objects[ServiceTagRule](r, "outboundServiceTagRules", "a list of {serviceTag, protocol, portRanges}")
	s.WorkspaceUsers = objects[Principal](r, "workspaceUsers", "a list of {objectId, type}")
	s.PrivateMonitoring = r.boolean("privateMonitoring", true)
	s.ProtectData = r.boolean("protectData", true)
	s.Tags = r.strMap("tags")

	s.Data = DataSettings{
		UploadSampleData: r.boolean("uploadSampleData", true),
		DatastoreAuth:    r.str("datastoreAuth", DatastoreAuthIdentity),
		SQL: SQLSettings{
			Create:     r.boolean("createSqlDatabase", true),
			AdminLogin: r.str("sqlAdminLogin", "sqladminuser"),
			SkuName:    r.str("sqlSkuName", "Basic"),
			MaxSizeGB:  r.integer("sqlMaxSizeGb", 2),
		},
	}
	s.Data.SQL.AdminPassword, s.Data.SQL.HasPassword = r.secret("sqlAdminPassword")
	s.Data.SQL.Sku, _ = ParseSQLSku(s.Data.SQL.SkuName)

	s.Compute = ComputeSettings{
		Create:                 r.boolean("createComputeInstance", false),
		VMSize:                 r.str("computeInstanceVmSize", "Standard_DS11_v2"),
		SSHPublicKey:           r.str("computeInstanceSshPublicKey", ""),
		IdleTimeBeforeShutdown: r.str("computeInstanceIdleTimeBeforeShutdown", "PT30M"),
		UserObjectID:           r.str("computeInstanceUserObjectId", ""),
	}
	s.JumpVM = JumpVMSettings{
		Create:        r.boolean("createJumpVm", false),
		Size:          r.str("jumpVmSize", "Standard_B2s"),
		AdminUsername: r.str("jumpVmAdminUsername", "azureuser"),
		Image: ImageSettings{
			Publisher: r.str("jumpVmImagePublisher", "MicrosoftWindowsDesktop"),
			Offer:     r.str("jumpVmImageOffer", "windows-11"),
			Sku:       r.str("jumpVmImageSku", "win11-24h2-pro"),
		},
	}
	return s
}

// ResourceTags are the configured tags plus the ones every resource carries. The stack name
// is deliberately not a tag: tags must not change when a stack's configuration is switched.
func (s *Settings) ResourceTags() map[string]string {
	tags := map[string]string{"workload": s.Workload, "managed-by": "pulumi", "project": Namespace}
	for k, v := range s.Tags {
		tags[k] = v
	}
	return tags
}
