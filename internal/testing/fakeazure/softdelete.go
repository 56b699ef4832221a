package fakeazure

import (
	"strings"
)

// Rule 7: soft delete keeps a deleted Key Vault's, ML workspace's and Log Analytics
// workspace's name.

var (
	ruleSoftDeletedVault = rule(Rule{ID: "soft-deleted-key-vault", Code: "ConflictError", Status: 409, Where: AtEngine,
		Source:    "https://learn.microsoft.com/azure/key-vault/general/soft-delete-overview; alan-turing-institute/data-safe-haven#2523",
		Behaviour: "a deleted vault stays soft-deleted for its retention (7-90 days) and keeps its name: creating it again fails; with purge protection it cannot be purged"})
	ruleSoftDeletedWorkspace = rule(Rule{ID: "soft-deleted-workspace", Code: "BadRequest", Status: 400, Where: AtEngine,
		Source:    "https://learn.microsoft.com/azure/machine-learning/concept-soft-delete; Azure/ResourceModules#3596",
		Behaviour: "a deleted workspace stays soft-deleted for 14 days and keeps its name: creating it again fails"})
	ruleSoftDeletedLogs = rule(Rule{ID: "soft-deleted-log-analytics", Code: "Conflict", Status: 409, Where: AtEngine,
		Source:    "https://learn.microsoft.com/rest/api/loganalytics/workspaces/delete; MicrosoftDocs/azure-docs#41719; pulumi/pulumi-azure-native#1319",
		Behaviour: "a deleted Log Analytics workspace keeps its name for 14 days: creating it again in the same resource group and region recovers it (with its data), anywhere else fails"})
	rulePurgeProtected = rule(Rule{ID: "purge-protection", Code: "MethodNotAllowed", Status: 405, Where: AtEngine,
		Source:    "https://learn.microsoft.com/azure/key-vault/general/soft-delete-overview#purge-protection; microsoft/AzureTRE#1446",
		Behaviour: "a soft-deleted vault with purge protection cannot be purged before its retention ends"})
)

// softDeleted is what holds a deleted resource's name.
type softDeleted struct {
	id             string
	location       string
	purgeProtected bool
}

func init() {
	addCheck(&check{rule: ruleSoftDeletedVault, kinds: []opKind{opCreate}, engine: true, fn: checkSoftDeleted})
}

func softKey(key, name string) string { return key + "/" + strings.ToLower(name) }

// reserveName keeps the name of a deleted vault or workspace (called with c.mu held).
func (c *Cloud) reserveName(o *Object) {
	switch o.Key {
	case "keyvault:Vault":
		if v, set := o.Bool("properties.enableSoftDelete"); set && !v {
			return
		}
		pp, _ := o.Bool("properties.enablePurgeProtection")
		c.softDeleted[softKey(o.Key, o.Name)] = softDeleted{id: o.ID, purgeProtected: pp}
	case "machinelearningservices:Workspace":
		c.softDeleted[softKey(o.Key, o.Name)] = softDeleted{id: o.ID}
	case "operationalinsights:Workspace":
		c.softDeleted[softKey(o.Key, o.Name)] = softDeleted{id: o.ID, location: o.Str("location")}
	}
}

// releaseName forgets a soft-deleted name once a resource holds it again (a recovered Log
// Analytics workspace; called with c.mu held).
func (c *Cloud) releaseName(o *Object) { delete(c.softDeleted, softKey(o.Key, o.Name)) }

func checkSoftDeleted(o *op, w *world) *AzureError {
	if w.cloud == nil {
		return nil
	}
	w.cloud.mu.Lock()
	sd, held := w.cloud.softDeleted[softKey(o.obj.Key, o.obj.Name)]
	w.cloud.mu.Unlock()
	if !held {
		return nil
	}
	switch o.obj.Key {
	case "keyvault:Vault":
		return ruleSoftDeletedVault.errorf("A vault with the same name already exists in deleted state. You need to either recover or purge existing key vault. (%s)", sd.id)
	case "machinelearningservices:Workspace":
		return ruleSoftDeletedWorkspace.errorf("Soft-deleted workspace exists. Please purge or recover it. https://aka.ms/wsoftdelete (%s)", sd.id)
	case "operationalinsights:Workspace":
		// "To recover the workspace, create it again with the same name, in the same
		// subscription, resource group and location."
		if strings.EqualFold(sd.id, o.obj.ID) && strings.EqualFold(sd.location, o.obj.Str("location")) {
			return nil
		}
		return ruleSoftDeletedLogs.errorf("The workspace name '%s' is not unique (a deleted workspace holds it for 14 days: %s)", o.obj.Name, sd.id)
	}
	return nil
}

// PurgeDeletedVault purges a soft-deleted vault, as `az keyvault purge` does; a vault with purge
// protection refuses.
func (c *Cloud) PurgeDeletedVault(name string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	k := softKey("keyvault:Vault", name)
	sd, held := c.softDeleted[k]
	if !held {
		return ruleReference.errorf("ResourceNotFound: no deleted vault named %s", name)
	}
	if sd.purgeProtected {
		return rulePurgeProtected.errorf("Operation 'DeletedVaultPurge' is not allowed.")
	}
	delete(c.softDeleted, k)
	return nil
}
