package fakeazure

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Fixed identities of the fake tenant and its deployer.
const (
	SubscriptionID = "00000000-0000-0000-0000-000000000001"
	TenantID       = "00000000-0000-0000-0000-0000000000aa"
	DeployerObject = "00000000-0000-0000-0000-0000000000bb"
	// DeployerClient is the client id getClientConfig reports for the deployer: the Azure CLI's
	// first-party application, as for a person signed in with `az login`.
	DeployerClient = AzureCLIClientID
	// AzureCLIClientID is the Azure CLI's well-known application id.
	AzureCLIClientID = "04b07795-8ddb-461a-bbee-02f9e1bf7b46"
	// DeployerAppClient is the client id of a deployer that is a service principal (an app
	// registration with a federated credential, as Pulumi Deployments logs in).
	DeployerAppClient = "00000000-0000-0000-0000-0000000000dd"
)

// outputs is the computation of one resource's outputs.
type outputs struct {
	urn, token, name, id string
	inputs, out          resource.PropertyMap
	random               func(urn string, n int) string
}

func (o *outputs) set(key string, v any) {
	o.out[resource.PropertyKey(key)] = resource.NewPropertyValue(v)
}

func (o *outputs) str(key string) string { return plainString(o.inputs[resource.PropertyKey(key)]) }

// computeOutputs returns the id and outputs Azure (or azuread, or random) would return: the
// inputs, the resource's own name, and the computed properties the program reads.
func computeOutputs(t *typeInfo, urn, token, logicalName string, inputs resource.PropertyMap, random func(string, int) string) (string, resource.PropertyMap) {
	o := &outputs{urn: urn, token: token, inputs: inputs, out: inputs.Copy(), random: random}
	if strings.HasPrefix(token, "azure-native:") {
		o.name = o.str(t.nameKey)
		if o.name == "" {
			// azure-native names a resource when its name input is left out: a GUID for a role
			// assignment, the logical name and a random suffix otherwise.
			if TypeKey(token) == "authorization:RoleAssignment" {
				o.name = uuidFrom(urn)
			} else {
				o.name = logicalName + lowerAlnum(urn, 8)
			}
			if t.nameKey != "" {
				o.set(t.nameKey, o.name)
			}
		}
		o.set("name", o.name)
		o.id = armID(t.id, inputs, o.name, t.nameKey)
	} else {
		o.id = uuidFrom(urn)
	}
	if t.outputs != nil {
		t.outputs(o)
	}
	return o.id, o.out
}

// armID fills an id template from the inputs; a missing input becomes its key in capitals, so
// a wrong template shows in the goldens.
func armID(template string, inputs resource.PropertyMap, name, nameKey string) string {
	var b strings.Builder
	rest := template
	for {
		i := strings.Index(rest, "{")
		if i < 0 {
			b.WriteString(rest)
			return b.String()
		}
		j := strings.Index(rest[i:], "}") + i
		b.WriteString(rest[:i])
		key := rest[i+1 : j]
		val := ""
		switch key {
		case "subscriptionId":
			val = SubscriptionID
		case nameKey:
			val = name
		default:
			val = plainString(inputs[resource.PropertyKey(key)])
		}
		if val == "" {
			val = strings.ToUpper(key)
		}
		b.WriteString(val)
		rest = rest[j+1:]
	}
}

// Computed GUIDs of Azure resources derive from their ARM id, which survives a change of
// logical name (an alias), as the real resource does.
func identityOutputs(o *outputs) {
	o.set("principalId", uuidFrom(strings.ToLower(o.id)+"#principal"))
	o.set("clientId", uuidFrom(strings.ToLower(o.id)+"#client"))
	o.set("tenantId", TenantID)
}

func workspaceOutputs(o *outputs) {
	o.set("workspaceId", uuidFrom(strings.ToLower(o.id)+"#workspace"))
	o.set("mlFlowTrackingUri", "azureml://eastus2.api.azureml.ms/mlflow/v1.0"+o.id)
}

func storageOutputs(o *outputs) {
	o.set("primaryEndpoints", map[string]any{
		"blob": fmt.Sprintf("https://%s.blob.core.windows.net/", o.name),
		"dfs":  fmt.Sprintf("https://%s.dfs.core.windows.net/", o.name),
		"file": fmt.Sprintf("https://%s.file.core.windows.net/", o.name),
	})
}

func privateEndpointOutputs(o *outputs) {
	o.set("customDnsConfigs", []any{map[string]any{"ipAddresses": []any{"10.60.2.4"}}})
}

func randomStringOutputs(o *outputs) {
	n := 8
	if v, ok := o.inputs["length"]; ok && v.IsNumber() {
		n = int(v.NumberValue())
	}
	o.set("result", o.random(o.urn, n))
}

func randomPasswordOutputs(o *outputs) {
	o.out["result"] = resource.MakeSecret(resource.NewProperty("Mock-" + lowerAlnum(o.urn, 16) + "-9Z!"))
}

func applicationOutputs(o *outputs) {
	o.set("clientId", uuidFrom(o.urn+"#client"))
	o.set("objectId", o.id)
}

func servicePrincipalOutputs(o *outputs) { o.set("objectId", o.id) }

func applicationPasswordOutputs(o *outputs) {
	o.out["value"] = resource.MakeSecret(resource.NewProperty("mock~" + lowerAlnum(o.urn, 32)))
	o.set("keyId", uuidFrom(o.urn+"#key"))
}

// plainString returns a string value through secrets, or "".
func plainString(v resource.PropertyValue) string {
	for v.IsSecret() {
		v = v.SecretValue().Element
	}
	if v.IsOutput() && v.OutputValue().Known {
		v = v.OutputValue().Element
	}
	if v.IsString() {
		return v.StringValue()
	}
	return ""
}

// uuidFrom derives a stable GUID from a seed.
func uuidFrom(seed string) string {
	h := sha256.Sum256([]byte(seed))
	x := hex.EncodeToString(h[:16])
	return fmt.Sprintf("%s-%s-%s-%s-%s", x[0:8], x[8:12], x[12:16], x[16:20], x[20:32])
}

// lowerAlnum derives a stable lower-case alphanumeric string of length n from a seed.
func lowerAlnum(seed string, n int) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	h := sha256.Sum256([]byte(seed))
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[int(h[i%len(h)])%len(alphabet)]
	}
	return string(b)
}
