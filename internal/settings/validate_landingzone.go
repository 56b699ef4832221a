package settings

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"azure-ml-security/internal/privatelink"
)

// The checks of the keys that fit the program into a landing zone: an existing network and
// DNS, egress rules and the people who use the workspace.

var (
	// ARM ids compare case-insensitively.
	subnetIDRe  = regexp.MustCompile(`(?i)^/subscriptions/[0-9a-f-]{36}/resourceGroups/[^/]+/providers/Microsoft\.Network/virtualNetworks/[^/]+/subnets/[^/]+$`)
	dnsZoneIDRe = regexp.MustCompile(`(?i)^/subscriptions/[0-9a-f-]{36}/resourceGroups/[^/]+/providers/Microsoft\.Network/privateDnsZones/([^/]+)$`)
	// An FQDN rule's destination: a host name, optionally with a leading wildcard label.
	fqdnRe       = regexp.MustCompile(`^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$`)
	serviceTagRe = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z0-9]+)?$`)
	portRangesRe = regexp.MustCompile(`^(\*|\d{1,5}(-\d{1,5})?(,\d{1,5}(-\d{1,5})?)*)$`)
)

func validateExistingNetwork(s *Settings) []error {
	n := s.Network
	var errs []error
	if (n.ExistingClientSubnetID == "") != (n.ExistingPrivateEndpointSubnetID == "") {
		set, unset := "existingClientSubnetId", "existingPrivateEndpointSubnetId"
		if n.ExistingClientSubnetID == "" {
			set, unset = unset, set
		}
		errs = append(errs, invalid(unset, "", "must be set together with "+set+": give both subnets of the existing network, or neither to create a VNet"))
	}
	for _, f := range []struct{ key, v string }{
		{"existingClientSubnetId", n.ExistingClientSubnetID}, {"existingPrivateEndpointSubnetId", n.ExistingPrivateEndpointSubnetID},
	} {
		if f.v != "" && !subnetIDRe.MatchString(f.v) {
			errs = append(errs, invalid(f.key, f.v, "must be a subnet's ARM id, /subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet> (az network vnet subnet show --query id)"))
		}
	}
	return errs
}

func validateDNS(s *Settings) []error {
	d := s.DNS
	var errs []error
	switch d.ZoneGroups {
	case ZoneGroupsCreate, ZoneGroupsNone:
	default:
		errs = append(errs, invalid("privateDnsZoneGroups", d.ZoneGroups, "must be create (each private endpoint gets a DNS zone group) or none (Azure Policy writes them)"))
	}
	for _, zone := range sortedKeys(d.ZoneIDs) {
		id := d.ZoneIDs[zone]
		if !slices.Contains(privatelink.KnownZones(), zone) {
			errs = append(errs, invalid("privateDnsZoneIds", zone, "is not a zone this program's private endpoints use; known zones: "+strings.Join(privatelink.KnownZones(), ", ")))
			continue
		}
		m := dnsZoneIDRe.FindStringSubmatch(id)
		if m == nil {
			errs = append(errs, invalid("privateDnsZoneIds."+zone, id, "must be a private DNS zone's ARM id, /subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/privateDnsZones/"+zone))
		} else if !strings.EqualFold(m[1], zone) {
			errs = append(errs, invalid("privateDnsZoneIds."+zone, id, "names zone "+m[1]+", not "+zone))
		}
	}
	return errs
}

func validateEgress(s *Settings) []error {
	e := s.Egress
	var errs []error
	for i, f := range e.FQDNs {
		if !fqdnRe.MatchString(f) {
			errs = append(errs, invalid(fmt.Sprintf("outboundFqdnRules[%d]", i), f, "must be a lower-case host name such as pypi.org or *.anaconda.org, without scheme, port or path (FQDN rules carry ports 80 and 443)"))
		}
	}
	for i, p := range e.Profiles {
		if _, ok := OutboundProfiles[p]; !ok {
			errs = append(errs, invalid(fmt.Sprintf("outboundProfiles[%d]", i), p, "must be one of "+strings.Join(sortedKeys(OutboundProfiles), ", ")))
		}
	}
	for i, t := range e.ServiceTags {
		key := fmt.Sprintf("outboundServiceTagRules[%d]", i)
		if !serviceTagRe.MatchString(t.ServiceTag) {
			errs = append(errs, invalid(key+".serviceTag", t.ServiceTag, "must be an Azure service tag such as DataFactory or Storage.EastUS2"))
		}
		switch t.Protocol {
		case "TCP", "UDP", "ICMP", "*":
		default:
			errs = append(errs, invalid(key+".protocol", t.Protocol, "must be TCP, UDP, ICMP or *"))
		}
		if !portRangesRe.MatchString(t.PortRanges) || !portsInRange(t.PortRanges) {
			errs = append(errs, invalid(key+".portRanges", t.PortRanges, "must be *, a port, a range or a comma-separated list of them, such as 443 or 80,8080-8090 (ports 1-65535)"))
		}
	}
	// "Adding an outbound for a service tag or FQDN is only valid when the managed VNet is
	// configured to allow_only_approved_outbound" (how-to-managed-network).
	if s.IsolationMode != IsolationAllowOnlyApprovedOutbound && (len(e.FQDNs) > 0 || len(e.Profiles) > 0 || len(e.ServiceTags) > 0) {
		errs = append(errs, invalid("isolationMode", s.IsolationMode, "FQDN and service-tag outbound rules (outboundFqdnRules, outboundProfiles, outboundServiceTagRules) need AllowOnlyApprovedOutbound: with AllowInternetOutbound, Azure takes only private-endpoint rules"))
	}
	return errs
}

func portsInRange(ranges string) bool {
	if ranges == "*" {
		return true
	}
	for _, r := range strings.Split(ranges, ",") {
		lo, hi, found := strings.Cut(r, "-")
		var a, b int
		fmt.Sscan(lo, &a)
		b = a
		if found {
			fmt.Sscan(hi, &b)
		}
		if a < 1 || b > 65535 || a > b {
			return false
		}
	}
	return true
}

// Principal types workspaceUsers accepts, as role assignments spell them.
var userTypes = map[string]bool{"User": true, "Group": true, "ServicePrincipal": true}

func validateUsers(s *Settings) []error {
	var errs []error
	seen := map[string]bool{}
	for i, u := range s.WorkspaceUsers {
		key := fmt.Sprintf("workspaceUsers[%d]", i)
		if !uuidRe.MatchString(u.ObjectID) {
			errs = append(errs, invalid(key+".objectId", u.ObjectID, "must be an Entra object id (a GUID): az ad user show --id <upn> --query id, az ad group show --group <name> --query id"))
		}
		if !userTypes[u.Type] {
			errs = append(errs, invalid(key+".type", u.Type, "must be User, Group or ServicePrincipal (role assignments check it against the object: UnmatchedPrincipalType)"))
		}
		if id := strings.ToLower(u.ObjectID); seen[id] {
			errs = append(errs, invalid(key+".objectId", u.ObjectID, "is listed twice (a second identical role assignment fails with RoleAssignmentExists)"))
		} else {
			seen[id] = true
		}
	}
	return errs
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
