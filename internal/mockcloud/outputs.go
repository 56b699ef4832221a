package mockcloud

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Compute returns the id and outputs Azure (or the random, tls and azuread providers) would
// return for a resource: the inputs, the resource's own name, and the computed properties the
// program reads.
func Compute(urn, token, logicalName string, inputs resource.PropertyMap) (string, resource.PropertyMap) {
	out := inputs.Copy()
	str := func(key string) string {
		v, ok := inputs[resource.PropertyKey(key)]
		if !ok {
			return ""
		}
		if v.IsSecret() {
			v = v.SecretValue().Element
		}
		if v.IsString() {
			return v.StringValue()
		}
		return ""
	}
	set := func(key string, v any) { out[resource.PropertyKey(key)] = resource.NewPropertyValue(v) }

	if strings.HasPrefix(token, "azure-native:") {
		t := armTypes[TypeKey(token)]
		name := ""
		if t.nameKey != "" {
			name = str(t.nameKey)
		}
		if name == "" {
			// azure-native auto-names: a GUID for role assignments, name+suffix otherwise.
			if TypeKey(token) == "authorization:RoleAssignment" {
				name = uuidFrom(urn)
			} else {
				name = logicalName + lowerAlnum(urn, 8)
			}
			if t.nameKey != "" {
				set(t.nameKey, name)
			}
		}
		set("name", name)
		id := armID(t.id, urn, inputs, name, t.nameKey)
		switch TypeKey(token) {
		case "managedidentity:UserAssignedIdentity":
			set("principalId", uuidFrom(urn+"#principal"))
			set("clientId", uuidFrom(urn+"#client"))
			set("tenantId", TenantID)
		case "machinelearningservices:Workspace":
			set("workspaceId", uuidFrom(urn+"#workspace"))
			set("mlFlowTrackingUri", "azureml://eastus2.api.azureml.ms/mlflow/v1.0"+id)
		case "storage:StorageAccount":
			set("primaryEndpoints", map[string]any{
				"blob": fmt.Sprintf("https://%s.blob.core.windows.net/", name),
				"dfs":  fmt.Sprintf("https://%s.dfs.core.windows.net/", name),
			})
		case "sql:Server":
			set("fullyQualifiedDomainName", name+".database.windows.net")
		case "network:PublicIPAddress":
			set("ipAddress", "198.51.100.7")
		case "network:NetworkInterface":
			set("ipConfigurations", []any{map[string]any{"privateIPAddress": "10.60.1.4"}})
		}
		return id, out
	}

	id := uuidFrom(urn)
	switch token {
	case "random:index/randomString:RandomString":
		n := 8
		if v, ok := inputs["length"]; ok && v.IsNumber() {
			n = int(v.NumberValue())
		}
		set("result", lowerAlnum(urn, n))
	case "random:index/randomPassword:RandomPassword":
		out["result"] = resource.MakeSecret(resource.NewProperty("Mock-" + lowerAlnum(urn, 16) + "-9Z!"))
	case "tls:index/privateKey:PrivateKey":
		out["privateKeyOpenssh"] = resource.MakeSecret(resource.NewProperty("-----BEGIN OPENSSH PRIVATE KEY-----mock"))
		set("publicKeyOpenssh", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAImock mock")
	case "azuread:index/application:Application":
		set("clientId", uuidFrom(urn+"#client"))
		set("objectId", id)
	case "azuread:index/servicePrincipal:ServicePrincipal":
		set("objectId", id)
	case "azuread:index/applicationPassword:ApplicationPassword":
		out["value"] = resource.MakeSecret(resource.NewProperty("mock~" + lowerAlnum(urn, 32)))
		set("keyId", uuidFrom(urn+"#key"))
	}
	return id, out
}

// armID fills an id template from the inputs; a missing input becomes its key in capitals so
// a wrong template shows up in snapshots.
func armID(template, urn string, inputs resource.PropertyMap, name, nameKey string) string {
	if template == "" {
		return "/mock/" + uuidFrom(urn)
	}
	var b strings.Builder
	rest := template
	for {
		i := strings.Index(rest, "{")
		if i < 0 {
			b.WriteString(rest)
			break
		}
		j := strings.Index(rest[i:], "}") + i
		b.WriteString(rest[:i])
		key := rest[i+1 : j]
		val := ""
		switch {
		case key == "subscriptionId":
			val = SubscriptionID
		case key == nameKey:
			val = name
		default:
			if v, ok := inputs[resource.PropertyKey(key)]; ok {
				if v.IsSecret() {
					v = v.SecretValue().Element
				}
				if v.IsString() {
					val = v.StringValue()
				}
			}
		}
		if val == "" {
			val = strings.ToUpper(key)
		}
		b.WriteString(val)
		rest = rest[j+1:]
	}
	return b.String()
}
