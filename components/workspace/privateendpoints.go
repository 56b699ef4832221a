package workspace

import (
	"fmt"

	aznetwork "github.com/pulumi/pulumi-azure-native-sdk/network/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/internal/logical"
	"azure-ml-security/internal/privatelink"
	"azure-ml-security/internal/rbac"
)

// endpoint is one private endpoint of the workspace or one of its dependencies in the
// customer VNet, for the private configuration where their public access is off
// (https://learn.microsoft.com/azure/machine-learning/how-to-configure-private-link; Azure
// Policy "Azure Machine Learning workspaces should use private link").
type endpoint struct {
	name   string // pe-<name>
	target string // a key of the ids passed to newPrivateEndpoints
	group  string
	// identityReader: the workspace identity needs Reader on this endpoint. Studio reaches a
	// workspace storage whose public access is off through the customer VNet's blob and file
	// endpoints, and "the private endpoint created in the client virtual network is granted the
	// Reader role to your workspace managed identity" (how-to-managed-network, "Azure Machine
	// Learning studio").
	identityReader bool
	// monitoring: only with private monitoring (the Azure Monitor Private Link Scope).
	monitoring bool
}

// endpoints is the one list of the workspace's private endpoints: it makes them and tells the
// network which DNS zones they need (PrivateLinkGroups).
var endpoints = []endpoint{
	{name: "workspace", target: "workspace", group: privatelink.GroupWorkspace},
	{name: "workspace-storage-blob", target: "storage", group: privatelink.GroupBlob, identityReader: true},
	{name: "workspace-storage-file", target: "storage", group: privatelink.GroupFile, identityReader: true},
	{name: "workspace-vault", target: "vault", group: privatelink.GroupVault},
	{name: "workspace-registry", target: "registry", group: privatelink.GroupRegistry},
	{name: "workspace-monitor", target: "monitor", group: privatelink.GroupAzureMonitor, monitoring: true},
}

// newPrivateEndpoints creates the endpoints of the table, targets by key, and returns the
// workspace's own endpoint.
func newPrivateEndpoints(ctx *pulumi.Context, names logical.Names, args *WorkspaceArgs, targets map[string]pulumi.StringOutput, identityPrincipal pulumi.StringOutput) (*aznetwork.PrivateEndpoint, error) {
	var own *aznetwork.PrivateEndpoint
	for _, e := range endpoints {
		if e.monitoring && !args.PrivateMonitoring {
			continue
		}
		target, ok := targets[e.target]
		if !ok {
			return nil, fmt.Errorf("endpoint %s: no target %q", e.name, e.target)
		}
		pe, err := args.PrivateLink.NewEndpoint(ctx, names, e.name, target, e.group)
		if err != nil {
			return nil, err
		}
		if e.target == "workspace" {
			own = pe
		}
		if e.identityReader {
			name := "identity-pe-" + e.name + "-reader"
			if _, err := rbac.Assign(ctx, names.Name(name), args.SubscriptionID, rbac.Grant{
				Scope: pe.ID().ToStringOutput(), Role: rbac.Reader, PrincipalID: identityPrincipal, PrincipalType: rbac.PrincipalServicePrincipal,
			}, names.Parented()...); err != nil {
				return nil, err
			}
		}
	}
	return own, nil
}

// PrivateLinkGroups are the private-link groups whose DNS zones the customer VNet needs for
// this component's private endpoints, with or without private monitoring.
func PrivateLinkGroups(privateMonitoring bool) []string {
	var groups []string
	for _, e := range endpoints {
		if !e.monitoring || privateMonitoring {
			groups = append(groups, e.group)
		}
	}
	return groups
}
