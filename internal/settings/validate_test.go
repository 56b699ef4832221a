package settings

import "testing"

// TestReservedRangesRefused: one address in each IPv4 block RFC 6890 and the IANA special-purpose
// registry reserve is refused (listed here on their own, not read from the program's table).
func TestReservedRangesRefused(t *testing.T) {
	for _, ip := range []string{"0.1.2.3", "10.9.8.7", "100.64.0.9", "127.0.0.2", "169.254.9.9", "172.20.0.1", "192.0.0.9",
		"192.0.2.9", "192.88.99.9", "192.168.9.9", "198.19.0.9", "198.51.100.9", "203.0.113.9", "224.0.0.9", "239.1.1.1", "240.0.0.9", "255.255.255.254"} {
		if got, err := publicIPv4Rule(ip); err == nil {
			t.Errorf("reserved %s accepted as %q", ip, got)
		}
	}
}

func TestPublicIPv4Rule(t *testing.T) {
	ok := map[string]string{
		"1.2.3.4":       "1.2.3.4",
		"1.2.3.4/32":    "1.2.3.4", // storage rejects /32: sent as an address
		"20.30.40.0/24": "20.30.40.0/24",
		" 20.30.40.7 ":  "20.30.40.7",
	}
	for in, want := range ok {
		got, err := publicIPv4Rule(in)
		if err != nil || got != want {
			t.Errorf("%q -> %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"10.1.2.3", "172.16.0.0/12", "192.168.1.1", "127.0.0.1", "100.64.0.1", "169.254.1.1",
		"0.0.0.0/0", "20.30.40.0/31", "20.30.40.5/24", "203.0.113.10", "198.51.100.0/24", "192.0.2.1", "198.18.0.1", "::1", "2001:db8::/32", "example.com", "", "300.1.1.1"} {
		if got, err := publicIPv4Rule(bad); err == nil {
			t.Errorf("%q accepted as %q", bad, got)
		}
	}
}

func TestParseSQLSku(t *testing.T) {
	cases := map[string]SQLSku{
		"Basic":       {Name: "Basic", Tier: "Basic"},
		"S3":          {Name: "S3", Tier: "Standard"},
		"GP_S_Gen5_2": {Name: "GP_S_Gen5", Tier: "GeneralPurpose", Family: "Gen5", Capacity: 2},
		"BC_Gen5_4":   {Name: "BC_Gen5", Tier: "BusinessCritical", Family: "Gen5", Capacity: 4},
	}
	for in, want := range cases {
		if got, ok := ParseSQLSku(in); !ok || got != want {
			t.Errorf("%s -> %+v, %v", in, got, ok)
		}
	}
	for _, bad := range []string{"basic", "S9", "GP_Gen5_3", "GP_Gen4_2", "Premium", ""} {
		if _, ok := ParseSQLSku(bad); ok {
			t.Errorf("%s accepted", bad)
		}
	}
}

func TestIdleDuration(t *testing.T) {
	for in, want := range map[string]int{"PT30M": 30, "PT1H": 60, "PT1H30M": 90, "P1D": 1440, "P3D": 4320, "P1DT2H": 1560} {
		if !durationRe.MatchString(in) || isoMinutes(in) != want {
			t.Errorf("%s -> %d minutes, want %d", in, isoMinutes(in), want)
		}
	}
}

func TestIdleTimeRejected(t *testing.T) {
	for _, bad := range []string{"30m", "PT", "P", "T30M", "PT30S", "PT10M", "P4D"} {
		s := &Settings{Workload: "amlsec", AllowedIPs: []string{"1.2.3.4"},
			IsolationMode: IsolationAllowOnlyApprovedOutbound, FirewallSku: "Basic", PrivateClientAccess: ClientAccessJumpVM, DeployerPrincipalType: PrincipalAuto,
			Network: NetworkSettings{AddressSpace: "10.60.0.0/16", ClientSubnetPrefix: "10.60.1.0/24", PrivateEndpointSubnetPrefix: "10.60.2.0/24"},
			DNS:     DNSSettings{ZoneGroups: ZoneGroupsCreate},
			Data:    DataSettings{DatastoreAuth: DatastoreAuthIdentity},
			Compute: ComputeSettings{Create: true, VMSize: "Standard_DS11_v2", IdleTimeBeforeShutdown: bad}}
		errs := validate(s, "")
		if len(errs) != 1 || errs[0].(*Error).Key != "computeInstanceIdleTimeBeforeShutdown" {
			t.Errorf("%s: %v", bad, errs)
		}
	}
}

func TestWeakSQLPassword(t *testing.T) {
	for pw, weak := range map[string]bool{
		"Correct-Horse-9":     false,
		"short1A!":            true, // under 12
		"alllowercaseletters": true, // one class
		"lowercase12345678":   true, // two classes
		"Has-sqladminuser-1":  true, // contains the login
	} {
		if got := weakSQLPassword(pw, "sqladminuser") != ""; got != weak {
			t.Errorf("%q weak = %v, want %v", pw, got, weak)
		}
	}
}

func TestValidateNetwork(t *testing.T) {
	good := prefixes("10.60.0.0/16", "10.60.1.0/24", "10.60.2.0/24")
	if errs := validateNetwork(&Settings{Network: good}); len(errs) != 0 {
		t.Errorf("default network rejected: %v", errs)
	}
	for name, n := range map[string]NetworkSettings{ // vnet, client, private endpoints
		"public VNet":         prefixes("20.0.0.0/16", "20.0.1.0/24", "20.0.2.0/24"),
		"client outside":      prefixes("10.60.0.0/16", "10.61.1.0/24", "10.60.2.0/24"),
		"overlap":             prefixes("10.60.0.0/16", "10.60.0.0/23", "10.60.1.0/24"),
		"subnet larger":       prefixes("10.60.0.0/24", "10.60.0.0/16", "10.60.0.128/25"),
		"PE subnet too small": prefixes("10.60.0.0/16", "10.60.1.0/24", "10.60.2.0/29"),
	} {
		if errs := validateNetwork(&Settings{Network: n}); len(errs) == 0 {
			t.Errorf("%s accepted", name)
		}
	}
}

func prefixes(vnet, client, endpoints string) NetworkSettings {
	return NetworkSettings{AddressSpace: vnet, ClientSubnetPrefix: client, PrivateEndpointSubnetPrefix: endpoints}
}
