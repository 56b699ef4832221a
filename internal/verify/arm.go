package verify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
)

// API versions of the GETs: the versions the program deploys each resource with, so verify
// reads the same shape the program wrote.
const (
	// Workspace and compute: internal/azureml registers them at
	// machinelearningservices/v20241001preview; only the preview returns managedNetwork
	// (examples/Workspace/get.json of 2024-10-01-preview has it, the stable one does not).
	apiWorkspace = "2024-10-01-preview"
	// Outbound rules, datastores and connections: machinelearningservices/v20241001.
	apiMLStable = "2024-10-01"
	// The defaults of @pulumi/azure-native 2.90.0 (the "Uses Azure REST API version" line of
	// storage/storageAccount.d.ts, keyvault/vault.d.ts, sql/server.d.ts,
	// authorization/roleAssignment.d.ts, network/privateEndpoint.d.ts,
	// insights/privateLinkScope.d.ts; TestAPIVersionsMatchSDK reads them).
	apiStorage         = "2022-09-01"
	apiKeyVault        = "2023-02-01"
	apiSQL             = "2021-11-01"
	apiRoleAssignments = "2022-04-01"
	apiNetwork         = "2023-02-01"
	// The Azure Monitor Private Link Scope of privateMonitoring
	// (components/workspace/privatemonitoring.go, insights.NewPrivateLinkScope).
	apiMonitorScope = "2021-07-01-preview"
	// The registry is pinned to containerregistry/v20231101preview (components/workspace/registry.go).
	apiRegistry = "2023-11-01-preview"
)

// armAudience is the token audience of Azure Resource Manager in the public cloud.
const armAudience = "https://management.azure.com"

// armClient sends GETs to Azure Resource Manager through an azcore pipeline: bearer token,
// retries (a 429 is retried after its Retry-After, https://learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling),
// and the standard ARM error envelope.
type armClient struct {
	endpoint string
	pipeline runtime.Pipeline
}

func newARMClient(cred azcore.TokenCredential, o Options) (*armClient, error) {
	opts := &arm.ClientOptions{
		ClientOptions: policy.ClientOptions{Retry: o.Retry, Transport: o.Transport},
		// verify only reads. With registration on, a 409 MissingSubscriptionRegistration makes
		// the pipeline POST a provider registration, which a Reader may not do.
		DisableRPRegistration: true,
	}
	if o.ARMEndpoint != "" {
		opts.Cloud = cloud.Configuration{Services: map[cloud.ServiceName]cloud.ServiceConfiguration{
			cloud.ResourceManager: {Endpoint: o.ARMEndpoint, Audience: armAudience},
		}}
	}
	c, err := arm.NewClient("azure-ml-security-verify", "v1.0.0", cred, opts)
	if err != nil {
		return nil, fmt.Errorf("ARM client: %w", err)
	}
	return &armClient{endpoint: c.Endpoint(), pipeline: c.Pipeline()}, nil
}

// get reads one resource (or one list page) into out.
func (c *armClient) get(ctx context.Context, path, apiVersion string, query url.Values, out any) error {
	req, err := runtime.NewRequest(ctx, http.MethodGet, runtime.JoinPaths(c.endpoint, path))
	if err != nil {
		return &callError{path: path, apiVersion: apiVersion, err: err}
	}
	q := url.Values{"api-version": {apiVersion}}
	for k, vs := range query {
		q[k] = vs
	}
	// As the generated ARM SDK clients do: spaces in $filter as %20, not +.
	req.Raw().URL.RawQuery = strings.ReplaceAll(q.Encode(), "+", "%20")
	if err := c.do(req, out); err != nil {
		return &callError{path: path, apiVersion: apiVersion, err: err}
	}
	return nil
}

// list reads every page of a list ({"value": [...], "nextLink": ...}).
func (c *armClient) list(ctx context.Context, path, apiVersion string, query url.Values) ([]json.RawMessage, error) {
	var page struct {
		Value    []json.RawMessage `json:"value"`
		NextLink string            `json:"nextLink"`
	}
	if err := c.get(ctx, path, apiVersion, query, &page); err != nil {
		return nil, err
	}
	all := page.Value
	// nextLink carries its own api-version and skip token; a bound stops a server that loops.
	for i := 0; page.NextLink != "" && i < 1000; i++ {
		req, err := runtime.NewRequest(ctx, http.MethodGet, page.NextLink)
		if err != nil {
			return nil, &callError{path: path, apiVersion: apiVersion, err: err}
		}
		next := page.NextLink
		page.Value, page.NextLink = nil, ""
		if err := c.do(req, &page); err != nil {
			return nil, &callError{path: path, apiVersion: apiVersion, err: fmt.Errorf("next page %s: %w", next, err)}
		}
		all = append(all, page.Value...)
	}
	return all, nil
}

func (c *armClient) do(req *policy.Request, out any) error {
	resp, err := c.pipeline.Do(req)
	if err != nil {
		return err
	}
	if !runtime.HasStatusCode(resp, http.StatusOK) {
		return runtime.NewResponseError(resp)
	}
	return runtime.UnmarshalAsJSON(resp, out)
}

// callError is an ARM GET that failed: which call, and what Azure answered.
type callError struct {
	path       string
	apiVersion string
	err        error
}

func (e *callError) Error() string {
	return fmt.Sprintf("GET %s (api-version %s): %s", e.path, e.apiVersion, oneLine(e.err))
}

func (e *callError) Unwrap() error { return e.err }

// statusCode is the HTTP status Azure answered with, 0 when it did not answer.
func statusCode(err error) int {
	var re *azcore.ResponseError
	if errors.As(err, &re) {
		return re.StatusCode
	}
	return 0
}

func isNotFound(err error) bool { return statusCode(err) == http.StatusNotFound }

// armErrorBody is the ARM error envelope
// (https://learn.microsoft.com/azure/azure-resource-manager/troubleshooting/common-deployment-errors).
type armErrorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// azureMessage is the code and message of Azure's error answer, or the error text.
func azureMessage(err error) (code, message string) {
	var re *azcore.ResponseError
	if errors.As(err, &re) && re.RawResponse != nil {
		var body armErrorBody
		if p, perr := runtime.Payload(re.RawResponse); perr == nil && json.Unmarshal(p, &body) == nil && body.Error.Code != "" {
			return body.Error.Code, body.Error.Message
		}
		return re.ErrorCode, ""
	}
	return "", oneLine(err)
}

// ARM's AuthorizationFailed message names the action: "... does not have authorization to
// perform action 'Microsoft.MachineLearningServices/workspaces/read' over scope '...'".
var actionInMessage = regexp.MustCompile(`perform action '([^']+)'`)

// missingAction is the permission a 403 lacked: as ARM names it, or else the read action of
// the resource type in the path.
func missingAction(err error) string {
	if _, msg := azureMessage(err); msg != "" {
		if m := actionInMessage.FindStringSubmatch(msg); m != nil {
			return m[1]
		}
	}
	var ce *callError
	if errors.As(err, &ce) {
		return readAction(ce.path)
	}
	return "read"
}

// readAction is the read action of the resource type at an ARM path, e.g.
// .../providers/Microsoft.MachineLearningServices/workspaces/ws/outboundRules ->
// Microsoft.MachineLearningServices/workspaces/outboundRules/read.
func readAction(path string) string {
	t := resourceType(path)
	if t == "" {
		return "*/read"
	}
	return t + "/read"
}

// resourceType is the type of the resource (or collection) at an ARM path:
// the namespace after the last "providers" segment and every other segment after it.
func resourceType(path string) string {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	at := -1
	for i, s := range segs {
		if strings.EqualFold(s, "providers") && i+1 < len(segs) {
			at = i
		}
	}
	if at < 0 {
		return ""
	}
	parts := []string{segs[at+1]}
	for i := at + 2; i < len(segs); i += 2 {
		parts = append(parts, segs[i])
	}
	return strings.Join(parts, "/")
}

// resourceName is the last segment of an ARM id.
func resourceName(id string) string {
	id = strings.TrimRight(id, "/")
	return id[strings.LastIndex(id, "/")+1:]
}

// errorResult turns an error of a check's step into an ERROR result: a 403 is a missing
// permission of the identity running verify, a 401 a token Azure refused, anything else
// an answer verify could not get.
func (v *Verifier) errorResult(check, step string, err error) Result {
	switch statusCode(err) {
	case http.StatusForbidden:
		return Result{Check: check, Status: Error,
			Detail: fmt.Sprintf("missing permission (%s) to %s", missingAction(err), step),
			Fix:    v.readerFix()}
	case http.StatusUnauthorized:
		code, msg := azureMessage(err)
		return Result{Check: check, Status: Error,
			Detail: fmt.Sprintf("Azure refused verify's token to %s (%s)", step, strings.TrimSuffix(code+": "+msg, ": ")),
			Fix:    "sign in to the stack's tenant again (az login --tenant <tenant>) and re-run verify"}
	}
	return Result{Check: check, Status: Error,
		Detail: fmt.Sprintf("could not %s: %s", step, oneLine(err)),
		Fix:    "re-run verify; if the error stays, check https://status.azure.com and the resource group's Activity log"}
}

// readerFix tells how to give the identity running verify what it needs.
func (v *Verifier) readerFix() string {
	return fmt.Sprintf("give the identity that runs verify the Reader role on the resource group:\n"+
		"az role assignment create --assignee <your user or app id> --role Reader --scope %s", v.resourceGroupID())
}

// oneLine shortens an error to its first line (azcore's response errors span many lines).
func oneLine(err error) string {
	if err == nil {
		return ""
	}
	var re *azcore.ResponseError
	if errors.As(err, &re) {
		code, msg := azureMessage(err)
		if code == "" {
			code = http.StatusText(re.StatusCode)
		}
		if msg == "" {
			return fmt.Sprintf("HTTP %d %s", re.StatusCode, code)
		}
		return fmt.Sprintf("HTTP %d %s: %s", re.StatusCode, code, firstLine(msg))
	}
	return firstLine(err.Error())
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return strings.TrimSpace(s[:i])
	}
	return s
}
