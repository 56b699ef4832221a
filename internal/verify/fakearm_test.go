package verify

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"azure-ml-security/internal/verifyspec"
)

// The test stack: names as the program makes them for workload amlsec, environment dev.
const (
	testSub      = "00000000-1111-2222-3333-444444444444"
	testRG       = "rg-amlsec-dev"
	wsPrincipal  = "aaaaaaaa-0000-0000-0000-00000000000a" // the workspace's user-assigned identity
	appPrincipal = "bbbbbbbb-0000-0000-0000-00000000000b" // the datastores' app registration
	ciPrincipal  = "cccccccc-0000-0000-0000-00000000000c" // the compute instance's identity

	roleApprover   = "b556d68e-0be0-4f35-a333-ad7ee1ce17ea"
	roleBlobWriter = "ba92f5b4-2d11-453d-a403-e96b0029c9fe"
)

var (
	rgID        = "/subscriptions/" + testSub + "/resourceGroups/" + testRG
	wsID        = rgID + "/providers/Microsoft.MachineLearningServices/workspaces/mlw-amlsec-dev"
	lakeID      = rgID + "/providers/Microsoft.Storage/storageAccounts/stamlsecdevlake"
	blobID      = rgID + "/providers/Microsoft.Storage/storageAccounts/stamlsecdevblob"
	wsStorageID = rgID + "/providers/Microsoft.Storage/storageAccounts/stamlsecdev"
	kvID        = rgID + "/providers/Microsoft.KeyVault/vaults/kv-amlsec-dev"
	acrID       = rgID + "/providers/Microsoft.ContainerRegistry/registries/cramlsecdev"
	sqlID       = rgID + "/providers/Microsoft.Sql/servers/sql-amlsec-dev"
	// ARM writes the namespace of a Private Link Scope's id in lower case
	// (examples/PrivateLinkScopesGet.json of Microsoft.Insights 2021-07-01-preview).
	scopeID    = rgID + "/providers/microsoft.insights/privateLinkScopes/ampls-amlsec-dev"
	allowedIPs = []string{"203.0.113.10", "198.51.100.0/24"}
)

// devSpec is what the program exports for a public (dev) stack.
func devSpec() verifyspec.Spec {
	return verifyspec.Spec{
		SubscriptionID:    testSub,
		ResourceGroupName: testRG,
		Location:          "eastus2",
		AllowedIPs:        allowedIPs,
		Workspace: verifyspec.Workspace{
			ID: wsID, Name: "mlw-amlsec-dev", APIVersion: "2024-10-01-preview", RuleAPIVersion: "2024-10-01",
			IsolationMode: "AllowOnlyApprovedOutbound", FirewallSku: "Standard",
		},
		OutboundRules: []verifyspec.OutboundRule{
			{Name: "tag-datafactory-tcp-80-443", Type: "ServiceTag", Destination: "DataFactory", Protocol: "TCP", PortRanges: "80,443"},
			{Name: "lake-dfs", Type: "PrivateEndpoint", Destination: lakeID, Subresource: "dfs"},
			{Name: "lake-blob", Type: "PrivateEndpoint", Destination: lakeID, Subresource: "blob"},
			{Name: "blob-blob", Type: "PrivateEndpoint", Destination: blobID, Subresource: "blob"},
			{Name: "sql-server", Type: "PrivateEndpoint", Destination: sqlID, Subresource: "sqlServer"},
		},
		RoleAssignments: []verifyspec.RoleAssignment{
			{Scope: lakeID, Role: roleApprover, RoleName: "Azure AI Enterprise Network Connection Approver", PrincipalID: wsPrincipal, Purpose: "approves the managed private endpoints to the lake"},
			{Scope: blobID, Role: roleApprover, RoleName: "Azure AI Enterprise Network Connection Approver", PrincipalID: wsPrincipal, Purpose: "approves the managed private endpoint to the blob account"},
			{Scope: sqlID, Role: roleApprover, RoleName: "Azure AI Enterprise Network Connection Approver", PrincipalID: wsPrincipal, Purpose: "approves the managed private endpoint to SQL"},
			{Scope: lakeID, Role: roleBlobWriter, RoleName: "Storage Blob Data Contributor", PrincipalID: wsPrincipal, Purpose: "identity-based datastore access"},
			{Scope: blobID, Role: roleBlobWriter, RoleName: "Storage Blob Data Contributor", PrincipalID: appPrincipal, Purpose: "the app's datastore access"},
		},
		Datastores: []verifyspec.Datastore{
			{Name: "lake", Type: "AzureDataLakeGen2", CredentialsType: "None", Account: "stamlsecdevlake", Container: "data"},
			{Name: "blob", Type: "AzureBlob", CredentialsType: "None", Account: "stamlsecdevblob", Container: "data"},
		},
		Connections: []verifyspec.Connection{
			{Name: "sql", Category: "AzureSqlDb", AuthType: "UsernamePassword", Server: "sql-amlsec-dev.database.windows.net", Database: "sqldb-amlsec"},
		},
		Exposure: []verifyspec.Exposed{
			{ID: wsStorageID, APIVersion: "2022-09-01"},
			{ID: kvID, APIVersion: "2023-02-01"},
			{ID: acrID, APIVersion: "2023-11-01-preview"},
			{ID: lakeID, APIVersion: "2022-09-01"},
			{ID: blobID, APIVersion: "2022-09-01"},
			{ID: sqlID, APIVersion: "2021-11-01"},
			{ID: wsID, APIVersion: "2024-10-01-preview"},
		},
		ComputeInstance: &verifyspec.ComputeInstance{Name: "ci-amlsec-dev", IdleTimeBeforeShutdown: "PT30M", IdentityPrincipalID: ciPrincipal},
	}
}

// privateSpec is the same stack with privateWorkspace on: every resource private, and
// private endpoints in the customer VNet.
func privateSpec() verifyspec.Spec {
	s := devSpec()
	s.Private = true
	for i := range s.Exposure {
		s.Exposure[i].Private = true
	}
	// privateMonitoring, on by default in a private stack, adds the rule to the Azure Monitor
	// Private Link Scope (components/workspace/outboundrules.go).
	s.OutboundRules = append(s.OutboundRules, verifyspec.OutboundRule{Name: "monitor", Type: "PrivateEndpoint", Destination: scopeID, Subresource: "azuremonitor"})
	for _, name := range []string{"workspace", "lake-dfs", "lake-blob", "blob-blob", "sql-server", "vault"} {
		s.PrivateEndpoints = append(s.PrivateEndpoints, rgID+"/providers/Microsoft.Network/privateEndpoints/pe-"+name)
	}
	return s
}

// The Azure state of the test stack, as typed fields the scenarios change; the fake ARM
// renders it in the shapes of the azure-rest-api-specs examples named on each renderer.
type (
	azRule struct {
		name, typ, category, status string
		destination                 any // a string (FQDN) or an object
	}
	azConn     struct{ name, status string }
	azResource struct {
		pna, defaultAction string
		ipRules            []string
		vnetRules          []string // subnet ids
		accessRules        []string // storage's resource instance rules, by resource id
		conns              []azConn
		sqlRules           [][3]string // name, start, end
	}
	azAssignment struct{ scope, role, principal string }
	azDatastore  struct{ name, typ, account, container, credentials string }
	azConnection struct{ name, category, authType, target string }
	azRecord     struct {
		fqdn string
		ips  []string
		// client is the name clients resolve for a private zone's record, written out from
		// the "Public DNS zone forwarders" of
		// https://learn.microsoft.com/azure/private-link/private-endpoint-dns.
		client string
	}
	azEndpoint struct{ custom, zone []azRecord }
)

type world struct {
	t *testing.T

	wsState, netStatus, isolation, firewallSku string
	noManagedNetwork                           bool
	wsPNA, wsDefaultAction                     string
	wsIPs                                      []string
	wsConns                                    []azConn
	wsInlineRules                              map[string]azRule
	rules                                      []azRule
	rulesPerPage                               int
	resources                                  map[string]*azResource // by lower-case id
	assignments                                []azAssignment
	datastores                                 []azDatastore
	connections                                []azConnection
	computeIdle                                string
	noCompute                                  bool
	endpoints                                  map[string]*azEndpoint // by lower-case id

	// intercept answers a request before the world does (throttling, denials); it returns
	// false to let the world answer.
	intercept func(w http.ResponseWriter, r *http.Request) bool

	url  string
	mu   sync.Mutex
	hits map[string]int
}

// newWorld is Azure after a successful `pulumi up` of spec.
func newWorld(t *testing.T, spec verifyspec.Spec) *world {
	w := &world{
		t: t, wsState: "Succeeded", netStatus: "Active",
		isolation: spec.Workspace.IsolationMode, firewallSku: spec.Workspace.FirewallSku,
		resources: map[string]*azResource{}, endpoints: map[string]*azEndpoint{}, hits: map[string]int{},
		computeIdle: spec.ComputeInstance.IdleTimeBeforeShutdown,
	}
	if spec.Private {
		w.wsPNA = "Disabled"
		w.wsConns = []azConn{{"pe-workspace", "Approved"}}
	} else {
		w.wsPNA, w.wsDefaultAction, w.wsIPs = "Enabled", "Deny", spec.AllowedIPs
	}
	// Azure's own rules for the workspace's dependencies: not the stack's business.
	w.rules = []azRule{
		{"__SYS_ST_AzureActiveDirectory_TCP", "ServiceTag", "Required", "Active",
			map[string]any{"serviceTag": "AzureActiveDirectory", "protocol": "TCP", "portRanges": "80, 443", "action": "Allow", "addressPrefixes": []string{}}},
		{"__SYS_PE_stamlsecdev_blob", "PrivateEndpoint", "Required", "Active",
			map[string]any{"serviceResourceId": wsStorageID, "subresourceTarget": "blob", "sparkEnabled": false, "sparkStatus": "Inactive"}},
	}
	for _, r := range spec.OutboundRules {
		var dest any
		switch r.Type {
		case "FQDN":
			dest = r.Destination
		case "ServiceTag":
			dest = map[string]any{"serviceTag": r.Destination, "protocol": r.Protocol, "portRanges": r.PortRanges, "action": "Allow", "addressPrefixes": []string{}}
		default:
			dest = map[string]any{"serviceResourceId": r.Destination, "subresourceTarget": r.Subresource, "sparkEnabled": false, "sparkStatus": "Inactive"}
		}
		w.rules = append(w.rules, azRule{r.Name, r.Type, "UserDefined", "Active", dest})
	}
	for _, e := range spec.Exposure {
		if strings.EqualFold(e.ID, wsID) {
			continue
		}
		res := &azResource{pna: "Enabled", defaultAction: "Deny"}
		switch {
		case e.Private:
			// As the program writes a private resource: public access off, no IP rule.
			res.pna = "Disabled"
		case strings.Contains(e.ID, "Microsoft.Sql"):
			for i, ip := range spec.AllowedIPs {
				first, last, _ := ipv4Range(ip)
				res.sqlRules = append(res.sqlRules, [3]string{fmt.Sprintf("allowed-ip-%d", i), first, last})
			}
		default:
			res.ipRules = spec.AllowedIPs
		}
		w.resources[strings.ToLower(e.ID)] = res
	}
	// Each declared private-endpoint rule is a managed endpoint connected to its target.
	for _, r := range spec.OutboundRules {
		if r.Type != "PrivateEndpoint" {
			continue
		}
		res := w.resources[strings.ToLower(r.Destination)]
		if res == nil { // a target the stack does not expose, such as the monitor scope
			res = &azResource{}
			w.resources[strings.ToLower(r.Destination)] = res
		}
		res.conns = append(res.conns, azConn{"mlw-amlsec-dev." + r.Name, "Approved"})
	}
	for _, g := range spec.RoleAssignments {
		w.assignments = append(w.assignments, azAssignment{g.Scope, g.Role, g.PrincipalID})
	}
	// Contributor's GUID as Microsoft lists it, not the constant under test
	// (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles).
	w.assignments = append(w.assignments, azAssignment{wsID, "b24988ac-6180-42a0-ab88-20f7382dd24c", ciPrincipal})
	w.datastores = []azDatastore{{"workspaceblobstore", "AzureBlob", "stamlsecdev", "azureml-blobstore", "None"}}
	for _, d := range spec.Datastores {
		w.datastores = append(w.datastores, azDatastore{d.Name, d.Type, d.Account, d.Container, d.CredentialsType})
	}
	for _, c := range spec.Connections {
		w.connections = append(w.connections, azConnection{c.Name, c.Category, c.AuthType,
			fmt.Sprintf("Server=tcp:%s,1433;Database=%s;Encrypt=True;TrustServerCertificate=False;Connection Timeout=30;", c.Server, c.Database)})
	}
	for i, id := range spec.PrivateEndpoints {
		ip := fmt.Sprintf("10.0.2.%d", 4+i)
		name := strings.TrimPrefix(resourceName(id), "pe-")
		var rec azRecord
		switch name {
		case "workspace":
			rec = azRecord{"0f1e2d3c-wsid.workspace.eastus2.privatelink.api.azureml.ms", []string{ip}, "0f1e2d3c-wsid.workspace.eastus2.api.azureml.ms"}
		case "vault":
			// Key Vault's zone is privatelink.vaultcore.azure.net, its clients' name vault.azure.net.
			rec = azRecord{"kv-amlsec-dev.privatelink.vaultcore.azure.net", []string{ip}, "kv-amlsec-dev.vault.azure.net"}
		case "lake-dfs":
			rec = azRecord{"stamlsecdevlake.privatelink.dfs.core.windows.net", []string{ip}, "stamlsecdevlake.dfs.core.windows.net"}
		case "lake-blob":
			rec = azRecord{"stamlsecdevlake.privatelink.blob.core.windows.net", []string{ip}, "stamlsecdevlake.blob.core.windows.net"}
		case "blob-blob":
			rec = azRecord{"stamlsecdevblob.privatelink.blob.core.windows.net", []string{ip}, "stamlsecdevblob.blob.core.windows.net"}
		case "sql-server":
			rec = azRecord{"sql-amlsec-dev.privatelink.database.windows.net", []string{ip}, "sql-amlsec-dev.database.windows.net"}
		}
		w.endpoints[strings.ToLower(id)] = &azEndpoint{zone: []azRecord{rec}}
		// The customer endpoints' connections on their targets.
		if target := peTarget(name); target != "" {
			res := w.resources[strings.ToLower(target)]
			res.conns = append(res.conns, azConn{"pe-" + name, "Approved"})
		}
	}
	return w
}

func peTarget(name string) string {
	switch name {
	case "vault":
		return kvID
	case "lake-dfs", "lake-blob":
		return lakeID
	case "blob-blob":
		return blobID
	case "sql-server":
		return sqlID
	}
	return ""
}

// resource is the state of one exposed resource, failing the test when there is none.
func (w *world) resource(id string) *azResource {
	r := w.resources[strings.ToLower(id)]
	if r == nil {
		w.t.Fatalf("the test world has no resource %s", id)
	}
	return r
}

func (w *world) rule(name string) *azRule {
	for i := range w.rules {
		if w.rules[i].name == name {
			return &w.rules[i]
		}
	}
	w.t.Fatalf("the test world has no rule %s", name)
	return nil
}

func (w *world) hitCount(path string) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.hits[strings.ToLower(path)]
}

func (w *world) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	w.mu.Lock()
	w.hits[strings.ToLower(r.URL.Path)]++
	w.mu.Unlock()
	if !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") {
		armError(rw, http.StatusUnauthorized, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.")
		return
	}
	if w.intercept != nil && w.intercept(rw, r) {
		return
	}
	p := strings.ToLower(r.URL.Path)
	ws := strings.ToLower(wsID)
	switch {
	case p == ws:
		w.answer(rw, r, "2024-10-01-preview", w.workspaceBody())
	case p == ws+"/outboundrules":
		w.answerRules(rw, r)
	case p == ws+"/datastores":
		w.answer(rw, r, "2024-10-01", w.datastoresBody())
	case p == ws+"/connections":
		w.answer(rw, r, "2024-10-01", w.connectionsBody())
	case p == ws+"/computes/ci-amlsec-dev" && !w.noCompute:
		w.answer(rw, r, "2024-10-01-preview", w.computeBody())
	case strings.HasSuffix(p, "/providers/microsoft.authorization/roleassignments"):
		w.answer(rw, r, "2022-04-01", w.roleAssignmentsBody(strings.TrimSuffix(r.URL.Path, "/providers/Microsoft.Authorization/roleAssignments"), r.URL.Query().Get("$filter")))
	case strings.HasSuffix(p, "/firewallrules") && w.resources[strings.TrimSuffix(p, "/firewallrules")] != nil:
		w.answer(rw, r, "2021-11-01", w.sqlRulesBody(w.resources[strings.TrimSuffix(p, "/firewallrules")]))
	case strings.HasSuffix(p, "/virtualnetworkrules") && w.resources[strings.TrimSuffix(p, "/virtualnetworkrules")] != nil:
		w.answer(rw, r, "2021-11-01", sqlVNetRulesBody(w.resources[strings.TrimSuffix(p, "/virtualnetworkrules")]))
	case strings.HasSuffix(p, "/privatednszonegroups") && w.endpoints[strings.TrimSuffix(p, "/privatednszonegroups")] != nil:
		w.answer(rw, r, "2023-02-01", zoneGroupsBody(w.endpoints[strings.TrimSuffix(p, "/privatednszonegroups")]))
	case w.endpoints[p] != nil:
		w.answer(rw, r, "2023-02-01", privateEndpointBody(r.URL.Path, w.endpoints[p]))
	case w.resources[p] != nil:
		w.answerResource(rw, r, r.URL.Path, w.resources[p])
	default:
		armError(rw, http.StatusNotFound, "ResourceNotFound", fmt.Sprintf("The Resource '%s' was not found.", r.URL.Path))
	}
}

// answer writes body after checking the api-version is the one the program deploys with:
// a drift in verify's versions fails the test.
func (w *world) answer(rw http.ResponseWriter, r *http.Request, apiVersion string, body any) {
	if got := r.URL.Query().Get("api-version"); got != apiVersion {
		w.t.Errorf("GET %s with api-version %q, the program deploys it with %q", r.URL.Path, got, apiVersion)
		armError(rw, http.StatusBadRequest, "InvalidApiVersionParameter", "The api-version '"+got+"' is invalid.")
		return
	}
	rw.Header().Set("Content-Type", "application/json; charset=utf-8")
	rw.Header().Set("x-ms-ratelimit-remaining-subscription-reads", "249")
	_ = json.NewEncoder(rw).Encode(body)
}

func armError(rw http.ResponseWriter, status int, code, message string) {
	rw.Header().Set("Content-Type", "application/json; charset=utf-8")
	rw.Header().Set("x-ms-error-code", code)
	rw.WriteHeader(status)
	_ = json.NewEncoder(rw).Encode(map[string]any{"error": map[string]any{"code": code, "message": message}})
}

// conns renders private endpoint connections. Key Vault's (PrivateEndpointConnectionItem of
// keyvault 2023-02-01) and SQL's (ServerPrivateEndpointConnection of sql 2021-11-01) have
// no name.
func conns(cs []azConn, parent string) []any {
	out := []any{}
	for _, c := range cs {
		conn := map[string]any{
			"id":   parent + "/privateEndpointConnections/" + c.name,
			"name": c.name,
			"type": resourceType(parent) + "/privateEndpointConnections",
			"properties": map[string]any{
				"provisioningState": "Succeeded",
				"privateEndpoint":   map[string]any{"id": rgID + "/providers/Microsoft.Network/privateEndpoints/" + c.name},
				"privateLinkServiceConnectionState": map[string]any{
					"status": c.status, "description": map[string]string{"Approved": "Auto-Approved", "Pending": "awaiting approval", "Rejected": "rejected by owner"}[c.status], "actionsRequired": "None",
				},
			},
		}
		if t := resourceType(parent); t == typeKeyVault || t == typeSQLServer {
			delete(conn, "name")
			delete(conn, "type")
		}
		out = append(out, conn)
	}
	return out
}

func valueRules(ips []string) []any {
	out := []any{}
	for _, ip := range ips {
		out = append(out, map[string]any{"value": ip, "action": "Allow"})
	}
	return out
}

// workspaceBody: Workspace/get.json of 2024-10-01-preview
// (specification/machinelearningservices/resource-manager/Microsoft.MachineLearningServices/preview/2024-10-01-preview/examples/Workspace/get.json).
func (w *world) workspaceBody() any {
	props := map[string]any{
		"friendlyName":                    "mlw-amlsec-dev",
		"storageAccount":                  wsStorageID,
		"keyVault":                        kvID,
		"containerRegistry":               acrID,
		"applicationInsights":             rgID + "/providers/microsoft.insights/components/appi-amlsec-dev",
		"hbiWorkspace":                    false,
		"privateLinkCount":                len(w.wsConns),
		"allowPublicAccessWhenBehindVnet": false,
		"publicNetworkAccess":             w.wsPNA,
		"provisioningState":               w.wsState,
		"systemDatastoresAuthMode":        "Identity",
		"privateEndpointConnections":      conns(w.wsConns, wsID),
	}
	if w.wsDefaultAction != "" {
		props["networkAcls"] = map[string]any{"defaultAction": w.wsDefaultAction, "ipRules": valueRules(w.wsIPs)}
	}
	if !w.noManagedNetwork {
		mn := map[string]any{
			"isolationMode": w.isolation,
			"networkId":     "00000000-1111-2222-3333-444444444444",
			"status":        map[string]any{"status": w.netStatus, "sparkReady": false},
		}
		if w.firewallSku != "" {
			mn["firewallSku"] = w.firewallSku
		}
		if len(w.wsInlineRules) > 0 {
			inline := map[string]any{}
			for name, r := range w.wsInlineRules {
				inline[name] = map[string]any{"type": r.typ, "category": r.category, "status": r.status, "destination": r.destination}
			}
			mn["outboundRules"] = inline
		}
		props["managedNetwork"] = mn
	}
	return map[string]any{
		"id": wsID, "name": "mlw-amlsec-dev", "type": "Microsoft.MachineLearningServices/workspaces", "location": "eastus2",
		"identity": map[string]any{"type": "UserAssigned", "userAssignedIdentities": map[string]any{
			rgID + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-amlsec-dev": map[string]any{"principalId": wsPrincipal, "clientId": "dddddddd-0000-0000-0000-00000000000d"},
		}},
		"sku":        map[string]any{"name": "Basic", "tier": "Basic"},
		"properties": props,
	}
}

// answerRules: ManagedNetwork/listRule.json
// (.../Microsoft.MachineLearningServices/stable/2024-10-01/examples/ManagedNetwork/listRule.json),
// paged with nextLink when rulesPerPage is set, the way the list is pageable.
func (w *world) answerRules(rw http.ResponseWriter, r *http.Request) {
	all := []any{}
	for _, rl := range w.rules {
		all = append(all, map[string]any{
			"id": wsID + "/outboundRules/" + rl.name, "name": rl.name, "type": "workspace/outboundRules",
			"properties": map[string]any{"type": rl.typ, "category": rl.category, "status": rl.status, "destination": rl.destination,
				"errorInformation": nil, "parentRuleNames": nil},
		})
	}
	page := map[string]any{"value": all}
	if w.rulesPerPage > 0 {
		skip := 0
		fmt.Sscan(r.URL.Query().Get("$skipToken"), &skip)
		end := min(skip+w.rulesPerPage, len(all))
		page["value"] = all[skip:end]
		if end < len(all) {
			page["nextLink"] = fmt.Sprintf("%s%s?api-version=2024-10-01&$skipToken=%d", w.url, wsID+"/outboundRules", end)
		}
	}
	w.answer(rw, r, "2024-10-01", page)
}

// datastoresBody: Datastore/list.json (.../stable/2024-10-01/examples/Datastore/list.json),
// with the AzureDataLakeGen2 fields of Datastore/AzureDataLakeGen2WServicePrincipal/createOrUpdate.json.
func (w *world) datastoresBody() any {
	out := []any{}
	for _, d := range w.datastores {
		props := map[string]any{
			"description": "", "tags": map[string]any{}, "isDefault": d.name == "workspaceblobstore", "properties": nil,
			"credentials":   map[string]any{"credentialsType": d.credentials},
			"datastoreType": d.typ, "accountName": d.account, "endpoint": "core.windows.net", "protocol": "https",
		}
		if d.typ == "AzureDataLakeGen2" {
			props["filesystem"] = d.container
		} else {
			props["containerName"] = d.container
		}
		out = append(out, map[string]any{
			"id": wsID + "/datastores/" + d.name, "name": d.name, "type": "Microsoft.MachineLearningServices/workspaces/datastores",
			"properties": props,
			"systemData": map[string]any{"createdAt": "2024-11-01T00:00:00Z", "createdBy": "pulumi", "createdByType": "User"},
		})
	}
	return map[string]any{"value": out}
}

// connectionsBody: WorkspaceConnection/list.json (.../stable/2024-10-01/examples/WorkspaceConnection/list.json).
func (w *world) connectionsBody() any {
	out := []any{}
	for _, c := range w.connections {
		out = append(out, map[string]any{
			"id": wsID + "/connections/" + c.name, "name": c.name, "type": "Microsoft.MachineLearningServices/workspaces/connections",
			"properties": map[string]any{"category": c.category, "target": c.target, "authType": c.authType},
		})
	}
	return map[string]any{"value": out}
}

// computeBody: Compute/get/ComputeInstance.json
// (.../preview/2024-10-01-preview/examples/Compute/get/ComputeInstance.json), plus idleTimeBeforeShutdown.
func (w *world) computeBody() any {
	inner := map[string]any{
		"vmSize": "STANDARD_DS11_V2", "applicationSharingPolicy": "Personal",
		"sshSettings":                      map[string]any{"sshPublicAccess": "Disabled", "adminUserName": "azureuser", "sshPort": 22},
		"computeInstanceAuthorizationType": "personal",
		"personalComputeInstanceSettings":  map[string]any{"assignedUser": map[string]any{"objectId": "eeeeeeee-0000-0000-0000-00000000000e", "tenantId": "ffffffff-0000-0000-0000-00000000000f"}},
		"connectivityEndpoints":            map[string]any{"publicIpAddress": nil, "privateIpAddress": "10.0.0.4"},
		"errors":                           nil, "state": "Running", "enableNodePublicIp": false,
	}
	if w.computeIdle != "" {
		inner["idleTimeBeforeShutdown"] = w.computeIdle
	}
	return map[string]any{
		"id": wsID + "/computes/ci-amlsec-dev", "type": "Microsoft.MachineLearningServices/workspaces/computes", "name": "ci-amlsec-dev", "location": "eastus2",
		"identity": map[string]any{"type": "SystemAssigned", "principalId": ciPrincipal, "tenantId": "ffffffff-0000-0000-0000-00000000000f"},
		"properties": map[string]any{"computeType": "ComputeInstance", "provisioningState": "Succeeded",
			"createdOn": "2024-11-01T22:00:00.0000000+00:00", "modifiedOn": "2024-11-01T22:00:00.0000000+00:00", "properties": inner},
	}
}

var principalFilter = regexp.MustCompile(`^principalId eq '([^']+)'$`)

// roleAssignmentsBody: RoleAssignments_ListForScope.json
// (specification/authorization/resource-manager/Microsoft.Authorization/stable/2022-04-01/examples/RoleAssignments_ListForScope.json).
// With $filter=principalId eq '<id>' ARM returns the principal's assignments at, above and
// below the scope.
func (w *world) roleAssignmentsBody(scope, filter string) any {
	m := principalFilter.FindStringSubmatch(filter)
	if m == nil {
		w.t.Errorf("role assignments listed with $filter %q, want principalId eq '<id>'", filter)
	}
	out := []any{}
	for i, a := range w.assignments {
		if m == nil || !strings.EqualFold(a.principal, m[1]) {
			continue
		}
		if !covers(a.scope, scope) && !covers(scope, a.scope) {
			continue
		}
		name := fmt.Sprintf("%08d-0000-0000-0000-000000000000", i)
		out = append(out, map[string]any{
			"properties": map[string]any{
				"roleDefinitionId": "/subscriptions/" + testSub + "/providers/Microsoft.Authorization/roleDefinitions/" + a.role,
				"principalId":      a.principal, "principalType": "ServicePrincipal", "scope": a.scope,
			},
			"id": a.scope + "/providers/Microsoft.Authorization/roleAssignments/" + name, "type": "Microsoft.Authorization/roleAssignments", "name": name,
		})
	}
	return map[string]any{"value": out}
}

// sqlRulesBody: a list of FirewallRuleGet.json elements
// (specification/sql/resource-manager/Microsoft.Sql/stable/2021-11-01/examples/FirewallRuleGet.json).
func (w *world) sqlRulesBody(res *azResource) any {
	out := []any{}
	for _, r := range res.sqlRules {
		out = append(out, map[string]any{"id": sqlID + "/firewallRules/" + r[0], "name": r[0], "type": "Microsoft.Sql/servers/firewallRules",
			"properties": map[string]any{"startIpAddress": r[1], "endIpAddress": r[2]}})
	}
	return map[string]any{"value": out}
}

// sqlVNetRulesBody: VirtualNetworkRuleList.json
// (specification/sql/resource-manager/Microsoft.Sql/stable/2021-11-01/examples/VirtualNetworkRuleList.json).
func sqlVNetRulesBody(res *azResource) any {
	out := []any{}
	for i, subnet := range res.vnetRules {
		name := fmt.Sprintf("vnet-rule-%d", i)
		out = append(out, map[string]any{"id": sqlID + "/virtualNetworkRules/" + name, "name": name, "type": "Microsoft.Sql/servers/virtualNetworkRules",
			"properties": map[string]any{"virtualNetworkSubnetId": subnet, "ignoreMissingVnetServiceEndpoint": false, "state": "Ready"}})
	}
	return map[string]any{"value": out}
}

// answerResource renders an exposed resource by type.
func (w *world) answerResource(rw http.ResponseWriter, r *http.Request, id string, res *azResource) {
	name := resourceName(id)
	storageVNetRules, vaultVNetRules, accessRules := []any{}, []any{}, []any{}
	for _, subnet := range res.vnetRules {
		storageVNetRules = append(storageVNetRules, map[string]any{"id": subnet, "action": "Allow", "state": "Succeeded"})
		vaultVNetRules = append(vaultVNetRules, map[string]any{"id": subnet, "ignoreMissingVnetServiceEndpoint": false})
	}
	for _, rid := range res.accessRules {
		accessRules = append(accessRules, map[string]any{"tenantId": "ffffffff-0000-0000-0000-00000000000f", "resourceId": rid})
	}
	switch t := resourceType(id); {
	case strings.EqualFold(t, typeMonitorScope):
		// PrivateLinkScopesGet.json (specification/monitor/resource-manager/Microsoft.Insights/
		// preview/2021-07-01-preview/examples/PrivateLinkScopesGet.json), with the
		// privateEndpointConnections of AzureMonitorPrivateLinkScopeProperties.
		w.answer(rw, r, "2021-07-01-preview", map[string]any{
			"id": id, "name": name, "type": typeMonitorScope, "location": "Global", "tags": map[string]any{},
			"properties": map[string]any{
				"provisioningState":          "Succeeded",
				"accessModeSettings":         map[string]any{"queryAccessMode": "PrivateOnly", "ingestionAccessMode": "PrivateOnly", "exclusions": []any{}},
				"privateEndpointConnections": conns(res.conns, id),
			},
		})
	case t == typeStorage:
		// StorageAccountGetProperties.json
		// (specification/storage/resource-manager/Microsoft.Storage/stable/2022-09-01/examples/StorageAccountGetProperties.json).
		w.answer(rw, r, "2022-09-01", map[string]any{
			"id": id, "kind": "StorageV2", "location": "eastus2", "name": name, "type": typeStorage,
			"sku": map[string]any{"name": "Standard_LRS", "tier": "Standard"},
			"properties": map[string]any{
				"isHnsEnabled": strings.HasSuffix(name, "lake"), "provisioningState": "Succeeded", "supportsHttpsTrafficOnly": true,
				"publicNetworkAccess": res.pna, "allowBlobPublicAccess": false, "allowSharedKeyAccess": false, "minimumTlsVersion": "TLS1_2",
				"networkAcls": map[string]any{"bypass": "AzureServices", "defaultAction": res.defaultAction, "ipRules": valueRules(res.ipRules),
					"virtualNetworkRules": storageVNetRules, "resourceAccessRules": accessRules},
				"primaryEndpoints":           map[string]any{"dfs": "https://" + name + ".dfs.core.windows.net/", "blob": "https://" + name + ".blob.core.windows.net/"},
				"privateEndpointConnections": conns(res.conns, id),
			},
		})
	case t == typeKeyVault:
		// an element of listVaultByResourceGroup.json
		// (specification/keyvault/resource-manager/Microsoft.KeyVault/stable/2023-02-01/examples/listVaultByResourceGroup.json).
		ipRules := []any{}
		for _, ip := range res.ipRules {
			// Key Vault answers single addresses as /32.
			if !strings.Contains(ip, "/") {
				ip += "/32"
			}
			ipRules = append(ipRules, map[string]any{"value": ip})
		}
		w.answer(rw, r, "2023-02-01", map[string]any{
			"id": id, "name": name, "type": typeKeyVault, "location": "eastus2",
			"properties": map[string]any{
				"sku": map[string]any{"family": "A", "name": "standard"}, "tenantId": "ffffffff-0000-0000-0000-00000000000f", "accessPolicies": []any{},
				"enableSoftDelete": true, "enableRbacAuthorization": true, "enablePurgeProtection": true,
				"vaultUri": "https://" + name + ".vault.azure.net/", "provisioningState": "Succeeded",
				"publicNetworkAccess":        res.pna,
				"networkAcls":                map[string]any{"bypass": "AzureServices", "defaultAction": res.defaultAction, "ipRules": ipRules, "virtualNetworkRules": vaultVNetRules},
				"privateEndpointConnections": conns(res.conns, id),
			},
		})
	case t == typeRegistry:
		// RegistryGet.json (specification/containerregistry/resource-manager/Microsoft.ContainerRegistry/preview/2023-11-01-preview/examples/RegistryGet.json).
		w.answer(rw, r, "2023-11-01-preview", map[string]any{
			"id": id, "name": name, "type": typeRegistry, "location": "eastus2", "sku": map[string]any{"name": "Premium", "tier": "Premium"},
			"properties": map[string]any{
				"loginServer": name + ".azurecr.io", "provisioningState": "Succeeded", "adminUserEnabled": false,
				"networkRuleSet":             map[string]any{"defaultAction": res.defaultAction, "ipRules": valueRules(res.ipRules)},
				"privateEndpointConnections": conns(res.conns, id),
				"publicNetworkAccess":        res.pna, "networkRuleBypassOptions": "AzureServices", "zoneRedundancy": "Disabled", "anonymousPullEnabled": false,
			},
		})
	case t == typeSQLServer:
		// ServerGet.json (specification/sql/resource-manager/Microsoft.Sql/stable/2021-11-01/examples/ServerGet.json).
		w.answer(rw, r, "2021-11-01", map[string]any{
			"id": id, "name": name, "type": typeSQLServer, "location": "eastus2", "kind": "v12.0",
			"properties": map[string]any{
				"fullyQualifiedDomainName": name + ".database.windows.net", "administratorLogin": "sqladmin", "version": "12.0", "state": "Ready",
				"publicNetworkAccess": res.pna, "restrictOutboundNetworkAccess": "Disabled", "minimalTlsVersion": "1.2",
				"privateEndpointConnections": conns(res.conns, id),
			},
		})
	default:
		w.t.Errorf("the test world cannot render %s", id)
		armError(rw, http.StatusNotFound, "ResourceNotFound", id)
	}
}

// privateEndpointBody: a Microsoft.Network/privateEndpoints GET at 2023-02-01; endpoints
// with a DNS zone group leave customDnsConfigs empty.
func privateEndpointBody(id string, e *azEndpoint) any {
	custom := []any{}
	for _, r := range e.custom {
		custom = append(custom, map[string]any{"fqdn": r.fqdn, "ipAddresses": r.ips})
	}
	return map[string]any{"id": id, "name": resourceName(id), "type": "Microsoft.Network/privateEndpoints", "location": "eastus2",
		"properties": map[string]any{"provisioningState": "Succeeded", "customDnsConfigs": custom,
			"subnet": map[string]any{"id": rgID + "/providers/Microsoft.Network/virtualNetworks/vnet-amlsec-dev/subnets/snet-private-endpoints"}}}
}

// zoneGroupsBody: PrivateEndpointDnsZoneGroupList.json
// (specification/network/resource-manager/Microsoft.Network/stable/2023-02-01/examples/PrivateEndpointDnsZoneGroupList.json).
func zoneGroupsBody(e *azEndpoint) any {
	sets := []any{}
	for _, r := range e.zone {
		sets = append(sets, map[string]any{"recordType": "A", "recordSetName": strings.SplitN(r.fqdn, ".", 2)[0], "fqdn": r.fqdn, "ipAddresses": r.ips})
	}
	return map[string]any{"value": []any{map[string]any{"name": "default", "properties": map[string]any{"provisioningState": "Succeeded",
		"privateDnsZoneConfigs": []any{map[string]any{"properties": map[string]any{"privateDnsZoneId": rgID + "/providers/Microsoft.Network/privateDnsZones/zone", "recordSets": sets}}}}}}}
}

// fakeCredential hands out fixed tokens and records the scopes asked for; tests never read
// the machine's Azure login.
type fakeCredential struct {
	mu     sync.Mutex
	scopes []string
	token  string
	err    error
}

func (c *fakeCredential) GetToken(_ context.Context, o policy.TokenRequestOptions) (azcore.AccessToken, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.scopes = append(c.scopes, o.Scopes...)
	if c.err != nil {
		return azcore.AccessToken{}, c.err
	}
	tok := c.token
	if tok == "" {
		tok = "fake-token"
	}
	return azcore.AccessToken{Token: tok, ExpiresOn: time.Now().Add(time.Hour)}, nil
}

// fakeResolver answers from a table; a missing name is NXDOMAIN.
type fakeResolver map[string][]string

func (f fakeResolver) LookupHost(_ context.Context, host string) ([]string, error) {
	if a, ok := f[host]; ok {
		return a, nil
	}
	return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
}

// fakeSQL stands for the SELECT 1, which only runs against Azure.
type fakeSQL struct {
	err   error
	calls []string
}

func (f *fakeSQL) Ping(_ context.Context, server, database string) error {
	f.calls = append(f.calls, server+"/"+database)
	return f.err
}

// testRetry keeps retries fast; a Retry-After header still decides the wait.
var testRetry = policy.RetryOptions{RetryDelay: time.Millisecond, MaxRetryDelay: 3 * time.Second}

// serve starts the world as a local TLS ARM and returns a verifier of spec against it.
func serve(t *testing.T, w *world, spec verifyspec.Spec, opts ...func(*Options)) *Verifier {
	t.Helper()
	srv := httptest.NewTLSServer(w)
	t.Cleanup(srv.Close)
	w.url = srv.URL
	o := Options{ARMEndpoint: srv.URL, Transport: srv.Client(), Retry: testRetry, Resolver: fakeResolver{}, SQL: &fakeSQL{}}
	for _, f := range opts {
		f(&o)
	}
	v, err := New(spec, &fakeCredential{}, o)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// only is the one result of a check, failing the test when there are more or none.
func only(t *testing.T, rs []Result) Result {
	t.Helper()
	if len(rs) != 1 {
		t.Fatalf("want one result, got %d: %+v", len(rs), rs)
	}
	return rs[0]
}

// expect fails the test unless r has status and its detail and fix hold every substring.
func expect(t *testing.T, r Result, status Status, substrings ...string) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("%s: status %s, want %s\ndetail: %s\nfix: %s", r.Check, r.Status, status, r.Detail, r.Fix)
	}
	text := r.Detail + "\n" + r.Fix
	for _, s := range substrings {
		if !strings.Contains(text, s) {
			t.Errorf("%s %s: want %q in\ndetail: %s\nfix: %s", r.Check, r.Status, s, r.Detail, r.Fix)
		}
	}
	if (status == Fail || status == Error) && r.Fix == "" {
		t.Errorf("%s %s has no fix", r.Check, r.Status)
	}
}
