// Package settings reads and validates the stack configuration in one place.
//
// Every key is read here, checked, and turned into a typed Settings value before the program
// registers a single resource; a bad value fails with an error that names the key, the value
// and what is allowed. Pulumi.yaml declares the same keys with their types and defaults.
package settings

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

// Namespace is the project's config namespace (the `name` in Pulumi.yaml).
const Namespace = "azure-ml-security"

// Isolation modes of the workspace's managed VNet that this program supports. "Disabled" is not
// offered: the product is a workspace whose outbound traffic goes through a managed VNet.
const (
	IsolationAllowOnlyApprovedOutbound = "AllowOnlyApprovedOutbound"
	IsolationAllowInternetOutbound     = "AllowInternetOutbound"
)

// Datastore authentication modes.
const (
	DatastoreAuthIdentity         = "identity"
	DatastoreAuthServicePrincipal = "servicePrincipal"
)

// Settings is the validated configuration of one stack.
type Settings struct {
	// Location is azure-native:location, the region of every regional resource.
	Location string
	// Workload is the short name every Azure resource name is derived from.
	Workload string
	// AllowedIPAddresses are public IPv4 addresses or CIDRs (normalised: a /32 becomes a plain
	// address, because storage IP rules reject /31 and /32 prefixes).
	AllowedIPAddresses []string
	// PrivateWorkspace makes the workspace and its data reachable only through private endpoints.
	PrivateWorkspace bool
	IsolationMode    string
	FirewallSku      string
	Network          NetworkSettings
	Tags             map[string]string
	Data             DataSettings
	Compute          ComputeSettings
	JumpVM           JumpVMSettings
	// Keys are the project-namespace keys Load reads, sorted.
	Keys []string
}

// NetworkSettings are the customer VNet's address spaces.
type NetworkSettings struct {
	VnetAddressSpace            string
	ClientSubnetPrefix          string
	PrivateEndpointSubnetPrefix string
}

// DataSettings configure the private datastores.
type DataSettings struct {
	UploadSampleData  bool
	DatastoreAuth     string
	CreateSQLDatabase bool
	SQLAdminLogin     string
	// SQLAdminPassword is the configured secret, set only when HasSQLPassword (otherwise a
	// password is generated).
	SQLAdminPassword pulumi.StringOutput
	HasSQLPassword   bool
	SQLSkuName       string
	SQLSku           SQLSku // parsed from SQLSkuName
	SQLMaxSizeGB     int
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
	Create       bool
	Size         string
	AdminUser    string
	ImagePublish string
	ImageOffer   string
	ImageSku     string
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
	r := reader{ctx: ctx, cfg: config.New(ctx, Namespace), read: map[string]bool{}}
	s := &Settings{}

	s.Location = config.Get(ctx, "azure-native:location")
	if s.Location == "" {
		r.errs = append(r.errs, errors.New(`config azure-native:location is not set: set it with "pulumi config set azure-native:location <region>", e.g. eastus2`))
	}

	s.Workload = r.str("workload", "amlsec")
	s.AllowedIPAddresses = r.strList("allowedIpAddresses")
	s.PrivateWorkspace = r.boolean("privateWorkspace", false)
	s.IsolationMode = r.str("isolationMode", IsolationAllowOnlyApprovedOutbound)
	s.FirewallSku = r.str("firewallSku", "Basic")
	s.Network = NetworkSettings{
		VnetAddressSpace:            r.str("vnetAddressSpace", "10.60.0.0/16"),
		ClientSubnetPrefix:          r.str("clientSubnetPrefix", "10.60.1.0/24"),
		PrivateEndpointSubnetPrefix: r.str("privateEndpointSubnetPrefix", "10.60.2.0/24"),
	}
	s.Tags = r.strMap("tags")

	s.Data = DataSettings{
		UploadSampleData:  r.boolean("uploadSampleData", true),
		DatastoreAuth:     r.str("datastoreAuth", DatastoreAuthIdentity),
		CreateSQLDatabase: r.boolean("createSqlDatabase", true),
		SQLAdminLogin:     r.str("sqlAdminLogin", "sqladminuser"),
		SQLSkuName:        r.str("sqlSkuName", "Basic"),
		SQLMaxSizeGB:      r.integer("sqlMaxSizeGb", 2),
	}
	var sqlPassword string
	s.Data.SQLAdminPassword, sqlPassword, s.Data.HasSQLPassword = r.secret("sqlAdminPassword")

	s.Compute = ComputeSettings{
		Create:                 r.boolean("createComputeInstance", false),
		VMSize:                 r.str("computeInstanceVmSize", "Standard_DS11_v2"),
		SSHPublicKey:           r.str("computeInstanceSshPublicKey", ""),
		IdleTimeBeforeShutdown: r.str("computeInstanceIdleTimeBeforeShutdown", "PT30M"),
		UserObjectID:           r.str("computeInstanceUserObjectId", ""),
	}
	s.JumpVM = JumpVMSettings{
		Create:       r.boolean("createJumpVm", false),
		Size:         r.str("jumpVmSize", "Standard_B2s"),
		AdminUser:    r.str("jumpVmAdminUsername", "azureuser"),
		ImagePublish: r.str("jumpVmImagePublisher", "MicrosoftWindowsDesktop"),
		ImageOffer:   r.str("jumpVmImageOffer", "windows-11"),
		ImageSku:     r.str("jumpVmImageSku", "win11-24h2-pro"),
	}

	r.errs = append(r.errs, validate(s, sqlPassword)...)
	r.errs = append(r.errs, unknownKeys(os.Getenv(pulumi.EnvConfig), r.read)...)
	for k := range r.read {
		s.Keys = append(s.Keys, k)
	}
	sort.Strings(s.Keys)
	if len(r.errs) > 0 {
		msgs := make([]string, len(r.errs))
		for i, e := range r.errs {
			msgs[i] = e.Error()
		}
		sort.Strings(msgs)
		return nil, fmt.Errorf("invalid stack configuration:\n  %s", strings.Join(msgs, "\n  "))
	}
	return s, nil
}

// reader wraps config access so that type errors become named errors instead of panics.
type reader struct {
	ctx  *pulumi.Context
	cfg  *config.Config
	errs []error
	// read records every key Load asks for, so that unknown keys can be reported.
	read map[string]bool
}

func (r *reader) fail(key, value, allowed string) {
	r.errs = append(r.errs, &Error{Key: key, Value: value, Allowed: allowed})
}

func (r *reader) try(key string) (string, error) {
	r.read[key] = true
	return r.cfg.Try(key)
}

func (r *reader) str(key, def string) string {
	v, err := r.try(key)
	if err != nil {
		return def
	}
	return v
}

func (r *reader) boolean(key string, def bool) bool {
	raw, err := r.try(key)
	if err != nil {
		return def
	}
	switch raw {
	case "true":
		return true
	case "false":
		return false
	}
	r.fail(key, raw, "must be true or false")
	return def
}

func (r *reader) integer(key string, def int) int {
	raw, err := r.try(key)
	if err != nil {
		return def
	}
	var n int
	if _, err := fmt.Sscanf(raw, "%d", &n); err != nil || fmt.Sprint(n) != strings.TrimSpace(raw) {
		r.fail(key, raw, "must be a whole number")
		return def
	}
	return n
}

func (r *reader) strList(key string) []string {
	raw, err := r.try(key)
	if err != nil {
		return nil
	}
	var out []string
	if err := r.cfg.TryObject(key, &out); err != nil {
		r.fail(key, raw, "must be a list of strings")
		return nil
	}
	return out
}

func (r *reader) strMap(key string) map[string]string {
	raw, err := r.try(key)
	if err != nil {
		return map[string]string{}
	}
	out := map[string]string{}
	if err := r.cfg.TryObject(key, &out); err != nil {
		r.fail(key, raw, "must be a map of string to string")
		return map[string]string{}
	}
	return out
}

// secret reads a secret key. The plain value is returned only for validation and never leaves
// this package; the program uses the secret output.
func (r *reader) secret(key string) (pulumi.StringOutput, string, bool) {
	plain, err := r.try(key)
	if err != nil {
		return pulumi.StringOutput{}, "", false
	}
	if !r.ctx.IsConfigSecret(Namespace + ":" + key) {
		r.fail(key, "<not shown>", `must be stored encrypted: use "pulumi config set --secret `+key+` <value>"`)
	}
	return pulumi.ToSecret(pulumi.String(plain)).(pulumi.StringOutput), plain, true
}

// prefixOf parses an address or CIDR into a prefix; a bare address becomes a /32.
func prefixOf(s string) (netip.Prefix, error) {
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, err
		}
		if p.Masked() != p {
			return netip.Prefix{}, fmt.Errorf("host bits set (did you mean %s?)", p.Masked())
		}
		return p, nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	return netip.PrefixFrom(a, a.BitLen()), nil
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

// OptionalSecretKeys are read by Load but not declared in Pulumi.yaml, because a declared key
// without a default is required and a secret has no default.
var OptionalSecretKeys = []string{"sqlAdminPassword"}

// unknownKeys reports keys of the project namespace that Load does not read: a typo in a stack
// file (say "privateWorkpsace") would otherwise be ignored and the default used silently.
// The CLI hands a Go program its whole configuration as JSON in PULUMI_CONFIG; without it
// (unit tests set config directly) there is nothing to check.
func unknownKeys(raw string, read map[string]bool) []error {
	if raw == "" {
		return nil
	}
	var all map[string]string
	if err := json.Unmarshal([]byte(raw), &all); err != nil {
		return nil
	}
	known := make([]string, 0, len(read))
	for k := range read {
		known = append(known, k)
	}
	sort.Strings(known)
	var errs []error
	for full := range all {
		key, ok := strings.CutPrefix(full, Namespace+":")
		if !ok || read[key] {
			continue
		}
		errs = append(errs, &Error{Key: key, Value: "<set>", Allowed: "is not a configuration key of this program; known keys: " + strings.Join(known, ", ")})
	}
	return errs
}
