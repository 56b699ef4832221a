package settings

import (
	"errors"
	"fmt"
	"net/netip"
	"regexp"
	"sort"
	"strings"
)

// SQLSku is an Azure SQL database SKU as ARM takes it.
type SQLSku struct {
	Name, Tier, Family string
	Capacity           int // vCores; 0 for DTU SKUs
}

// MaxSizeGB is the largest database size the SKU allows (Azure SQL resource limits,
// https://learn.microsoft.com/azure/azure-sql/database/resource-limits-dtu-single-databases and
// .../resource-limits-vcore-single-databases).
func (s SQLSku) MaxSizeGB() int {
	switch s.Tier {
	case "Basic":
		return 2
	case "Standard":
		return 250
	case "Premium":
		return 500
	}
	return 1024
}

var vcoreSkuRe = regexp.MustCompile(`^(GP|GP_S|BC)_Gen5_(2|4|6|8|10|12|14|16|18|20|24|32|40|80|1)$`)

// ParseSQLSku accepts the DTU SKUs Basic, S0-S4, P1-P2 and the vCore ones
// <GP|GP_S|BC>_Gen5_<vCores> (GP_S is serverless).
func ParseSQLSku(name string) (SQLSku, bool) {
	switch name {
	case "Basic":
		return SQLSku{Name: "Basic", Tier: "Basic"}, true
	case "S0", "S1", "S2", "S3", "S4":
		return SQLSku{Name: name, Tier: "Standard"}, true
	case "P1", "P2":
		return SQLSku{Name: name, Tier: "Premium"}, true
	}
	m := vcoreSkuRe.FindStringSubmatch(name)
	if m == nil {
		return SQLSku{}, false
	}
	tier := map[string]string{"GP": "GeneralPurpose", "GP_S": "GeneralPurpose", "BC": "BusinessCritical"}[m[1]]
	var vcores int
	fmt.Sscanf(m[2], "%d", &vcores)
	return SQLSku{Name: m[1] + "_Gen5", Tier: tier, Family: "Gen5", Capacity: vcores}, true
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

// publicIPv4Rule checks one allowedIpAddresses entry and returns it in the form storage, key
// vault and registry IP rules accept: storage rejects /31 and /32 prefixes and private ranges
// (https://learn.microsoft.com/azure/storage/common/storage-network-security, IP network rules).
func publicIPv4Rule(v string) (string, error) {
	p, err := prefixOf(strings.TrimSpace(v))
	if err != nil {
		return "", fmt.Errorf("must be a public IPv4 address or CIDR such as 20.30.40.50 or 20.30.40.0/24 (%v)", err)
	}
	if !p.Addr().Is4() {
		return "", errors.New("must be IPv4: Azure storage IP rules do not take IPv6")
	}
	a := p.Addr()
	for _, r := range reservedRanges {
		if r.Overlaps(p) {
			return "", fmt.Errorf("must be a public address: %s is reserved (%s), and Azure IP rules refuse reserved ranges", r, strings.TrimSpace(reservedWhy[r.String()]))
		}
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

// reservedRanges are the IPv4 blocks reserved for special use (RFC 6890 and the IANA registry,
// listed at https://en.wikipedia.org/wiki/Reserved_IP_addresses): the workspace refuses them in
// its IP rules ("Reserved IP address ranges aren't allowed", Microsoft Learn,
// how-to-configure-private-link), and storage applies IP rules to public addresses only.
var reservedRanges, reservedWhy = func() ([]netip.Prefix, map[string]string) {
	why := map[string]string{
		"0.0.0.0/8": "this network", "10.0.0.0/8": "private", "100.64.0.0/10": "shared address space",
		"127.0.0.0/8": "loopback", "169.254.0.0/16": "link-local", "172.16.0.0/12": "private",
		"192.0.0.0/24": "IETF protocol assignments", "192.0.2.0/24": "documentation (TEST-NET-1)",
		"192.88.99.0/24": "6to4 relay", "192.168.0.0/16": "private", "198.18.0.0/15": "benchmarking",
		"198.51.100.0/24": "documentation (TEST-NET-2)", "203.0.113.0/24": "documentation (TEST-NET-3)",
		"224.0.0.0/4": "multicast", "240.0.0.0/4": "reserved",
	}
	var out []netip.Prefix
	for p := range why {
		out = append(out, netip.MustParsePrefix(p))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Addr().Less(out[j].Addr()) })
	return out, why
}()
