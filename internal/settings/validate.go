package settings

import (
	"errors"
	"fmt"
	"net/netip"
	"regexp"
	"strings"
	"unicode"
)

// MaxWorkloadLen keeps every derived name within its Azure limit. The tightest are storage
// accounts (3-24 lowercase letters and digits): "dls" + workload + 6-character random suffix,
// and compute instances (3-24 characters, unique per region): "ci-" + workload + "-" + suffix.
// See internal/naming.
const MaxWorkloadLen = 10

var (
	workloadRe = regexp.MustCompile(`^[a-z][a-z0-9]*$`)
	// Azure VM sizes look like Standard_DS11_v2, Standard_E4ds_v5, Basic_A1.
	vmSizeRe = regexp.MustCompile(`^(Standard|Basic)_[A-Za-z0-9]+(_[A-Za-z0-9]+)*$`)
	// ISO 8601 durations accepted by idleTimeBeforeShutdown: PT15M .. PT3D style.
	durationRe  = regexp.MustCompile(`^P(\d+D)?(T(\d+H)?(\d+M)?)?$`)
	sqlLoginRe  = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{0,127}$`)
	adminUserRe = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_.-]{0,19}$`)
	uuidRe      = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	sshKeyRe    = regexp.MustCompile(`^(ssh-rsa|ssh-ed25519|ecdsa-sha2-nistp(256|384|521)) [A-Za-z0-9+/=]+( .*)?$`)
	tagKeyBad   = regexp.MustCompile(`[<>%&\\?/]`)
)

// Reserved SQL logins that Azure SQL refuses as the server administrator.
var reservedSQLLogins = map[string]bool{
	"admin": true, "administrator": true, "sa": true, "root": true, "dbmanager": true,
	"loginmanager": true, "dbo": true, "guest": true, "public": true,
}

// SQLSku is an Azure SQL database SKU as ARM takes it.
type SQLSku struct {
	Name, Tier, Family string
	Capacity           int // vCores; 0 for DTU SKUs
	// MaxSizeGB is the largest database size the SKU allows (Azure SQL resource limits).
	MaxSizeGB int
}

var vcoreSkuRe = regexp.MustCompile(`^(GP|GP_S|BC)_Gen5_(2|4|6|8|10|12|14|16|18|20|24|32|40|80|1)$`)

// ParseSQLSku accepts the DTU SKUs Basic, S0-S4, P1-P2 and the vCore ones
// <GP|GP_S|BC>_Gen5_<vCores> (GP_S is serverless).
func ParseSQLSku(name string) (SQLSku, bool) {
	switch name {
	case "Basic":
		return SQLSku{Name: "Basic", Tier: "Basic", MaxSizeGB: 2}, true
	case "S0", "S1", "S2", "S3", "S4":
		return SQLSku{Name: name, Tier: "Standard", MaxSizeGB: 250}, true
	case "P1", "P2":
		return SQLSku{Name: name, Tier: "Premium", MaxSizeGB: 500}, true
	}
	m := vcoreSkuRe.FindStringSubmatch(name)
	if m == nil {
		return SQLSku{}, false
	}
	tier := map[string]string{"GP": "GeneralPurpose", "GP_S": "GeneralPurpose", "BC": "BusinessCritical"}[m[1]]
	var vcores int
	fmt.Sscanf(m[2], "%d", &vcores)
	return SQLSku{Name: m[1] + "_Gen5", Tier: tier, Family: "Gen5", Capacity: vcores, MaxSizeGB: 1024}, true
}

func validate(s *Settings, sqlPassword string) []error {
	var errs []error
	fail := func(key, value, allowed string) {
		errs = append(errs, &Error{Key: key, Value: value, Allowed: allowed})
	}

	if !workloadRe.MatchString(s.Workload) || len(s.Workload) < 2 || len(s.Workload) > MaxWorkloadLen {
		fail("workload", s.Workload, fmt.Sprintf("must be 2-%d lowercase letters and digits starting with a letter (it prefixes storage account, key vault and compute names, whose Azure limits are 24 characters)", MaxWorkloadLen))
	}

	for i, ip := range s.AllowedIPAddresses {
		norm, err := publicIPv4Rule(ip)
		if err != nil {
			fail(fmt.Sprintf("allowedIpAddresses[%d]", i), ip, err.Error())
			continue
		}
		s.AllowedIPAddresses[i] = norm
	}
	if !s.PrivateWorkspace && len(s.AllowedIPAddresses) == 0 {
		fail("allowedIpAddresses", "[]", "a public workspace (privateWorkspace: false) needs at least one allowed public IPv4 address or CIDR, or nobody can reach its storage, key vault and registry")
	}

	switch s.IsolationMode {
	case IsolationAllowOnlyApprovedOutbound, IsolationAllowInternetOutbound:
	default:
		fail("isolationMode", s.IsolationMode, "must be AllowOnlyApprovedOutbound or AllowInternetOutbound")
	}
	switch s.FirewallSku {
	case "Basic", "Standard":
	default:
		fail("firewallSku", s.FirewallSku, "must be Basic or Standard")
	}

	errs = append(errs, validateNetwork(s.Network)...)

	for k, v := range s.Tags {
		if k == "" || len(k) > 512 || tagKeyBad.MatchString(k) {
			fail("tags", k, `tag names must be 1-512 characters without < > % & \ ? /`)
		}
		if len(v) > 256 {
			fail("tags."+k, v, "tag values are at most 256 characters")
		}
	}

	switch s.Data.DatastoreAuth {
	case DatastoreAuthIdentity, DatastoreAuthServicePrincipal:
	default:
		fail("datastoreAuth", s.Data.DatastoreAuth, "must be identity or servicePrincipal")
	}
	if s.Data.CreateSQLDatabase {
		if !sqlLoginRe.MatchString(s.Data.SQLAdminLogin) || reservedSQLLogins[strings.ToLower(s.Data.SQLAdminLogin)] {
			fail("sqlAdminLogin", s.Data.SQLAdminLogin, "must start with a letter, use letters, digits and _, and not be a reserved name (admin, administrator, sa, root, dbo, guest, public, ...)")
		}
		if sku, ok := ParseSQLSku(s.Data.SQLSkuName); !ok {
			fail("sqlSkuName", s.Data.SQLSkuName, "must be Basic, S0-S4, P1, P2 or <GP|GP_S|BC>_Gen5_<vCores> such as GP_S_Gen5_2")
		} else if s.Data.SQLMaxSizeGB < 1 || s.Data.SQLMaxSizeGB > sku.MaxSizeGB {
			fail("sqlMaxSizeGb", fmt.Sprint(s.Data.SQLMaxSizeGB), fmt.Sprintf("must be between 1 and %d for sqlSkuName %s", sku.MaxSizeGB, s.Data.SQLSkuName))
		} else {
			s.Data.SQLSku = sku
		}
		if s.Data.HasSQLPassword {
			if problem := weakSQLPassword(sqlPassword, s.Data.SQLAdminLogin); problem != "" {
				fail("sqlAdminPassword", "<secret not shown>", problem)
			}
		}
	}

	c := s.Compute
	if c.Create {
		if !vmSizeRe.MatchString(c.VMSize) {
			fail("computeInstanceVmSize", c.VMSize, "must be an Azure VM size such as Standard_DS11_v2")
		}
		if !durationRe.MatchString(c.IdleTimeBeforeShutdown) || c.IdleTimeBeforeShutdown == "P" || c.IdleTimeBeforeShutdown == "PT" {
			fail("computeInstanceIdleTimeBeforeShutdown", c.IdleTimeBeforeShutdown, "must be an ISO 8601 duration between 15 minutes and 3 days, e.g. PT30M")
		} else if m := isoMinutes(c.IdleTimeBeforeShutdown); m < 15 || m > 3*24*60 {
			fail("computeInstanceIdleTimeBeforeShutdown", c.IdleTimeBeforeShutdown, "must be between PT15M and P3D (Azure ML idle shutdown limits)")
		}
		if c.SSHPublicKey != "" && !sshKeyRe.MatchString(c.SSHPublicKey) {
			fail("computeInstanceSshPublicKey", c.SSHPublicKey, "must be an OpenSSH public key line (ssh-rsa, ssh-ed25519 or ecdsa-sha2-nistp*)")
		}
		if c.UserObjectID != "" && !uuidRe.MatchString(c.UserObjectID) {
			fail("computeInstanceUserObjectId", c.UserObjectID, "must be an Entra object id (a GUID) or empty for the deploying principal")
		}
	}

	j := s.JumpVM
	if j.Create {
		if !vmSizeRe.MatchString(j.Size) {
			fail("jumpVmSize", j.Size, "must be an Azure VM size such as Standard_B2s")
		}
		if !adminUserRe.MatchString(j.AdminUser) || reservedSQLLogins[strings.ToLower(j.AdminUser)] {
			fail("jumpVmAdminUsername", j.AdminUser, "must be 1-20 letters, digits, _ . - starting with a letter, and not a reserved name such as admin or administrator")
		}
		for key, v := range map[string]string{"jumpVmImagePublisher": j.ImagePublish, "jumpVmImageOffer": j.ImageOffer, "jumpVmImageSku": j.ImageSku} {
			if strings.TrimSpace(v) == "" {
				fail(key, v, "must not be empty")
			}
		}
	}
	if j.Create && len(s.AllowedIPAddresses) == 0 {
		fail("allowedIpAddresses", "[]", "the jump VM admits RDP only from allowedIpAddresses: list at least one public IPv4 address or CIDR")
	}
	if s.PrivateWorkspace && !j.Create {
		fail("createJumpVm", "false", "a private workspace (privateWorkspace: true) is reachable only from inside the VNet, so it needs the jump VM: set createJumpVm to true")
	}
	return errs
}

func validateNetwork(n NetworkSettings) []error {
	var errs []error
	parse := func(key, v string) (netip.Prefix, bool) {
		p, err := prefixOf(v)
		if err != nil || !strings.Contains(v, "/") || !p.Addr().Is4() {
			errs = append(errs, &Error{Key: key, Value: v, Allowed: "must be an IPv4 CIDR such as 10.60.0.0/16"})
			return p, false
		}
		if !p.Addr().IsPrivate() {
			errs = append(errs, &Error{Key: key, Value: v, Allowed: "must be in a private range (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16)"})
			return p, false
		}
		return p, true
	}
	vnet, ok1 := parse("vnetAddressSpace", n.VnetAddressSpace)
	client, ok2 := parse("clientSubnetPrefix", n.ClientSubnetPrefix)
	pe, ok3 := parse("privateEndpointSubnetPrefix", n.PrivateEndpointSubnetPrefix)
	if !ok1 || !ok2 || !ok3 {
		return errs
	}
	for key, sub := range map[string]netip.Prefix{"clientSubnetPrefix": client, "privateEndpointSubnetPrefix": pe} {
		if !(vnet.Bits() <= sub.Bits() && vnet.Contains(sub.Addr())) {
			errs = append(errs, &Error{Key: key, Value: sub.String(), Allowed: "must lie inside vnetAddressSpace " + vnet.String()})
		} else if sub.Bits() > 28 {
			errs = append(errs, &Error{Key: key, Value: sub.String(), Allowed: "must be /28 or larger (Azure reserves 5 addresses per subnet)"})
		}
	}
	if client.Overlaps(pe) {
		errs = append(errs, &Error{Key: "privateEndpointSubnetPrefix", Value: pe.String(), Allowed: "must not overlap clientSubnetPrefix " + client.String()})
	}
	return errs
}

// publicIPv4Rule checks one allowedIpAddresses entry and returns it in the form storage, key
// vault and registry IP rules accept: storage rejects /31 and /32 prefixes and private ranges
// (MS docs: storage network security, IP network rules).
func publicIPv4Rule(v string) (string, error) {
	p, err := prefixOf(strings.TrimSpace(v))
	if err != nil {
		return "", fmt.Errorf("must be a public IPv4 address or CIDR such as 203.0.113.10 or 203.0.113.0/24 (%v)", err)
	}
	if !p.Addr().Is4() {
		return "", errors.New("must be IPv4: Azure storage IP rules do not take IPv6")
	}
	a := p.Addr()
	if a.IsPrivate() || a.IsLoopback() || a.IsLinkLocalUnicast() || a.IsMulticast() || a.IsUnspecified() ||
		netip.MustParsePrefix("100.64.0.0/10").Contains(a) {
		return "", errors.New("must be a public address: Azure IP rules only apply to traffic from the Internet")
	}
	switch {
	case p.Bits() == 32:
		return a.String(), nil
	case p.Bits() == 31:
		return "", errors.New("a /31 prefix is not accepted by Azure storage IP rules: list the two addresses instead")
	case p.Bits() < 8:
		return "", errors.New("prefixes larger than /8 would open the endpoints to a large part of the Internet")
	}
	return p.String(), nil
}

// weakSQLPassword returns why a given SQL password would be refused by Azure SQL's policy
// (8-128 characters, three of four character classes, not containing the login), or "".
func weakSQLPassword(pw, login string) string {
	if len(pw) < 12 || len(pw) > 128 {
		return "must be 12-128 characters (Azure SQL's minimum is 8; this program asks for 12)"
	}
	classes := 0
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
