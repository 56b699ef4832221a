package fakeazure

import (
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Rule 8: what Azure cannot change in place. azure-native sends such a change as a PUT on the
// existing resource (only URL path parameters force a replacement), so the program must replace
// the resource itself, or not change the property.

var (
	ruleComputeImmutable = rule(Rule{ID: "compute-instance-immutable", Code: "ComputeInstanceUpdateNotSupported", Status: 400, Where: AtBoth,
		Source: "https://learn.microsoft.com/rest/api/azureml/compute/create-or-update (\"This call will overwrite a compute if it exists\"); " +
			"hashicorp/terraform-provider-azurerm#31747 (every property ForceNew); Azure/bicep#17617 (a PUT changes nothing)",
		Behaviour: "a compute instance's properties (size, idle shutdown, SSH, identity, user, tags) are not updated by a PUT on the existing instance: Azure keeps the old ones silently; the fake refuses so the lost change shows"})
	ruleIsolationOneWay = rule(Rule{ID: "isolation-mode-one-way", Code: "BadRequest", Status: 400, Where: AtBoth,
		Source:    srcManagedNet + " (\"cannot be reconfigured\")",
		Behaviour: "a managed network's isolation mode can only tighten: AllowInternetOutbound cannot become Disabled, AllowOnlyApprovedOutbound cannot become AllowInternetOutbound or Disabled"})
	ruleWorkspaceDependencies = rule(Rule{ID: "workspace-dependencies-fixed", Code: "BadRequest", Status: 400, Where: AtBoth,
		Source:    "REST API 2024-10-01-preview WorkspaceProperties.storageAccount/keyVault (\"cannot be changed once the workspace has been created\"); Azure-Samples/get-started-with-ai-chat#65",
		Behaviour: "a workspace's storage account and key vault cannot be changed after creation (\"Storage Account update is not supported yet\")"})
	rulePurgeProtectionOn = rule(Rule{ID: "purge-protection-irreversible", Code: "BadRequest", Status: 400, Where: AtBoth,
		Source:    "Azure/ai-hub#241; REST API Microsoft.KeyVault VaultProperties.enablePurgeProtection (\"does not accept false\")",
		Behaviour: "purge protection and soft delete cannot be turned off once on, and the retention cannot change"})
	ruleHNSImmutable = rule(Rule{ID: "storage-hns-immutable", Code: "AccountPropertyCannotBeUpdated", Status: 400, Where: AtBoth,
		Source:    "Azure/azure-rest-api-specs#18441; pulumi/pulumi-azure-native#2581",
		Behaviour: "a storage account's isHnsEnabled cannot change after creation"})
	ruleSQLAdminLogin = rule(Rule{ID: "sql-admin-login-immutable", Code: "InvalidParameterValue", Status: 400, Where: AtBoth,
		Source:    "REST API Microsoft.Sql ServerProperties.administratorLogin (\"Once created it cannot be changed\"); hashicorp/terraform-provider-azurerm#29155",
		Behaviour: "a SQL server's administrator login cannot change"})
	ruleRoleAssignmentImmutable = rule(Rule{ID: "role-assignment-immutable", Code: "RoleAssignmentUpdateNotPermitted", Status: 400, Where: AtBoth,
		Source:    srcRBACTrouble,
		Behaviour: "a role assignment's principal, role and scope cannot be updated (\"Tenant ID, application ID, principal ID, and scope are not allowed to be updated.\")"})
	ruleVMOSProfile = rule(Rule{ID: "vm-os-profile-immutable", Code: "PropertyChangeNotAllowed", Status: 409, Where: AtBoth,
		Source:    "Azure/azure-quickstart-templates#3977; REST API Microsoft.Compute OSProfile (\"cannot be updated after the VM is created\")",
		Behaviour: "a VM's computerName and adminUsername cannot change"})
)

func init() {
	addCheck(&check{rule: ruleComputeImmutable, kinds: []opKind{opUpdate}, engine: true, fn: checkImmutable})
}

// immutables are the inputs Azure will not change on an update, by type key.
var immutables = map[string][]struct {
	path string
	rule *Rule
}{
	"machinelearningservices:Compute":   {{"properties", ruleComputeImmutable}, {"identity", ruleComputeImmutable}, {"tags", ruleComputeImmutable}, {"location", ruleComputeImmutable}},
	"machinelearningservices:Workspace": {{"storageAccount", ruleWorkspaceDependencies}, {"keyVault", ruleWorkspaceDependencies}},
	"keyvault:Vault":                    {{"properties.softDeleteRetentionInDays", rulePurgeProtectionOn}},
	"storage:StorageAccount":            {{"isHnsEnabled", ruleHNSImmutable}},
	"sql:Server":                        {{"administratorLogin", ruleSQLAdminLogin}},
	"authorization:RoleAssignment":      {{"principalId", ruleRoleAssignmentImmutable}, {"roleDefinitionId", ruleRoleAssignmentImmutable}, {"scope", ruleRoleAssignmentImmutable}},
	"compute:VirtualMachine":            {{"osProfile.computerName", ruleVMOSProfile}, {"osProfile.adminUsername", ruleVMOSProfile}},
}

// isolationRank orders isolation modes from open to closed.
var isolationRank = map[string]int{"Disabled": 0, "AllowInternetOutbound": 1, "AllowOnlyApprovedOutbound": 2}

func checkImmutable(o *op, _ *world) *AzureError {
	_, err := UpdateRefusal(o.old, o.obj)
	return err
}

// UpdateRefusal returns why Azure refuses to update old into new in place, and the input path
// it refuses to change, or nil. The switch tests use it on two plans.
func UpdateRefusal(old, new *Object) (string, *AzureError) {
	if old == nil {
		return "", nil
	}
	for _, im := range immutables[new.Key] {
		a, aok := Lookup(old.Inputs, im.path)
		b, bok := Lookup(new.Inputs, im.path)
		if aok != bok || (aok && canon(a) != canon(b)) {
			return im.path, im.rule.errorf("%s %s: %s cannot change from %s to %s in place", new.Key, new.Name, im.path, canonOrNone(a, aok), canonOrNone(b, bok))
		}
	}
	switch new.Key {
	case "machinelearningservices:Workspace":
		from, to := old.Str("managedNetwork.isolationMode"), new.Str("managedNetwork.isolationMode")
		if from == "" {
			from = "Disabled"
		}
		if to == "" {
			to = "Disabled"
		}
		if isolationRank[to] < isolationRank[from] {
			return "managedNetwork.isolationMode", ruleIsolationOneWay.errorf("The managed network's isolation mode cannot change from %s to %s.", from, to)
		}
	case "keyvault:Vault":
		for _, p := range []string{"properties.enablePurgeProtection", "properties.enableSoftDelete"} {
			was, _ := old.Bool(p)
			is, set := new.Bool(p)
			if was && (!set || !is) {
				return p, rulePurgeProtectionOn.errorf("The property %q cannot be set to false. Enabling the purge protection for a vault is an irreversible action.", p[strings.LastIndex(p, ".")+1:])
			}
		}
	}
	return "", nil
}

func canonOrNone(v resource.PropertyValue, ok bool) string {
	if !ok {
		return "(unset)"
	}
	return canon(v)
}
