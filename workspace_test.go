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
				if got := ws.Str("networkAcls.ipRules.0.value"); got != "1.2.3.4" {
					t.Errorf("networkAcls.ipRules = %q, want the dev stack's allowed address", got)
				}
			}
			diag := one(t, cloud, "insights:DiagnosticSetting", "workspace-diagnostics")
			if diag.Str("resourceUri") != ws.ID || diag.Str("workspaceId") != one(t, cloud, "operationalinsights:Workspace", "log-analytics").ID {
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
		storage + " " + string(rbac.Contributor):                                                                                true,
		storage + " " + string(rbac.StorageBlobDataContributor):                                                                 true,
		storage + " " + string(rbac.StorageFileDataPrivilegedContributor):                                                       true,
		vault + " " + string(rbac.Contributor):                                                                                  true,
		vault + " " + string(rbac.KeyVaultAdministrator):                                                                        true,
		one(t, cloud, "containerregistry:Registry", "workspace-registry").ID + " " + string(rbac.Contributor):                   true,
		one(t, cloud, "insights:Component", "workspace-app-insights").ID + " " + string(rbac.Contributor):                       true,
		one(t, cloud, "resources:ResourceGroup", "resource-group").ID + " " + string(rbac.AzureAIEnterpriseNetworkConnApprover): true,
	}
	for _, ra := range cloud.Find("authorization:RoleAssignment") {
		if ra.Str("principalId") != principal || fakeazure.Short(ra.Parent) != "azure-ml-security:components:Workspace::workspace" ||
			strings.HasPrefix(ra.Str("scope"), ws.ID) {
			continue // grants on the workspace itself come after it
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

// TestWorkspaceIdentityCanApprove (F1, D2): the workspace identity holds Azure AI Enterprise
// Network Connection Approver on the resource group, granted right after the identity (it
// waits for nothing else) so it is in effect when the workspace provisions its network; the
// workspace and every outbound rule wait for it; and the identity gets Contributor on the
// workspace once it exists.
func TestWorkspaceIdentityCanApprove(t *testing.T) {
	for _, stack := range stacks {
		t.Run(stack, func(t *testing.T) {
			cloud := mustPlan(t, stack, nil)
			principal := identityPrincipal(t, cloud)
			rg := one(t, cloud, "resources:ResourceGroup", "resource-group")
			approver := grantOn(cloud, rg.ID, rbac.AzureAIEnterpriseNetworkConnApprover, principal)
			if approver == nil {
				t.Fatal("no approver grant on the resource group")
			}
			id := one(t, cloud, "managedidentity:UserAssignedIdentity", "workspace-identity")
			for _, d := range approver.Dependencies {
				if d != id.URN && d != rg.URN && !strings.Contains(d, "RandomString") {
					t.Errorf("the approver grant waits for %s: it should be made as early as possible", fakeazure.Short(d))
				}
			}
			ws := one(t, cloud, "machinelearningservices:Workspace", "workspace-ml")
			waiters := []*fakeazure.Resource{ws}
			for _, r := range cloud.Find("machinelearningservices:ManagedNetworkSettingsRule") {
				if r.Str("properties.type") == "PrivateEndpoint" { // FQDN and service-tag rules need no approval
					waiters = append(waiters, r)
				}
			}
			for _, r := range waiters {
				if !waitsFor(r, approver) {
					t.Errorf("%s does not wait for the approver grant", r.Name)
				}
			}
			if grantOn(cloud, ws.ID, rbac.Contributor, principal) == nil {
				t.Error("no Contributor on the workspace for its identity")
			}
		})
	}
}

// TestUserDataRoles (U2): the person using the workspace (the compute instance's user, or the
// deployer) gets the data roles studio needs with shared keys off, with their real principal
// type: a person signed in with the Azure CLI is a User.
func TestUserDataRoles(t *testing.T) {
	check := func(t *testing.T, cloud *fakeazure.Monitor, user, typ string) {
		t.Helper()
		storage := one(t, cloud, "storage:StorageAccount", "workspace-storage").ID
		for _, role := range []rbac.Role{rbac.StorageBlobDataContributor, rbac.StorageFileDataPrivilegedContributor} {
			if ra := grantOn(cloud, storage, role, user); ra == nil || ra.Str("principalType") != typ {
				t.Errorf("no %s on the workspace storage for %s as %s", rbac.Short(role), user, typ)
			}
		}
		for _, acct := range []string{"datastores-lake", "datastores-blob"} {
			if ra := grantOn(cloud, one(t, cloud, "storage:StorageAccount", acct).ID, rbac.StorageBlobDataReader, user); ra == nil || ra.Str("principalType") != typ {
				t.Errorf("no Storage Blob Data Reader on %s for %s as %s", acct, user, typ)
			}
		}
	}
	check(t, mustPlan(t, "dev", nil), fakeazure.DeployerObject, rbac.PrincipalUser)
	check(t, mustPlan(t, "dev", map[string]any{"computeInstanceUserObjectId": testUser}), testUser, rbac.PrincipalUser)
}

// TestWorkspaceStorageCORS (D1): the workspace storage's blob service declares the CORS rule
// Azure ML writes for studio, so the program's own writes keep it, and the workspace waits for
// those settings.
func TestWorkspaceStorageCORS(t *testing.T) {
	cloud := mustPlan(t, "dev", nil)
	bs := one(t, cloud, "storage:BlobServiceProperties", "workspace-storage-blob-service")
	origins := bs.Strings("cors.corsRules.0.allowedOrigins")
	for _, o := range []string{"https://ml.azure.com", "https://*.ml.azure.com", "https://mlworkspace.azure.ai"} {
		if !slices.Contains(origins, o) {
			t.Errorf("CORS origins %v lack %s", origins, o)
		}
	}
	checkInput(t, bs, "cors.corsRules.0.maxAgeInSeconds", float64(1800))
	if ws := one(t, cloud, "machinelearningservices:Workspace", "workspace-ml"); !waitsFor(ws, bs) {
		t.Error("the workspace does not wait for its storage's blob service settings")
	}
}

// TestWorkspaceIPRulesAreChecked (F7): the dev workspace's IP rules are read back after it is
// created; when Azure has not applied them, the deployment fails and says how to apply them.
func TestWorkspaceIPRulesAreChecked(t *testing.T) {
	cfg := loadStack(t, "dev")
	m, err := plan(t, "dev", cfg)
	if err != nil {
		t.Fatal(err)
	}
	_ = m
	_, err = plan(t, "dev", cfg, fakeazure.Options{WorkspaceIPRulesIgnoredAtCreate: true})
	if err == nil || !strings.Contains(err.Error(), "is not restricted to allowedIpAddresses after creation") || !strings.Contains(err.Error(), "az ml workspace update") {
		t.Errorf("a workspace whose IP rules Azure dropped: %v", err)
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

// TestWorkspaceStorageEndpointsReadable (U3): with the workspace storage's public access off,
// studio reaches it through the customer VNet's blob and file endpoints, on which the workspace
// identity needs Reader; a public stack has no such endpoints and no such grant.
func TestWorkspaceStorageEndpointsReadable(t *testing.T) {
	for _, stack := range stacks {
		cloud := mustPlan(t, stack, nil)
		principal := identityPrincipal(t, cloud)
		readers := 0
		for _, ra := range cloud.Find("authorization:RoleAssignment") {
			if strings.HasSuffix(ra.Str("roleDefinitionId"), string(rbac.Reader)) && ra.Str("principalId") == principal {
				readers++
			}
		}
		if !isPrivate(stack) {
			if readers != 0 {
				t.Errorf("%s: %d Reader grants on endpoints of a public stack", stack, readers)
			}
			continue
		}
		for _, pe := range []string{"workspace-pe-workspace-storage-blob", "workspace-pe-workspace-storage-file"} {
			ra := grantOn(cloud, one(t, cloud, "network:PrivateEndpoint", pe).ID, rbac.Reader, principal)
			if ra == nil {
				t.Errorf("%s: the workspace identity has no Reader on %s", stack, pe)
			} else if ra.Str("principalType") != rbac.PrincipalServicePrincipal {
				t.Errorf("%s: Reader on %s has principalType %s", stack, pe, ra.Str("principalType"))
			}
		}
	}
}
