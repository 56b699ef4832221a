// Package workspace is the Azure Machine Learning workspace with its managed VNet and the
// resources it depends on: a user-assigned identity, Log Analytics and Application Insights,
// the workspace storage account, Key Vault and a Premium container registry, all hardened,
// with the identity's role grants in place before the workspace exists.
package workspace

import (
	"errors"
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/internal/azureml"
	"azure-ml-security/internal/logical"
	"azure-ml-security/internal/naming"
	"azure-ml-security/internal/privatelink"
)

// WorkspaceArgs configure the workspace.
type WorkspaceArgs struct {
	ResourceGroupName pulumi.StringInput
	Location          string
	SubscriptionID    string
	TenantID          string
	Names             *naming.Names
	// AllowedIPs may reach the public endpoints of the workspace and its dependencies when
	// Private is false.
	AllowedIPs []string
	// Private disables public network access on the workspace, storage, key vault and
	// registry and gives each a private endpoint through PrivateLink.
	Private       bool
	PrivateLink   *privatelink.Placement
	IsolationMode string
	FirewallSku   string
	Tags          pulumi.StringMap
}

// Workspace is the workspace component.
type Workspace struct {
	pulumi.ResourceState

	// Workspace is the ML workspace resource, for components that must wait for it.
	Workspace           *azureml.Workspace
	WorkspaceName       pulumi.StringOutput
	WorkspaceID         pulumi.StringOutput
	StudioURL           pulumi.StringOutput
	IdentityID          pulumi.StringOutput
	IdentityPrincipalID pulumi.StringOutput
	IdentityClientID    pulumi.StringOutput
	StorageAccountName  pulumi.StringOutput
	KeyVaultName        pulumi.StringOutput
	RegistryName        pulumi.StringOutput
}

// NewWorkspace creates the workspace and its dependencies.
func NewWorkspace(ctx *pulumi.Context, name string, args *WorkspaceArgs, opts ...pulumi.ResourceOption) (*Workspace, error) {
	if args == nil || args.ResourceGroupName == nil || args.Names == nil {
		return nil, errors.New("workspace: ResourceGroupName and Names are required")
	}
	if args.Private && args.PrivateLink == nil {
		return nil, errors.New("workspace: a private workspace needs PrivateLink")
	}
	w := &Workspace{}
	if err := ctx.RegisterComponentResource("azure-ml-security:components:Workspace", name, w, opts...); err != nil {
		return nil, fmt.Errorf("workspace: registering the component: %w", err)
	}
	names := logical.New(name, w)

	id, err := newIdentity(ctx, names, args)
	if err != nil {
		return nil, fmt.Errorf("workspace: identity: %w", err)
	}
	mon, err := newMonitoring(ctx, names, args)
	if err != nil {
		return nil, fmt.Errorf("workspace: monitoring: %w", err)
	}
	deps, err := newDependencies(ctx, names, args)
	if err != nil {
		return nil, fmt.Errorf("workspace: storage, key vault and registry: %w", err)
	}
	grants, err := grantIdentity(ctx, names, args, id, deps, mon)
	if err != nil {
		return nil, fmt.Errorf("workspace: identity grants: %w", err)
	}
	ws, err := newMLWorkspace(ctx, names, args, id, deps, mon, grants)
	if err != nil {
		return nil, fmt.Errorf("workspace: ML workspace: %w", err)
	}
	if err := newDiagnostics(ctx, names, ws, mon); err != nil {
		return nil, fmt.Errorf("workspace: diagnostic settings: %w", err)
	}
	if args.Private {
		targets := map[string]pulumi.StringOutput{
			"workspace": ws.ID().ToStringOutput(),
			"storage":   deps.storage.Account.ID().ToStringOutput(),
			"vault":     deps.vault.ID().ToStringOutput(),
			"registry":  deps.registry.ID().ToStringOutput(),
		}
		if err := newPrivateEndpoints(ctx, names, args, targets); err != nil {
			return nil, fmt.Errorf("workspace: private endpoints: %w", err)
		}
	}

	w.Workspace = ws
	w.WorkspaceName = ws.Name
	w.WorkspaceID = ws.ID().ToStringOutput()
	w.StudioURL = pulumi.Sprintf("https://ml.azure.com/?wsid=%s&tid=%s", ws.ID(), args.TenantID)
	w.IdentityID = id.ID().ToStringOutput()
	w.IdentityPrincipalID = id.PrincipalId
	w.IdentityClientID = id.ClientId
	w.StorageAccountName = deps.storage.Account.Name
	w.KeyVaultName = deps.vault.Name
	w.RegistryName = deps.registry.Name
	if err := ctx.RegisterResourceOutputs(w, pulumi.Map{
		"workspaceName":       w.WorkspaceName,
		"workspaceId":         w.WorkspaceID,
		"studioUrl":           w.StudioURL,
		"identityId":          w.IdentityID,
		"identityPrincipalId": w.IdentityPrincipalID,
		"identityClientId":    w.IdentityClientID,
		"storageAccountName":  w.StorageAccountName,
		"keyVaultName":        w.KeyVaultName,
		"registryName":        w.RegistryName,
	}); err != nil {
		return nil, fmt.Errorf("workspace: registering outputs: %w", err)
	}
	return w, nil
}
