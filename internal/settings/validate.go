package settings

import (
	"fmt"
	"net/netip"
	"regexp"
	"strings"
	"unicode"
)

// MaxWorkloadLen keeps every derived name within its Azure limit. The tightest are storage
// accounts (3-24 lower-case letters and digits): "dls" + workload + the 6-character random
// suffix (internal/naming).
const MaxWorkloadLen = 10

var (
	workloadRe = regexp.MustCompile(`^[a-z][a-z0-9]*$`)
	// Azure VM sizes look like Standard_DS11_v2, Standard_E4ds_v5, Basic_A1.
	vmSizeRe = regexp.MustCompile(`^(Standard|Basic)_[A-Za-z0-9]+(_[A-Za-z0-9]+)*$`)
	// ISO 8601 durations accepted by idleTimeBeforeShutdown: PT15M .. P3D style.
	durationRe  = regexp.MustCompile(`^P(\d+D)?(T(\d+H)?(\d+M)?)?$`)
	sqlLoginRe  = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{0,127}$`)
	adminUserRe = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_.-]{0,19}$`)
	uuidRe      = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	sshKeyRe    = regexp.MustCompile(`^(ssh-rsa|ssh-ed25519|ecdsa-sha2-nistp(256|384|521)) [A-Za-z0-9+/=]+( .*)?$`)
	tagKeyBad   = regexp.MustCompile(`[<>%&\\?/]`)
)

// reservedAdminNames are administrator names Azure refuses, for the SQL server's login and the
// jump VM's user alike.
var reservedAdminNames = map[string]bool{
	"admin": true, "administrator": true, "sa": true, "root": true, "dbmanager": true,
	"loginmanager": true, "dbo": true, "guest": true, "public": true,
}

// validate checks every value and the rules between keys, section by section.
func validate(s *Settings, sqlPassword string) []error {
	var errs []error
	for _, section := range []func(*Settings) []error{
		validateWorkload, validateAccess, validateManagedNetwork, validateNetwork, validateExistingNetwork,
		validateDNS, validateEgress, validateUsers, validateTags, validateCompute, validateJumpVM,
	} {
		errs = append(errs, section(s)...)
	}
	return append(errs, validateData(s, sqlPassword)...)
}

func invalid(key, value, allowed string) error {
	return &Error{Key: key, Value: value, Allowed: allowed}
}

func validateWorkload(s *Settings) []error {
	if !workloadRe.MatchString(s.Workload) || len(s.Workload) < 2 || len(s.Workload) > MaxWorkloadLen {
		return []error{invalid("workload", s.Workload, fmt.Sprintf("must be 2-%d lowercase letters and digits starting with a letter (it prefixes storage account, key vault and compute names, whose Azure limits are 24 characters)", MaxWorkloadLen))}
	}
	return nil
}

// validateAccess checks who can reach the workspace: the allowed addresses of a public
// workspace, and a way into a private one.
func validateAccess(s *Settings) []error {
	var errs []error
	if !s.PrivateWorkspace && len(s.AllowedIPs) == 0 && !s.allowedIPsRefused {
		errs = append(errs, invalid("allowedIpAddresses", "[]", "a public workspace (privateWorkspace: false) needs at least one allowed public IPv4 address or CIDR, or nobody can reach its storage, key vault and registry"))
	}
	switch s.PrivateClientAccess {
	case ClientAccessJumpVM, ClientAccessNetwork:
	default:
		errs = append(errs, invalid("privateClientAccess", s.PrivateClientAccess, "must be jumpVm (this program's jump VM) or network (your own VPN, ExpressRoute or peered network into the VNet)"))
	}
	// In a landing zone's network, the platform's connectivity is the way in.
	if s.PrivateWorkspace && !s.JumpVM.Create && s.PrivateClientAccess == ClientAccessJumpVM && !s.Network.Existing() {
		errs = append(errs, invalid("createJumpVm", "false", "a private workspace (privateWorkspace: true) is reachable only from inside the VNet: set createJumpVm to true, or privateClientAccess to network if you reach the VNet through your own VPN, ExpressRoute or peering"))
	}
	switch s.DeployerPrincipalType {
	case PrincipalAuto, PrincipalUser, PrincipalServicePrincipal:
	default:
		errs = append(errs, invalid("deployerPrincipalType", s.DeployerPrincipalType, "must be auto, User or ServicePrincipal"))
	}
	return errs
}

func validateManagedNetwork(s *Settings) []error {
	var errs []error
	switch s.IsolationMode {
	case IsolationAllowOnlyApprovedOutbound, IsolationAllowInternetOutbound:
	default:
		errs = append(errs, invalid("isolationMode", s.IsolationMode, "must be AllowOnlyApprovedOutbound or AllowInternetOutbound"))
	}
	switch s.FirewallSku {
	case "Basic", "Standard":
	default:
		errs = append(errs, invalid("firewallSku", s.FirewallSku, "must be Basic or Standard"))
	}
	// With AllowInternetOutbound Azure adds the managed network's private endpoint to the
	// workspace only when the workspace's public access is off; a public ("selected IPs")
	// workspace then needs a rule to itself, which cannot be written with the workspace
	// (Microsoft Learn, how-to-managed-network: "List of required rules" and "Scenario: Enable
	// access from selected IP Addresses"), so compute in the managed network could not reach it.
	if s.IsolationMode == IsolationAllowInternetOutbound && !s.PrivateWorkspace {
		errs = append(errs, invalid("isolationMode", s.IsolationMode, "a public workspace (privateWorkspace: false) needs AllowOnlyApprovedOutbound: only in that mode does Azure add the managed network's private endpoint to the workspace itself, without which compute in the managed network cannot reach it"))
	}
	return errs
}

func validateNetwork(s *Settings) []error {
	n := s.Network
	if n.Existing() {
		return nil // the landing zone's subnets are used; no address space is created
	}
	var errs []error
	parse := func(key, v string) (netip.Prefix, bool) {
		p, err := prefixOf(v)
		if err != nil || !strings.Contains(v, "/") || !p.Addr().Is4() {
			errs = append(errs, invalid(key, v, "must be an IPv4 CIDR such as 10.60.0.0/16"))
			return p, false
		}
		if !p.Addr().IsPrivate() {
			errs = append(errs, invalid(key, v, "must be in a private range (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16)"))
			return p, false
		}
		return p, true
	}
	vnet, ok1 := parse("vnetAddressSpace", n.AddressSpace)
	client, ok2 := parse("clientSubnetPrefix", n.ClientSubnetPrefix)
	pe, ok3 := parse("privateEndpointSubnetPrefix", n.PrivateEndpointSubnetPrefix)
	if !ok1 || !ok2 || !ok3 {
		return errs
	}
	for _, sub := range []struct {
		key string
		p   netip.Prefix
	}{{"clientSubnetPrefix", client}, {"privateEndpointSubnetPrefix", pe}} {
		if !(vnet.Bits() <= sub.p.Bits() && vnet.Contains(sub.p.Addr())) {
			errs = append(errs, invalid(sub.key, sub.p.String(), "must lie inside vnetAddressSpace "+vnet.String()))
		} else if sub.p.Bits() > 28 {
			errs = append(errs, invalid(sub.key, sub.p.String(), "must be /28 or larger (Azure reserves 5 addresses per subnet)"))
		}
	}
	if client.Overlaps(pe) {
		errs = append(errs, invalid("privateEndpointSubnetPrefix", pe.String(), "must not overlap clientSubnetPrefix "+client.String()))
	}
	return errs
}

func validateTags(s *Settings) []error {
	var errs []error
	for k, v := range s.Tags {
		if k == "" || len(k) > 512 || tagKeyBad.MatchString(k) {
			errs = append(errs, invalid("tags", k, `tag names must be 1-512 characters without < > % & \ ? /`))
		}
		if len(v) > 256 {
			errs = append(errs, invalid("tags."+k, v, "tag values are at most 256 characters"))
		}
	}
	return errs
}

func validateData(s *Settings, sqlPassword string) []error {
	var errs []error
	// A private workspace's data accounts have no public endpoint, so the deployer cannot write
	// the sample file (storage.Blob is a data-plane write from the deployer's machine).
	if s.PrivateWorkspace && s.Data.UploadSampleData {
		errs = append(errs, invalid("uploadSampleData", "true", "a private workspace's data accounts have no public endpoint for the deployer to upload the sample file through: set uploadSampleData to false with privateWorkspace: true"))
	}
	switch s.Data.DatastoreAuth {
	case DatastoreAuthIdentity, DatastoreAuthServicePrincipal:
	default:
		errs = append(errs, invalid("datastoreAuth", s.Data.DatastoreAuth, "must be identity or servicePrincipal"))
	}
	q := s.Data.SQL
	if !q.Create {
		return errs
	}
	if !sqlLoginRe.MatchString(q.AdminLogin) || reservedAdminNames[strings.ToLower(q.AdminLogin)] {
		errs = append(errs, invalid("sqlAdminLogin", q.AdminLogin, "must start with a letter, use letters, digits and _, and not be a reserved name (admin, administrator, sa, root, dbo, guest, public, ...)"))
	}
	if _, ok := ParseSQLSku(q.SkuName); !ok {
		errs = append(errs, invalid("sqlSkuName", q.SkuName, "must be Basic, S0-S4, P1, P2 or <GP|GP_S|BC>_Gen5_<vCores> such as GP_S_Gen5_2"))
	} else if limit := q.Sku.MaxSizeGB(); q.MaxSizeGB < 1 || q.MaxSizeGB > limit {
		errs = append(errs, invalid("sqlMaxSizeGb", fmt.Sprint(q.MaxSizeGB), fmt.Sprintf("must be between 1 and %d for sqlSkuName %s", limit, q.SkuName)))
	}
	if q.HasPassword {
		if problem := weakSQLPassword(sqlPassword, q.AdminLogin); problem != "" {
			errs = append(errs, invalid("sqlAdminPassword", "<secret not shown>", problem))
		}
	}
	return errs
}

func validateCompute(s *Settings) []error {
	c := s.Compute
	if !c.Create {
		return nil
	}
	var errs []error
	if !vmSizeRe.MatchString(c.VMSize) {
		errs = append(errs, invalid("computeInstanceVmSize", c.VMSize, "must be an Azure VM size such as Standard_DS11_v2"))
	}
	if !durationRe.MatchString(c.IdleTimeBeforeShutdown) || c.IdleTimeBeforeShutdown == "P" || c.IdleTimeBeforeShutdown == "PT" {
		errs = append(errs, invalid("computeInstanceIdleTimeBeforeShutdown", c.IdleTimeBeforeShutdown, "must be an ISO 8601 duration between 15 minutes and 3 days, e.g. PT30M"))
	} else if m := isoMinutes(c.IdleTimeBeforeShutdown); m < 15 || m > 3*24*60 {
		errs = append(errs, invalid("computeInstanceIdleTimeBeforeShutdown", c.IdleTimeBeforeShutdown, "must be between PT15M and P3D (Azure ML idle shutdown limits)"))
	}
	if c.SSHPublicKey != "" && !sshKeyRe.MatchString(c.SSHPublicKey) {
		errs = append(errs, invalid("computeInstanceSshPublicKey", c.SSHPublicKey, "must be an OpenSSH public key line (ssh-rsa, ssh-ed25519 or ecdsa-sha2-nistp*)"))
	}
	if c.UserObjectID != "" && !uuidRe.MatchString(c.UserObjectID) {
		errs = append(errs, invalid("computeInstanceUserObjectId", c.UserObjectID, "must be an Entra object id (a GUID) or empty for the deploying principal"))
	}
	return errs
}

func validateJumpVM(s *Settings) []error {
	j := s.JumpVM
	if !j.Create {
		return nil
	}
	var errs []error
	if !vmSizeRe.MatchString(j.Size) {
		errs = append(errs, invalid("jumpVmSize", j.Size, "must be an Azure VM size such as Standard_B2s"))
	}
	if !adminUserRe.MatchString(j.AdminUsername) || reservedAdminNames[strings.ToLower(j.AdminUsername)] {
		errs = append(errs, invalid("jumpVmAdminUsername", j.AdminUsername, "must be 1-20 letters, digits, _ . - starting with a letter, and not a reserved name such as admin or administrator"))
	}
	for _, f := range []struct{ key, v string }{
		{"jumpVmImagePublisher", j.Image.Publisher}, {"jumpVmImageOffer", j.Image.Offer}, {"jumpVmImageSku", j.Image.Sku},
	} {
		if strings.TrimSpace(f.v) == "" {
			errs = append(errs, invalid(f.key, f.v, "must not be empty"))
		}
	}
	if len(s.AllowedIPs) == 0 && !s.allowedIPsRefused {
		errs = append(errs, invalid("allowedIpAddresses", "[]", "the jump VM admits RDP only from allowedIpAddresses: list at least one public IPv4 address or CIDR"))
	}
	return errs
}

// weakSQLPassword returns why a given SQL password would be refused by Azure SQL's policy
// (8-128 characters, three of four character classes, not containing the login), or "".
func weakSQLPassword(pw, login string) string {
	if len(pw) < 12 || len(pw) > 128 {
		return "must be 12-128 characters (Azure SQL's minimum is 8; this program asks for 12)"
	}
	var upper, lower, digit, other bool
	for _, r := range pw {
		switch {
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsLower(r):
			lower = true
		case unicode.IsDigit(r):
			digit = true
		default:
			other = true
		}
	}
	classes := 0
	for _, b := range []bool{upper, lower, digit, other} {
		if b {
			classes++
		}
	}
	if classes < 3 {
		return "must contain three of: upper case, lower case, digits, symbols"
	}
	if login != "" && strings.Contains(strings.ToLower(pw), strings.ToLower(login)) {
		return "must not contain the login name"
	}
	return ""
}

// isoMinutes converts a validated PnDTnHnM duration to minutes.
func isoMinutes(d string) int {
	var days, hours, mins int
	num := 0
	for _, r := range d {
		switch {
		case r >= '0' && r <= '9':
			num = num*10 + int(r-'0')
		case r == 'D':
			days, num = num, 0
		case r == 'H':
			hours, num = num, 0
		case r == 'M':
			mins, num = num, 0
		}
	}
	return days*24*60 + hours*60 + mins
}
