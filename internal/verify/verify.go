// Package verify proves, after `pulumi up`, that what Azure built matches what the stack
// declares (a verifyspec.Spec): the workspace and its managed network, outbound rules and
// private endpoint approvals, role assignments, datastores and connections, network
// exposure, private DNS, the data path with an Entra token, and cost guards. It only reads:
// ARM GETs at the API versions the program deploys with, one blob read per sample file and
// a SELECT 1 on SQL.
package verify

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/url"
	"strings"
	"sync"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"azure-ml-security/internal/verifyspec"
)

// The checks, in the order they run and print.
const (
	CheckSignIn           = "sign-in"
	CheckWorkspace        = "workspace"
	CheckManagedNetwork   = "managed network"
	CheckOutboundRules    = "outbound rules"
	CheckEndpointApproval = "endpoint approval"
	CheckRoleAssignments  = "role assignments"
	CheckDatastores       = "datastores"
	CheckConnections      = "connections"
	CheckExposure         = "exposure"
	CheckDNS              = "dns"
	CheckDataPath         = "data path"
	CheckIdleShutdown     = "idle shutdown"
	CheckComputeIdentity  = "compute identity"
	CheckFirewall         = "firewall"
)

// Checks describes every check for the command's help and the README.
var Checks = []struct{ Name, Means string }{
	{CheckWorkspace, "the workspace is provisioned (provisioningState Succeeded)"},
	{CheckManagedNetwork, "its managed network is Active, with the configured isolation mode and firewall SKU"},
	{CheckOutboundRules, "every outbound rule the stack declares exists, points where declared (a service tag with its protocol and ports) and is Active; no user-defined rule was added outside the stack (rules Azure adds itself are fine)"},
	{CheckEndpointApproval, "every private endpoint connection on the workspace and the resources it reaches is Approved (none Pending, Rejected or Disconnected)"},
	{CheckRoleAssignments, "the role assignments the design depends on exist (approver, data roles, identities)"},
	{CheckDatastores, "each datastore exists with the configured type, account, container and authentication"},
	{CheckConnections, "each workspace connection (SQL) exists with the configured category, authentication and target"},
	{CheckExposure, "a private resource has public network access Disabled and no firewall rule; a public one admits exactly allowedIpAddresses behind default action Deny; neither admits a subnet or resource instance"},
	{CheckDNS, "each private endpoint's name resolves to its private IP (only inside the VNet: SKIP outside)"},
	{CheckDataPath, "the sample contacts.csv reads back with an Entra token, and SQL answers SELECT 1 with an Entra token (SKIP when the network refuses this machine)"},
	{CheckIdleShutdown, "the compute instance stops itself when idle (idleTimeBeforeShutdown as configured)"},
	{CheckComputeIdentity, "the compute instance's identity holds Contributor on the workspace, so idle shutdown can stop it"},
	{CheckFirewall, "no managed Azure Firewall (billed hourly) runs unless the stack declares FQDN rules"},
}

// Resolver looks host names up; *net.Resolver is one. Tests inject answers.
type Resolver interface {
	LookupHost(ctx context.Context, host string) ([]string, error)
}

// SQLPinger opens a connection to an Azure SQL database with an Entra token and runs SELECT 1.
type SQLPinger interface {
	Ping(ctx context.Context, server, database string) error
}

// Options are what a caller may change; the zero value talks to the public Azure cloud.
type Options struct {
	// ARMEndpoint replaces https://management.azure.com (tests: a local TLS server).
	ARMEndpoint string
	// Transport sends the HTTP requests of ARM and blob calls (tests: a client that trusts
	// the test server's certificate). nil is azcore's default.
	Transport policy.Transporter
	// Retry tunes azcore's retry policy; the zero value is its default (3 retries,
	// honouring Retry-After up to 60 s).
	Retry policy.RetryOptions
	// Resolver answers the DNS check; nil is net.DefaultResolver.
	Resolver Resolver
	// SQL runs the SQL data-path check; nil is a go-mssqldb connection with an Entra token
	// from the same credential.
	SQL SQLPinger
}

// Verifier runs the checks of one stack.
type Verifier struct {
	spec verifyspec.Spec
	cred azcore.TokenCredential
	opts Options
	arm  *armClient

	mu    sync.Mutex
	cache map[string]fetched
}

type fetched struct {
	body json.RawMessage
	list []json.RawMessage
	err  error
}

// New prepares the checks of spec with a credential (azidentity.DefaultAzureCredential in
// the command, a fake in tests).
func New(spec verifyspec.Spec, cred azcore.TokenCredential, o Options) (*Verifier, error) {
	if spec.SubscriptionID == "" || spec.ResourceGroupName == "" || (spec.Workspace.ID == "" && spec.Workspace.Name == "") {
		return nil, fmt.Errorf("the stack's %q output lacks subscriptionId, resourceGroupName or the workspace", verifyspec.OutputName)
	}
	if o.Resolver == nil {
		o.Resolver = net.DefaultResolver
	}
	if o.SQL == nil {
		o.SQL = &entraSQL{cred: cred}
	}
	c, err := newARMClient(cred, o)
	if err != nil {
		return nil, err
	}
	return &Verifier{spec: spec, cred: cred, opts: o, arm: c, cache: map[string]fetched{}}, nil
}

// Run runs every check and returns the results in order. It stops after sign-in when no
// token can be had, since every other check would fail the same way.
func (v *Verifier) Run(ctx context.Context) []Result {
	if r, ok := v.signIn(ctx); !ok {
		return []Result{r}
	}
	var out []Result
	for _, check := range []func(context.Context) []Result{
		v.checkWorkspace,
		v.checkManagedNetwork,
		v.checkOutboundRules,
		v.checkEndpointApproval,
		v.checkRoleAssignments,
		v.checkDatastores,
		v.checkConnections,
		v.checkExposure,
		v.checkDNS,
		v.checkDataPath,
		v.checkIdleShutdown,
		v.checkComputeIdentity,
		v.checkFirewall,
	} {
		out = append(out, check(ctx)...)
	}
	return out
}

// signIn gets an ARM token once, so a missing login is one clear line instead of an error
// on every check.
func (v *Verifier) signIn(ctx context.Context) (Result, bool) {
	_, err := v.cred.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{armAudience + "/.default"}})
	if err != nil {
		return Result{Check: CheckSignIn, Status: Error,
			Detail: "no Azure token: " + firstLine(err.Error()),
			Fix: "sign in with `az login` (or set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET or a federated token); " +
				"verify uses DefaultAzureCredential: https://aka.ms/azsdk/go/identity/credential-chains#defaultazurecredential-overview"}, false
	}
	return Result{}, true
}

func (v *Verifier) resourceGroupID() string {
	return fmt.Sprintf("/subscriptions/%s/resourceGroups/%s", v.spec.SubscriptionID, v.spec.ResourceGroupName)
}

func (v *Verifier) workspaceID() string {
	if v.spec.Workspace.ID != "" {
		return v.spec.Workspace.ID
	}
	return v.resourceGroupID() + "/providers/Microsoft.MachineLearningServices/workspaces/" + v.spec.Workspace.Name
}

func (v *Verifier) workspaceName() string {
	if v.spec.Workspace.Name != "" {
		return v.spec.Workspace.Name
	}
	return resourceName(v.spec.Workspace.ID)
}

func (v *Verifier) workspaceAPI() string {
	if v.spec.Workspace.APIVersion != "" {
		return v.spec.Workspace.APIVersion
	}
	return apiWorkspace
}

func (v *Verifier) ruleAPI() string {
	if v.spec.Workspace.RuleAPIVersion != "" {
		return v.spec.Workspace.RuleAPIVersion
	}
	return apiMLStable
}

// get reads a resource once per run: several checks look at the workspace and at the
// exposed resources, and ARM throttles reads per principal.
func get[T any](ctx context.Context, v *Verifier, path, apiVersion string) (T, error) {
	var out T
	key := "GET " + apiVersion + " " + strings.ToLower(path)
	v.mu.Lock()
	f, ok := v.cache[key]
	v.mu.Unlock()
	if !ok {
		f.err = v.arm.get(ctx, path, apiVersion, nil, &f.body)
		v.mu.Lock()
		v.cache[key] = f
		v.mu.Unlock()
	}
	if f.err != nil {
		return out, f.err
	}
	if err := json.Unmarshal(f.body, &out); err != nil {
		return out, fmt.Errorf("GET %s (api-version %s): decode: %w", path, apiVersion, err)
	}
	return out, nil
}

// list reads every page of a collection once per run.
func list[T any](ctx context.Context, v *Verifier, path, apiVersion string) ([]T, error) {
	return listQuery[T](ctx, v, path, apiVersion, nil)
}

// listQuery is list with query parameters such as $filter.
func listQuery[T any](ctx context.Context, v *Verifier, path, apiVersion string, query url.Values) ([]T, error) {
	key := "LIST " + apiVersion + " " + strings.ToLower(path) + "?" + query.Encode()
	v.mu.Lock()
	f, ok := v.cache[key]
	v.mu.Unlock()
	if !ok {
		f.list, f.err = v.arm.list(ctx, path, apiVersion, query)
		v.mu.Lock()
		v.cache[key] = f
		v.mu.Unlock()
	}
	if f.err != nil {
		return nil, f.err
	}
	out := make([]T, 0, len(f.list))
	for _, raw := range f.list {
		var item T
		if err := json.Unmarshal(raw, &item); err != nil {
			return nil, fmt.Errorf("GET %s (api-version %s): decode: %w", path, apiVersion, err)
		}
		out = append(out, item)
	}
	return out, nil
}

func pass(check, detail string) Result { return Result{Check: check, Status: Pass, Detail: detail} }
func skip(check, detail string) Result { return Result{Check: check, Status: Skip, Detail: detail} }
func fail(check string, findings []string, fix string) Result {
	return Result{Check: check, Status: Fail, Detail: strings.Join(findings, "\n"), Fix: fix}
}

// plural writes "1 rule" / "4 rules".
func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}
