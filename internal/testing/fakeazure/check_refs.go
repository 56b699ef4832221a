package fakeazure

import (
	"regexp"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Rule 3: every ARM id an input points at exists when the operation runs, and so does a child's
// parent.

var ruleReference = rule(Rule{ID: "reference-exists", Code: "ResourceNotFound / ParentResourceNotFound / InvalidResourceReference", Status: 404, Where: AtBoth,
	Source:    "https://learn.microsoft.com/azure/azure-resource-manager/troubleshooting/error-not-found",
	Behaviour: "an input that names another resource by id (a subnet, a zone, a scope, a target, an identity) and a child's parent must exist when the operation runs; in a plan, the resource must wait for it"})

func init() {
	addCheck(&check{rule: ruleReference, kinds: []opKind{opCreate, opUpdate}, plan: true, engine: true, fn: checkReferences})
}

// armIDRe matches an ARM resource id (a subscription-rooted path with a provider segment or a
// resource group).
var armIDRe = regexp.MustCompile(`(?i)^/subscriptions/[^/]+/resourcegroups/[^/]+(/providers/.+)?$`)

// builtin ids exist whatever the program does: role definitions.
var builtinRe = regexp.MustCompile(`(?i)^/subscriptions/[^/]+/providers/Microsoft\.Authorization/roleDefinitions/[0-9a-f-]+$`)

// parents names the parent type of a child type; the parent's id is its template filled from
// the child's inputs.
var parents = map[string]string{
	"network:Subnet":                                     "network:VirtualNetwork",
	"network:VirtualNetworkLink":                         "network:PrivateZone",
	"network:PrivateRecordSet":                           "network:PrivateZone",
	"network:PrivateDnsZoneGroup":                        "network:PrivateEndpoint",
	"storage:BlobServiceProperties":                      "storage:StorageAccount",
	"storage:FileServiceProperties":                      "storage:StorageAccount",
	"storage:BlobContainer":                              "storage:StorageAccount",
	"storage:FileShare":                                  "storage:StorageAccount",
	"storage:Blob":                                       "storage:BlobContainer",
	"insights:PrivateLinkScopedResource":                 "insights:PrivateLinkScope",
	"sql:Database":                                       "sql:Server",
	"sql:FirewallRule":                                   "sql:Server",
	"sql:ExtendedServerBlobAuditingPolicy":               "sql:Server",
	"sql:ServerSecurityAlertPolicy":                      "sql:Server",
	"machinelearningservices:Compute":                    "machinelearningservices:Workspace",
	"machinelearningservices:Datastore":                  "machinelearningservices:Workspace",
	"machinelearningservices:WorkspaceConnection":        "machinelearningservices:Workspace",
	"machinelearningservices:ManagedNetworkSettingsRule": "machinelearningservices:Workspace",
}

func checkReferences(o *op, w *world) *AzureError {
	if !strings.HasPrefix(o.obj.Token, "azure-native:") {
		return nil
	}
	if pk, ok := parents[o.obj.Key]; ok {
		pt := types[pk]
		pid := armID(pt.id, o.obj.Inputs, o.obj.Str(pt.nameKey), pt.nameKey)
		if !w.exists(pid) {
			return ruleReference.errorf("ParentResourceNotFound: Can not perform requested operation on nested resource. Parent resource '%s' not found.", pid)
		}
	}
	if o.obj.Key == "insights:DiagnosticSetting" || o.obj.Key == "authorization:RoleAssignment" {
		key := "resourceUri"
		if o.obj.Key == "authorization:RoleAssignment" {
			key = "scope"
		}
		if id := o.obj.Str(key); id != "" && !w.exists(id) {
			return ruleReference.errorf("ResourceNotFound: The Resource '%s' under resource group was not found (%s of %s).", id, key, o.obj.Name)
		}
	}
	var missing string
	walkStrings(resource.NewProperty(o.obj.Inputs), "", func(path, s string) {
		if missing != "" || !armIDRe.MatchString(s) || builtinRe.MatchString(s) || strings.EqualFold(s, o.obj.ID) {
			return
		}
		if !w.exists(s) {
			missing = s + " (input " + strings.TrimPrefix(path, ".") + ")"
		}
	})
	if missing != "" {
		return ruleReference.errorf("InvalidResourceReference: Resource %s referenced by %s was not found.", missing, o.obj.ID)
	}
	return nil
}

// exists reports whether a resource with this id exists: one of the world's, one Azure makes
// with its parent, or one outside the program.
func (w *world) exists(id string) bool {
	if w.byID(id) != nil || w.existsOutside(id) {
		return true
	}
	if m := implicitChildRe.FindStringSubmatch(id); m != nil {
		parent := m[1] + m[3] // one of the two alternatives matched
		return w.byID(parent) != nil || w.existsOutside(parent)
	}
	return false
}

// implicitChildRe matches the children Azure creates with their parent and that no program
// creates: the blob, file, queue and table services ("default") of a storage account, and the
// master database of a SQL logical server
// (https://learn.microsoft.com/azure/azure-sql/database/logical-servers).
var implicitChildRe = regexp.MustCompile(`(?i)^(/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft\.Storage/storageAccounts/[^/]+)/(blob|file|queue|table)Services/default$|^(/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft\.Sql/servers/[^/]+)/databases/master$`)

// existsOutside reports whether an id exists outside what the world lists: in a plan, a
// resource that existed before the program (a landing zone's hub); never a planned one.
func (w *world) existsOutside(id string) bool {
	if !w.plan || w.cloud == nil {
		return false
	}
	return w.cloud.Get(id) != nil
}

// walkStrings calls fn for every string in a value, through secrets.
func walkStrings(v resource.PropertyValue, path string, fn func(path, s string)) {
	switch {
	case v.IsSecret():
		walkStrings(v.SecretValue().Element, path, fn)
	case v.IsOutput() && v.OutputValue().Known:
		walkStrings(v.OutputValue().Element, path, fn)
	case v.IsString():
		fn(path, v.StringValue())
	case v.IsObject():
		for k, e := range v.ObjectValue() {
			walkStrings(e, path+"."+string(k), fn)
		}
	case v.IsArray():
		for _, e := range v.ArrayValue() {
			walkStrings(e, path, fn)
		}
	}
}
