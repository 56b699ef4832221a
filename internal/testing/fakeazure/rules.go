package fakeazure

import (
	"fmt"
	"sort"
)

// Where a rule is enforced.
const (
	// AtPlan: judged on planned inputs, in Monitor.Violations (mocks) and, for the rules that
	// need only one resource's inputs, in the provider's Check (previews).
	AtPlan = "plan"
	// AtEngine: judged when the engine runs an operation against the Cloud.
	AtEngine = "engine"
	// AtBoth: both.
	AtBoth = "plan, engine"
)

// Rule is one Azure behaviour the fake enforces.
type Rule struct {
	// ID names the rule in errors, tests and the README's catalogue.
	ID string
	// Behaviour says what Azure does, in one sentence.
	Behaviour string
	// Code and Status are Azure's error code and HTTP status.
	Code   string
	Status int
	// Source is the public page, spec or issue that shows the behaviour.
	Source string
	// Where is AtPlan, AtEngine or AtBoth.
	Where string
}

// AzureError is Azure's refusal of an operation, as the fake reports it.
type AzureError struct {
	Rule    *Rule
	Message string
}

func (e *AzureError) Error() string {
	return fmt.Sprintf("%s (%d): %s [fake Azure rule %s; %s]", e.Rule.Code, e.Rule.Status, e.Message, e.Rule.ID, e.Rule.Source)
}

func (r *Rule) errorf(format string, args ...any) *AzureError {
	return &AzureError{Rule: r, Message: fmt.Sprintf(format, args...)}
}

var catalogue = map[string]*Rule{}

func rule(r Rule) *Rule {
	if _, dup := catalogue[r.ID]; dup {
		panic("fakeazure: duplicate rule " + r.ID)
	}
	catalogue[r.ID] = &r
	return &r
}

// Catalogue returns every rule, sorted by id.
func Catalogue() []*Rule {
	out := make([]*Rule, 0, len(catalogue))
	for _, r := range catalogue {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// RuleByID returns a rule of the catalogue, or nil.
func RuleByID(id string) *Rule { return catalogue[id] }

const (
	srcNames       = "https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules"
	srcMLSpec      = "Azure/azure-rest-api-specs machinelearningservices 2024-10-01-preview workspaceRP.json (name parameters)"
	srcManagedNet  = "https://learn.microsoft.com/azure/machine-learning/how-to-managed-network"
	srcRBACTrouble = "https://learn.microsoft.com/azure/role-based-access-control/troubleshooting"
)

// Names (rule 1 of the catalogue): each type's rule, and global uniqueness where Azure has it.
var (
	ruleNameResourceGroup = rule(Rule{ID: "name-resource-group", Code: "InvalidResourceGroup", Status: 400, Where: AtBoth, Source: srcNames,
		Behaviour: "a resource group name is 1-90 letters, digits, _ - . ( ), not ending in a period"})
	ruleNameStorageAccount = rule(Rule{ID: "name-storage-account", Code: "AccountNameInvalid", Status: 400, Where: AtBoth, Source: srcNames + " (Microsoft.Storage); pulumi/templates#274",
		Behaviour: "a storage account name is 3-24 lower-case letters and digits"})
	ruleNameKeyVault = rule(Rule{ID: "name-key-vault", Code: "VaultNameNotValid", Status: 400, Where: AtBoth, Source: srcNames + " (Microsoft.KeyVault)",
		Behaviour: "a vault name is 3-24 letters, digits and hyphens, starting with a letter, ending with a letter or digit, without --"})
	ruleNameRegistry = rule(Rule{ID: "name-container-registry", Code: "InvalidResourceName", Status: 400, Where: AtBoth, Source: srcNames + " (Microsoft.ContainerRegistry)",
		Behaviour: "a registry name is 5-50 letters and digits"})
	ruleNameLogAnalytics = rule(Rule{ID: "name-log-analytics", Code: "InvalidParameter", Status: 400, Where: AtBoth, Source: srcNames + " (Microsoft.OperationalInsights)",
		Behaviour: "a Log Analytics workspace name is 4-63 letters, digits and hyphens, starting and ending with a letter or digit"})
	ruleNameAppInsights = rule(Rule{ID: "name-app-insights", Code: "InvalidResourceName", Status: 400, Where: AtBoth, Source: srcNames + " (Microsoft.Insights)",
		Behaviour: "an Application Insights name is 1-260 characters without %&\\?/"})
	ruleNameIdentity = rule(Rule{ID: "name-identity", Code: "InvalidResourceName", Status: 400, Where: AtBoth, Source: srcNames + " (Microsoft.ManagedIdentity)",
		Behaviour: "an identity name is 3-128 letters, digits, hyphens and underscores"})
	ruleNameNetwork = rule(Rule{ID: "name-network", Code: "InvalidResourceName", Status: 400, Where: AtBoth, Source: srcNames + " (Microsoft.Network)",
		Behaviour: "network resource names are letters, digits, _ . -, start with a letter or digit, end with a letter, digit or _, within the type's length; private DNS zone names have 2-34 labels"})
	ruleNameVM = rule(Rule{ID: "name-virtual-machine", Code: "InvalidParameter", Status: 400, Where: AtBoth, Source: srcNames + " (Microsoft.Compute); compute API OSProfile",
		Behaviour: "a VM name is 1-64 characters; a Windows computerName 1-15 without periods; adminUsername not a reserved name"})
	ruleNameStorageChild = rule(Rule{ID: "name-storage-child", Code: "InvalidResourceName", Status: 400, Where: AtBoth, Source: srcNames + " (Microsoft.Storage)",
		Behaviour: "blob and file service settings are named default; a container is 3-63 lower-case letters, digits and single hyphens"})
	ruleNameML = rule(Rule{ID: "name-ml", Code: "ValidationError", Status: 400, Where: AtBoth, Source: srcMLSpec,
		Behaviour: "ML workspace, connection and outbound-rule names match ^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$; datastore names are lower-case letters, digits and _"})
	ruleNameCompute = rule(Rule{ID: "name-ml-compute", Code: "InvalidComputeName", Status: 400, Where: AtBoth,
		Source:    "Azure/bicep-types-az generated machinelearningservices computes name pattern; https://learn.microsoft.com/azure/machine-learning/how-to-create-compute-instance",
		Behaviour: "a compute name matches ^[a-zA-Z](?![a-zA-Z0-9-]*-\\d+$)[a-zA-Z0-9\\-]{2,23}$: 3-24 characters, a letter first, not ending in -<digits>"})
	ruleNameSQLServer = rule(Rule{ID: "name-sql", Code: "InvalidResourceName", Status: 400, Where: AtBoth, Source: srcNames + " (Microsoft.Sql)",
		Behaviour: "a SQL server name is 1-63 lower-case letters, digits and hyphens; database and firewall rule names avoid <>*%&:\\/?;"})
	ruleNameTaken = rule(Rule{ID: "name-taken", Code: "StorageAccountAlreadyTaken / VaultAlreadyExists / AlreadyInUse", Status: 409, Where: AtEngine,
		Source:    srcNames + " (globally unique names); hashicorp/terraform#11485",
		Behaviour: "storage account, key vault, registry and SQL server names are global DNS names: a second resource with the same name fails"})
)

// Engine behaviour of the azure-native provider itself.
var ruleAlreadyExists = rule(Rule{ID: "already-exists", Code: "AlreadyExists", Status: 409, Where: AtEngine,
	Source:    "pulumi/pulumi-azure-native#1123; provider Create checks existence before its PUT",
	Behaviour: "azure-native will not create a resource that exists already (a create whose answer was lost, or one made outside the stack): \"cannot create already existing resource '<id>'\"; it must be imported"})
