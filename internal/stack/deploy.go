// Package stack is the program that `pulumi up` runs (main.go: pulumi.Run(stack.Deploy)): it
// reads and validates the configuration, then composes the four components. Each component's
// Args are built from the settings by one small function (network.go, workspace.go,
// datastores.go, compute.go), and exports.go publishes what the components produced.
package stack

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-azure-native-sdk/authorization/v2"
	"github.com/pulumi/pulumi-azure-native-sdk/operationalinsights/v2"
	"github.com/pulumi/pulumi-azure-native-sdk/resources/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/components/compute"
	"azure-ml-security/components/datastores"
	"azure-ml-security/components/network"
	"azure-ml-security/components/workspace"
	"azure-ml-security/internal/naming"
	"azure-ml-security/internal/rbac"
	"azure-ml-security/internal/settings"
)

// base is what every component shares: the deploying principal, the name builder, the
// resource group and the tags.
type base struct {
	client   *authorization.GetClientConfigResult
	deployer rbac.Principal
	// computeName is the compute instance's name, known before the instance exists: the
	// workspace names it as its image-build compute.
	computeName pulumi.StringOutput
	names       *naming.Names
	rg          *resources.ResourceGroup
	// logs is the Log Analytics workspace of every component's diagnostics (logs.go).
	logs *operationalinsights.Workspace
	tags pulumi.StringMap
}

// Deploy is the program.
func Deploy(ctx *pulumi.Context) error {
	cfg, err := settings.Load(ctx)
	if err != nil {
		return err
	}
	if err := checkZones(cfg); err != nil {
		return err
	}
	warnFirewall(ctx, cfg)
	b, err := newBase(ctx, cfg)
	if err != nil {
		return err
	}
	net, err := network.NewNetwork(ctx, "network", networkArgs(cfg, b))
	if err != nil {
		return err
	}
	b.computeName = b.names.Compute("ci")
	ws, err := workspace.NewWorkspace(ctx, "workspace", workspaceArgs(cfg, b, net))
	if err != nil {
		return err
	}
	data, err := datastores.NewDatastores(ctx, "datastores", datastoresArgs(cfg, b, net, ws))
	if err != nil {
		return err
	}
	cmp, err := compute.NewCompute(ctx, "compute", computeArgs(cfg, b, net, ws, data))
	if err != nil {
		return err
	}
	export(ctx, cfg, b, net, ws, data, cmp)
	return nil
}

// newBase reads the deploying principal and creates the name suffix and the resource group.
func newBase(ctx *pulumi.Context, cfg *settings.Settings) (*base, error) {
	client, err := authorization.GetClientConfig(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading the deploying principal (getClientConfig): %w", err)
	}
	names, err := naming.New(ctx, cfg.Workload)
	if err != nil {
		return nil, fmt.Errorf("name suffix: %w", err)
	}
	tags := pulumi.ToStringMap(cfg.ResourceTags())
	rg, err := resources.NewResourceGroup(ctx, "resource-group", &resources.ResourceGroupArgs{
		ResourceGroupName: names.Dashed("rg"),
		Location:          pulumi.String(cfg.Location),
		Tags:              tags,
	})
	if err != nil {
		return nil, fmt.Errorf("resource group: %w", err)
	}
	deployer := rbac.Principal{ObjectID: client.ObjectId, Type: deployerType(cfg.DeployerPrincipalType, client.ClientId)}
	b := &base{client: client, deployer: deployer, names: names, rg: rg, tags: tags}
	if b.logs, err = newLogs(ctx, cfg, b); err != nil {
		return nil, fmt.Errorf("log analytics: %w", err)
	}
	return b, nil
}

// Well-known application ids of Microsoft's first-party sign-in clients: a deployer whose
// client config reports one of them signed in as a person (az login, Connect-AzAccount).
const (
	azureCLIClientID        = "04b07795-8ddb-461a-bbee-02f9e1bf7b46"
	azurePowerShellClientID = "1950a258-227b-4e31-a9cf-717495945fc2"
)

// deployerType is the deploying principal's type for role assignments, which Azure checks
// against the principal (UnmatchedPrincipalType): configured, or read from the client config.
func deployerType(configured, clientID string) string {
	if configured != settings.PrincipalAuto {
		return configured
	}
	if clientID == azureCLIClientID || clientID == azurePowerShellClientID {
		return rbac.PrincipalUser
	}
	return rbac.PrincipalServicePrincipal
}

// appClientID is the deployer's own application (client) id: "" when the client config reports
// a first-party sign-in client, which is the tool a person signed in with, not the deployer.
func appClientID(clientID string) string {
	if clientID == azureCLIClientID || clientID == azurePowerShellClientID {
		return ""
	}
	return clientID
}

// users are the principals the program grants the data roles of the workspace: the compute
// instance's user (or the deployer when none is configured) and the workspace users, each
// once.
func users(cfg *settings.Settings, b *base) []rbac.Principal {
	first := b.deployer
	if u := cfg.Compute.UserObjectID; cfg.Compute.Create && u != "" {
		first = rbac.Principal{ObjectID: u, Type: rbac.PrincipalUser}
	}
	out := []rbac.Principal{first}
	for _, u := range workspaceUsers(cfg) {
		if !strings.EqualFold(u.ObjectID, first.ObjectID) {
			out = append(out, u)
		}
	}
	return out
}

// workspaceUsers are the configured workspaceUsers.
func workspaceUsers(cfg *settings.Settings) []rbac.Principal {
	var out []rbac.Principal
	for _, u := range cfg.WorkspaceUsers {
		out = append(out, rbac.Principal{ObjectID: u.ObjectID, Type: u.Type})
	}
	return out
}
