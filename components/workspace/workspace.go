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
	"azure-ml-security/internal/rbac"
)

// WorkspaceArgs configure the workspace.
type WorkspaceArgs struct {
	ResourceGroupName pulumi.StringInput
	// ResourceGroupID is the scope of the identity's approver grant.
	ResourceGroupID pulumi.StringInput
	Location        string
	SubscriptionID  string
	TenantID        string
	Names           *naming.Names
	// AllowedIPs may reach the public endpoints of the workspace and its dependencies when
	// Private is false.
	AllowedIPs []string
	// Private disables public network access on the workspace, storage, key vault and
	// registry and gives each a private endpoint through PrivateLink.
	Private       bool
	PrivateLink   *privatelink.Placement
	IsolationMode string
	FirewallSku   string
	// ImageBuildCompute names the compute that builds environment images.
	ImageBuildCompute pulumi.StringInput
	// Users are the people (or groups, or a deploying service principal) who work in the
	// workspace: they get the data roles studio needs on the workspace storage.
	Users []rbac.Principal
	// DataScientists are the workspaceUsers: AzureML Data Scientist on the workspace.
	DataScientists []rbac.Principal
	// LogAnalyticsWorkspaceID receives every diagnostic setting and backs Application
	// Insights.
	LogAnalyticsWorkspaceID pulumi.StringInput
	// PrivateMonitoring puts Log Analytics and Application Insights behind an Azure Monitor
	// Private Link Scope with an endpoint through PrivateLink (a private workspace only).
	PrivateMonitoring bool
	// Egress are the managed network's FQDN and service-tag outbound rules.
	Egress Egress
	// Protect keeps Pulumi from deleting the workspace, its storage and key vault.
	Protect bool
	Tags    pulumi.StringMap
}

// Egress are the managed network's outbound rules to the internet and to Azure services
// beyond private endpoints (AllowOnlyApprovedOutbound only).
type Egress struct {
	FQDNs       []string
	ServiceTags []azureml.ServiceTagOutboundRuleArgs
}

// Workspace is the workspace component.
type Workspace struct {
	pulumi.ResourceState

	// Workspace is the ML workspace resource, for components that must wait for it.
	Workspace *azureml.Workspace
	// Approver is the identity's grant that lets the managed network's private endpoints be
	// approved; outbound rules wait for it.
	Approver pulumi.Resource
	// ManagedNetworkWrites are this component's writes to the managed network, the workspace
	// and its own outbound rules: later rules are written after all of them.
	ManagedNetworkWrites []pulumi.Resource
	// OutboundRules are the component's own outbound rules, for compute to wait for.
	OutboundRules []pulumi.Resource
	// Egress describes the FQDN and service-tag rules written.
	EgressRules []EgressRule
	// Ready are the grants made after the workspace that compute waits for.
	Ready               []pulumi.Resource
	WorkspaceName       pulumi.StringOutput
	WorkspaceID         pulumi.StringOutput
	StudioURL           pulumi.StringOutput
	IdentityID          pulumi.StringOutput
	IdentityPrincipalID pulumi.StringOutput
	IdentityClientID    pulumi.StringOutput
	StorageAccountName  pulumi.StringOutput
	StorageAccountID    pulumi.StringOutput
	KeyVaultName        pulumi.StringOutput
	KeyVaultID          pulumi.StringOutput
	RegistryName        pulumi.StringOutput
	RegistryID          pulumi.StringOutput
	// IPRulesInForce are the IP rules Azure reports after creation (public workspaces).
	IPRulesInForce pulumi.StringArrayOutput
	// Private is set when the workspace is private.
	Private *PrivateOutputs
}

// PrivateOutputs describe a private workspace's way in.
type PrivateOutputs struct {
	// EndpointIP is the address of the workspace's private endpoint in the customer VNet.
	EndpointIP pulumi.StringOutput
}

// NewWorkspace creates the workspace and its dependencies.
func NewWorkspace(ctx *pulumi.Context, name string, args *WorkspaceArgs, opts ...pulumi.ResourceOption) (*Workspace, error) {
	if args == nil || args.ResourceGroupName == nil || args.ResourceGroupID == nil || args.Names == nil {
		return nil, errors.New("workspace: ResourceGroupName, ResourceGroupID and Names are required")
	}
	if args.Private && args.PrivateLink == nil {
		return nil, errors.New("workspace: a private workspace needs PrivateLink")
	}
	if args.LogAnalyticsWorkspaceID == nil {
		return nil, errors.New("workspace: LogAnalyticsWorkspaceID is required")
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
	approver, err := grantApprover(ctx, names, args, id)
	if err != nil {
		return nil, fmt.Errorf("workspace: approver grant: %w", err)
	}
	mon, err := newMonitoring(ctx, names, args)
	if err != nil {
		return nil, fmt.Errorf("workspace: application insights: %w", err)
	}
	var private *privateMonitoring
	if args.Private && args.PrivateMonitoring {
		if private, err = newPrivateMonitoring(ctx, names, args, mon, id.PrincipalId); err != nil {
			return nil, fmt.Errorf("workspace: azure monitor private link scope: %w", err)
		}
	}
	deps, err := newDependencies(ctx, names, args)
	if err != nil {
		return nil, fmt.Errorf("workspace: storage, key vault and registry: %w", err)
	}
	grants, err := grantIdentity(ctx, names, args, id, deps, mon)
	if err != nil {
		return nil, fmt.Errorf("workspace: identity grants: %w", err)
	}
	if err := grantUsers(ctx, names, args, deps); err != nil {
		return nil, fmt.Errorf("workspace: user grants: %w", err)
	}
	ws, err := newMLWorkspace(ctx, names, args, id, deps, mon, append(grants, approver), approver)
	if err != nil {
		return nil, fmt.Errorf("workspace: ML workspace: %w", err)
	}
	onWorkspace, err := grantOnWorkspace(ctx, names, args, id, ws)
	if err != nil {
		return nil, fmt.Errorf("workspace: identity grant on the workspace: %w", err)
	}
	if err := grantDataScientists(ctx, names, args, ws); err != nil {
		return nil, fmt.Errorf("workspace: workspace users: %w", err)
	}
	if err := newDiagnostics(ctx, names, args, ws, deps); err != nil {
		return nil, fmt.Errorf("workspace: diagnostic settings: %w", err)
	}
	rules, egress, err := newOutboundRules(ctx, names, args, ws, approver, private)
	if err != nil {
		return nil, fmt.Errorf("workspace: outbound rules: %w", err)
	}
	if args.Private {
		targets := map[string]pulumi.StringOutput{
			"workspace": ws.ID().ToStringOutput(),
			"storage":   deps.storage.Account.ID().ToStringOutput(),
			"vault":     deps.vault.ID().ToStringOutput(),
			"registry":  deps.registry.ID().ToStringOutput(),
		}
		if private != nil {
			targets["monitor"] = private.scopeID
		}
		own, err := newPrivateEndpoints(ctx, names, args, targets, id.PrincipalId)
		if err != nil {
			return nil, fmt.Errorf("workspace: private endpoints: %w", err)
		}
		w.Private = &PrivateOutputs{EndpointIP: privatelink.EndpointIP(own)}
	}

	w.Workspace = ws
	w.Approver = approver
	for _, r := range rules {
		w.OutboundRules = append(w.OutboundRules, r)
	}
	w.ManagedNetworkWrites = append([]pulumi.Resource{ws}, w.OutboundRules...)
	w.EgressRules = egress
	w.Ready = []pulumi.Resource{onWorkspace}
	w.WorkspaceName = ws.Name
	w.WorkspaceID = ws.ID().ToStringOutput()
	w.StudioURL = pulumi.Sprintf("https://ml.azure.com/?wsid=%s&tid=%s", ws.ID(), args.TenantID)
	w.IdentityID = id.ID().ToStringOutput()
	w.IdentityPrincipalID = id.PrincipalId
	w.IdentityClientID = id.ClientId
	w.StorageAccountName = deps.storage.Account.Name
	w.StorageAccountID = deps.storage.Account.ID().ToStringOutput()
	w.KeyVaultName = deps.vault.Name
	w.KeyVaultID = deps.vault.ID().ToStringOutput()
	w.RegistryName = deps.registry.Name
	w.RegistryID = deps.registry.ID().ToStringOutput()
	w.IPRulesInForce = ipRulesInForce(ctx, args, ws)
	outputs := pulumi.Map{
		"workspaceName":       w.WorkspaceName,
		"workspaceId":         w.WorkspaceID,
		"studioUrl":           w.StudioURL,
		"identityId":          w.IdentityID,
		"identityPrincipalId": w.IdentityPrincipalID,
		"identityClientId":    w.IdentityClientID,
		"storageAccountName":  w.StorageAccountName,
		"storageAccountId":    w.StorageAccountID,
		"keyVaultName":        w.KeyVaultName,
		"keyVaultId":          w.KeyVaultID,
		"registryName":        w.RegistryName,
		"registryId":          w.RegistryID,
		"ipRulesInForce":      w.IPRulesInForce,
	}
	if w.Private != nil {
		outputs["privateEndpointIp"] = w.Private.EndpointIP
	}
	if err := ctx.RegisterResourceOutputs(w, outputs); err != nil {
		return nil, fmt.Errorf("workspace: registering outputs: %w", err)
	}
	return w, nil
}

// publicIPs are the addresses the public endpoints admit: none when the workspace is private,
// so a firewall never keeps a rule that public access would bring back.
func (a *WorkspaceArgs) publicIPs() []string {
	if a.Private {
		return nil
	}
	return a.AllowedIPs
}
