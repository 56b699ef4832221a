package main

import (
	"slices"
	"strings"
	"testing"

	"azure-ml-security/internal/rbac"
	"azure-ml-security/internal/testing/fakeazure"
)

func TestWorkspaceInputs(t *testing.T) {
	for _, stack := range stacks {
		t.Run(stack, func(t *testing.T) {
			cloud := mustPlan(t, stack, nil)
			ws := one(t, cloud, "machinelearningservices:Workspace", "workspace-ml")
			id := one(t, cloud, "managedidentity:UserAssignedIdentity", "workspace-identity")
			if got := ws.Str("identity.type"); got != "UserAssigned" {
				t.Errorf("identity.type = %q", got)
			}
			if got := ws.Strings("identity.userAssignedIdentities"); !slices.Equal(got, []string{id.ID}) {
				t.Errorf("userAssignedIdentities = %v, want [%s]", got, id.ID)
			}
			if got := ws.Str("primaryUserAssignedIdentity"); got != id.ID {
				t.Errorf("primaryUserAssignedIdentity = %q, want %q", got, id.ID)
			}
			if got := ws.Str("managedNetwork.isolationMode"); got != "AllowOnlyApprovedOutbound" {
				t.Errorf("isolationMode = %q", got)
			}
			if got := ws.Str("managedNetwork.firewallSku"); got != "Basic" {
				t.Errorf("firewallSku = %q", got)
			}
			if _, ok := ws.Input("managedNetwork.outboundRules"); ok {
				t.Error("outbound rules must not be inline: they are ManagedNetworkSettingsRule resources (azure-native #3225)")
			}
			if v, _ := ws.Bool("provisionNetworkNow"); !v {
				t.Error("provisionNetworkNow is not true")
			}
			if got := ws.Str("systemDatastoresAuthMode"); got != "Identity" {
				t.Errorf("systemDatastoresAuthMode = %q, want the enum value Identity", got)
			}
			for key, dep := range map[string]string{
				"storageAccount":      one(t, cloud, "storage:StorageAccount", "workspace-storage").ID,
				"keyVault":            one(t, cloud, "keyvault:Vault", "workspace-key-vault").ID,
				"containerRegistry":   one(t, cloud, "containerregistry:Registry", "workspace-registry").ID,
				"applicationInsights": one(t, cloud, "insights:Component", "workspace-app-insights").ID,
			} {
				if got := ws.Str(key); got != dep {
					t.Errorf("%s = %q, want %q", key, got, dep)
				}
			}
			if isPrivate(stack) {
				if got := ws.Str("publicNetworkAccess"); got != "Disabled" {
					t.Errorf("publicNetworkAccess = %q, want Disabled", got)
				}
				if _, ok := ws.Input("networkAcls"); ok {
					t.Error("a private workspace has no IP rules to apply")
				}
			} else {
				if got := ws.Str("publicNetworkAccess"); got != "Enabled" {
					t.Errorf("publicNetworkAccess = %q, want Enabled", got)
				}
				if got := ws.Str("networkAcls.defaultAction"); got != "Deny" {
					t.Errorf("networkAcls.defaultAction = %q, want Deny", got)
				}
				if got := ws.Str("networkAcls.ipRules.0.value"); got != "203.0.113.10" {
					t.Errorf("networkAcls.ipRules = %q, want the dev stack's allowed address", got)
				}
			}
			diag := one(t, cloud, "insights:DiagnosticSetting", "workspace-diagnostics")
			if diag.Str("resourceUri") != ws.ID || diag.Str("workspaceId") != one(t, cloud, "operationalinsights:Workspace", "workspace-logs").ID {
				t.Error("workspace diagnostics do not go from the workspace to Log Analytics")
			}
			ai := one(t, cloud, "insights:Component", "workspace-app-insights")
			if ai.Str("workspaceResourceId") == "" || ai.Str("ingestionMode") != "LogAnalytics" {
				t.Error("Application Insights is not workspace-based")
			}
		})
	}
}

// TestIdentityGrantsBeforeWorkspace: the identity holds every role the workspace needs, on
// the right scope, and the workspace waits for all of them.
func TestIdentityGrantsBeforeWorkspace(t *testing.T) {
	cloud := mustPlan(t, "dev", nil)
	id := one(t, cloud, "managedidentity:UserAssignedIdentity", "workspace-identity")
	principal := id.Outputs["principalId"].StringValue()
	ws := one(t, cloud, "machinelearningservices:Workspace", "workspace-ml")
	storage := one(t, cloud, "storage:StorageAccount", "workspace-storage").ID
	vault := one(t, cloud, "keyvault:Vault", "workspace-key-vault").ID
	want := map[string]bool{
		storage + " " + string(rbac.Contributor):                                                              true,
		storage + " " + string(rbac.StorageBlobDataContributor):                                               true,
		storage + " " + string(rbac.StorageFileDataPrivilegedContributor):                                     true,
		vault + " " + string(rbac.Contributor):                                                                true,
		vault + " " + string(rbac.KeyVaultAdministrator):                                                      true,
		one(t, cloud, "containerregistry:Registry", "workspace-registry").ID + " " + string(rbac.Contributor): true,
		one(t, cloud, "insights:Component", "workspace-app-insights").ID + " " + string(rbac.Contributor):     true,
	}
	for _, ra := range cloud.Find("authorization:RoleAssignment") {
		if ra.Str("principalId") != principal || fakeazure.Short(ra.Parent) != "azure-ml-security:components:Workspace::workspace" {
			continue
		}
		def := ra.Str("roleDefinitionId")
		key := ra.Str("scope") + " " + def[strings.LastIndex(def, "/")+1:]
		if !want[key] {
			t.Errorf("unexpected grant to the workspace identity: %s", key)
			continue
		}
		delete(want, key)
		if ra.Str("principalType") != "ServicePrincipal" {
			t.Errorf("grant %s has principalType %q", ra.Name, ra.Str("principalType"))
		}
		if !slices.Contains(ws.Dependencies, ra.URN) {
			t.Errorf("the workspace does not wait for grant %s", ra.Name)
		}
	}
	for k := range want {
		t.Errorf("missing grant to the workspace identity: %s", k)
	}
}

func TestWorkspaceDependenciesHardened(t *testing.T) {
	for _, stack := range stacks {
		t.Run(stack, func(t *testing.T) {
			cloud := mustPlan(t, stack, nil)
			public := "Enabled"
			if isPrivate(stack) {
				public = "Disabled"
			}
			st := one(t, cloud, "storage:StorageAccount", "workspace-storage")
			for path, want := range map[string]any{
				"kind": "StorageV2", "minimumTlsVersion": "TLS1_2", "enableHttpsTrafficOnly": true,
				"allowBlobPublicAccess": false, "allowSharedKeyAccess": false,
				"networkRuleSet.defaultAction": "Deny", "publicNetworkAccess": public,
			} {
				checkInput(t, st, path, want)
			}
			kv := one(t, cloud, "keyvault:Vault", "workspace-key-vault")
			for path, want := range map[string]any{
				"properties.enableRbacAuthorization": true, "properties.enableSoftDelete": true,
				"properties.enablePurgeProtection": true, "properties.networkAcls.defaultAction": "Deny",
				"properties.publicNetworkAccess": public,
			} {
				checkInput(t, kv, path, want)
			}
			cr := one(t, cloud, "containerregistry:Registry", "workspace-registry")
			for path, want := range map[string]any{
				"sku.name": "Premium", "adminUserEnabled": false, "anonymousPullEnabled": false,
				"networkRuleSet.defaultAction": "Deny", "publicNetworkAccess": public,
			} {
				checkInput(t, cr, path, want)
			}
		})
	}
}
