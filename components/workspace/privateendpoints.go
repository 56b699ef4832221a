package workspace

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/internal/logical"
	"azure-ml-security/internal/privatelink"
)

// endpoint is one private endpoint of the workspace or one of its dependencies in the
// customer VNet, for the private configuration where their public access is off
// (https://learn.microsoft.com/azure/machine-learning/how-to-configure-private-link; Azure
// Policy "Azure Machine Learning workspaces should use private link").
type endpoint struct {
	name   string // pe-<name>
	target string // a key of the ids passed to newPrivateEndpoints
	group  string
}

// endpoints is the one list of the workspace's private endpoints: it makes them and tells the
// network which DNS zones they need (PrivateLinkGroups).
var endpoints = []endpoint{
	{"workspace", "workspace", privatelink.GroupWorkspace},
	{"workspace-storage-blob", "storage", privatelink.GroupBlob},
	{"workspace-storage-file", "storage", privatelink.GroupFile},
	{"workspace-vault", "vault", privatelink.GroupVault},
	{"workspace-registry", "registry", privatelink.GroupRegistry},
}

// newPrivateEndpoints creates the endpoints of the table, targets by key.
func newPrivateEndpoints(ctx *pulumi.Context, names logical.Names, args *WorkspaceArgs, targets map[string]pulumi.StringOutput) error {
	for _, e := range endpoints {
		target, ok := targets[e.target]
		if !ok {
			return fmt.Errorf("endpoint %s: no target %q", e.name, e.target)
		}
		if _, err := args.PrivateLink.NewEndpoint(ctx, names, e.name, target, e.group); err != nil {
			return err
		}
	}
	return nil
}

// PrivateLinkGroups are the private-link groups whose DNS zones the customer VNet needs for
// this component's private endpoints.
func PrivateLinkGroups() []string {
	var groups []string
	for _, e := range endpoints {
		groups = append(groups, e.group)
	}
	return groups
}
