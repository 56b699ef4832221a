package verify

import (
	"strings"
	"testing"
)

// insideVNet answers every private endpoint name with its private IP, as the VNet's linked
// private DNS zones do: a zone record under the name clients use, a custom DNS config under
// its own (it is already that name).
func insideVNet(w *world) fakeResolver {
	r := fakeResolver{}
	for _, e := range w.endpoints {
		for _, rec := range e.zone {
			r[rec.client] = rec.ips
		}
		for _, rec := range e.custom {
			r[rec.fqdn] = rec.ips
		}
	}
	return r
}

// outsideVNet answers them with public addresses, as public DNS does.
func outsideVNet(w *world) fakeResolver {
	r := fakeResolver{}
	for name := range insideVNet(w) {
		r[name] = []string{"20.60.1.4"}
	}
	return r
}

func TestDNS(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		resolver func(*world) fakeResolver
		change   func(*world)
		status   Status
		want     []string
	}{
		{"inside the VNet", insideVNet, func(*world) {}, Pass, []string{"6 names of 6 private endpoints resolve to their private IPs"}},
		{"outside the VNet", outsideVNet, func(*world) {}, Skip, []string{"runs outside the VNet", "resolves to public 20.60.1.4", "jump VM"}},
		{"outside, names unknown", func(*world) fakeResolver { return fakeResolver{} }, func(*world) {}, Skip, []string{"runs outside the VNet"}},
		{"inside, one name resolves publicly", func(w *world) fakeResolver {
			r := insideVNet(w)
			r["sql-amlsec-dev.database.windows.net"] = []string{"20.62.0.1"}
			return r
		}, func(*world) {}, Fail, []string{"sql-amlsec-dev.database.windows.net resolves to public 20.62.0.1, want 10.0.2.8", "virtual network link"}},
		{"inside, stale record", func(w *world) fakeResolver {
			r := insideVNet(w)
			r["stamlsecdevblob.blob.core.windows.net"] = []string{"10.0.2.99"}
			return r
		}, func(*world) {}, Fail, []string{"stamlsecdevblob.blob.core.windows.net resolves to 10.0.2.99, want 10.0.2.7"}},
		{"inside, one name missing", func(w *world) fakeResolver {
			r := insideVNet(w)
			delete(r, "stamlsecdevlake.dfs.core.windows.net")
			return r
		}, func(*world) {}, Fail, []string{"stamlsecdevlake.dfs.core.windows.net does not resolve"}},
		{"custom DNS configs are read too", insideVNet, func(w *world) {
			e := w.endpoints[strings.ToLower(rgID+"/providers/Microsoft.Network/privateEndpoints/pe-workspace")]
			e.custom = []azRecord{{fqdn: "ml-mlw-amlsec-dev-eastus2-0f1e.eastus2.notebooks.azure.net", ips: []string{"10.0.2.40"}}}
		}, Pass, []string{"7 names of 6 private endpoints"}},
		{"endpoint deleted", insideVNet, func(w *world) {
			delete(w.endpoints, strings.ToLower(rgID+"/providers/Microsoft.Network/privateEndpoints/pe-sql-server"))
		}, Fail, []string{"private endpoint pe-sql-server does not exist"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			spec := privateSpec()
			w := newWorld(t, spec)
			c.change(w)
			res := c.resolver(w)
			rs := serve(t, w, spec, func(o *Options) { o.Resolver = res }).checkDNS(ctx)
			found := false
			for _, r := range rs {
				if r.Status == c.status {
					expect(t, r, c.status, c.want...)
					found = true
				}
			}
			if !found {
				t.Fatalf("no %s result in %+v", c.status, rs)
			}
		})
	}

	t.Run("public stack", func(t *testing.T) {
		t.Parallel()
		spec := devSpec()
		expect(t, only(t, serve(t, newWorld(t, spec), spec).checkDNS(ctx)), Skip, "no private endpoint in the customer VNet")
	})
}
