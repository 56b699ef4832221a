package verify

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"sort"
	"strings"
	"time"
)

// privateDNSDoc explains how a private endpoint's names resolve.
const privateDNSDoc = "https://learn.microsoft.com/azure/private-link/private-endpoint-dns"

// publicZones are the private DNS zones of internal/privatelink whose clients' names are not
// the zone without "privatelink." (the "Public DNS zone forwarders" of privateDNSDoc): Key
// Vault's records are in privatelink.vaultcore.azure.net, but clients resolve
// <vault>.vault.azure.net, which CNAMEs to them
// (https://learn.microsoft.com/azure/key-vault/general/private-link-diagnostics).
var publicZones = map[string]string{
	"privatelink.vaultcore.azure.net": "vault.azure.net",
}

// clientName is the name clients look up for a record of a private zone:
// st.privatelink.blob.core.windows.net is reached as st.blob.core.windows.net, which CNAMEs
// to it (privateDNSDoc).
func clientName(fqdn string) string {
	for zone, public := range publicZones {
		if strings.HasSuffix(fqdn, "."+zone) {
			return strings.TrimSuffix(fqdn, zone) + public
		}
	}
	return strings.Replace(fqdn, ".privatelink.", ".", 1)
}

// endpointNames are the names each private endpoint answers for and the IPs they must
// resolve to: the endpoint's customDnsConfigs, and the A records of its DNS zone groups
// (the program's endpoints have one, internal/privatelink), by the names clients use.
func (v *Verifier) endpointNames(ctx context.Context) (map[string][]string, []Result) {
	names := map[string][]string{}
	add := func(fqdn string, ips []string) {
		fqdn = strings.ToLower(strings.TrimSuffix(fqdn, "."))
		if fqdn == "" || strings.HasPrefix(fqdn, "*") {
			return
		}
		fqdn = clientName(fqdn)
		for _, ip := range ips {
			if !slices.Contains(names[fqdn], ip) {
				names[fqdn] = append(names[fqdn], ip)
			}
		}
	}
	var errs []Result
	for _, id := range v.spec.PrivateEndpoints {
		pe, err := get[privateEndpoint](ctx, v, id, apiNetwork)
		if err != nil {
			errs = append(errs, v.peError(id, err))
			continue
		}
		for _, c := range pe.Properties.CustomDNSConfigs {
			add(c.FQDN, c.IPAddresses)
		}
		groups, err := list[dnsZoneGroup](ctx, v, id+"/privateDnsZoneGroups", apiNetwork)
		if err != nil {
			errs = append(errs, v.peError(id, err))
			continue
		}
		for _, g := range groups {
			for _, z := range g.Properties.PrivateDNSZoneConfigs {
				for _, r := range z.Properties.RecordSets {
					add(r.FQDN, r.IPAddresses)
				}
			}
		}
	}
	return names, errs
}

func (v *Verifier) peError(id string, err error) Result {
	if isNotFound(err) {
		return fail(CheckDNS, []string{"private endpoint " + resourceName(id) + " does not exist"}, "run `pulumi up --refresh` to create it again")
	}
	return v.errorResult(CheckDNS, "read private endpoint "+resourceName(id), err)
}

// checkDNS resolves every private endpoint name. Inside the VNet (the jump VM, or a network
// peered to it with the zones linked) each resolves to its endpoint's private IP. Outside,
// the same names resolve to the services' public addresses: that is expected and reported as
// SKIP, since only a machine inside can tell whether the private zones work.
func (v *Verifier) checkDNS(ctx context.Context) []Result {
	if len(v.spec.PrivateEndpoints) == 0 {
		return []Result{skip(CheckDNS, "the stack has no private endpoint in the customer VNet (privateWorkspace is off)")}
	}
	names, errs := v.endpointNames(ctx)
	if len(names) == 0 {
		if len(errs) > 0 {
			return errs
		}
		return []Result{fail(CheckDNS, []string{"the private endpoints carry no DNS record"},
			"run `pulumi up --refresh`: each endpoint needs its DNS zone group on the private DNS zones ("+privateDNSDoc+")")}
	}
	fqdns := make([]string, 0, len(names))
	for n := range names {
		fqdns = append(fqdns, n)
	}
	sort.Strings(fqdns)

	var good, wrongPrivate, public, unresolved []string
	for _, fqdn := range fqdns {
		lctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		addrs, err := v.opts.Resolver.LookupHost(lctx, fqdn)
		cancel()
		want := names[fqdn]
		switch {
		case err != nil:
			unresolved = append(unresolved, fmt.Sprintf("%s does not resolve (%s), want %s", fqdn, firstLine(err.Error()), strings.Join(want, ", ")))
		case slices.ContainsFunc(addrs, func(a string) bool { return slices.Contains(want, a) }):
			good = append(good, fqdn)
		case slices.ContainsFunc(addrs, isPrivateIP):
			wrongPrivate = append(wrongPrivate, fmt.Sprintf("%s resolves to %s, want %s", fqdn, strings.Join(addrs, ", "), strings.Join(want, ", ")))
		default:
			public = append(public, fmt.Sprintf("%s resolves to public %s, want %s", fqdn, strings.Join(addrs, ", "), strings.Join(want, ", ")))
		}
	}
	// Outside the VNet no name resolves to a private address: nothing can be judged here.
	if len(good)+len(wrongPrivate) == 0 {
		detail := "runs outside the VNet: no private endpoint name resolves to a private address here"
		if len(public) > 0 {
			detail += " (" + public[0] + ")"
		}
		return append(errs, skip(CheckDNS, detail+"; run verify on the jump VM or a peered network to check DNS"))
	}
	findings := append(append(wrongPrivate, public...), unresolved...)
	if len(findings) > 0 {
		return append(errs, fail(CheckDNS, findings,
			"each name must resolve through the private DNS zone linked to this VNet: check the zone's virtual network link and the endpoint's DNS zone group, "+
				"and that no custom DNS server or hosts entry overrides it; `pulumi up --refresh` restores the zones, links and records ("+privateDNSDoc+")"))
	}
	if len(errs) > 0 {
		return errs
	}
	return []Result{pass(CheckDNS, fmt.Sprintf("%s of %s resolve to their private IPs",
		plural(len(good), "name", "names"), plural(len(v.spec.PrivateEndpoints), "private endpoint", "private endpoints")))}
}

// isPrivateIP: RFC 1918 and fc00::/7, the address space of Azure VNets.
func isPrivateIP(s string) bool {
	a, err := netip.ParseAddr(s)
	return err == nil && a.IsPrivate()
}
