package azureml

import (
	"errors"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// WorkspaceToken targets API 2024-10-01-preview: in @pulumi/azure-native 2.90.0 the GA
// v20241001 Workspace has neither provisionNetworkNow nor systemDatastoresAuthMode, and the
// module's default token (API 2023-04-01) has no managedNetwork at all.
const WorkspaceToken = "azure-native:machinelearningservices/v20241001preview:Workspace"

// Enum values of types/enums/machinelearningservices/v20241001preview used by the workspace.
const (
	SystemDatastoresIdentity = "Identity" // SystemDatastoresAuthMode (capital I)
	NetworkAclDeny           = "Deny"     // DefaultActionType
	SkuTierBasic             = "Basic"    // SkuTier
)

// ManagedNetworkSettingsArgs is ManagedNetworkSettingsArgs without outboundRules: the program
// manages outbound rules only as ManagedNetworkSettingsRule resources (see outboundrule.go).
type ManagedNetworkSettingsArgs struct {
	IsolationMode string // IsolationMode enum
	FirewallSku   string // FirewallSku enum: Basic or Standard
}

func (a ManagedNetworkSettingsArgs) toMap() pulumi.Map {
	return pulumi.Map{"isolationMode": pulumi.String(a.IsolationMode), "firewallSku": pulumi.String(a.FirewallSku)}
}

// NetworkAclsArgs is NetworkAclsArgs: defaultAction plus ipRules [{value}].
type NetworkAclsArgs struct {
	DefaultAction string
	IPRules       []string
}

func (a NetworkAclsArgs) toMap() pulumi.Map {
	rules := pulumi.Array{}
	for _, ip := range a.IPRules {
		rules = append(rules, pulumi.Map{"value": pulumi.String(ip)})
	}
	return pulumi.Map{"defaultAction": pulumi.String(a.DefaultAction), "ipRules": rules}
}

// WorkspaceArgs are the inputs of machinelearningservices/v20241001preview/workspace.d.ts that
// this program sets.
type WorkspaceArgs struct {
	ResourceGroupName           pulumi.StringInput // required
	WorkspaceName               pulumi.StringInput
	Location                    pulumi.StringInput
	FriendlyName                pulumi.StringInput
	Description                 pulumi.StringInput
	Identity                    ManagedServiceIdentityArgs
	PrimaryUserAssignedIdentity pulumi.StringInput
	StorageAccount              pulumi.StringInput
	KeyVault                    pulumi.StringInput
	ContainerRegistry           pulumi.StringInput
	ApplicationInsights         pulumi.StringInput
	ManagedNetwork              ManagedNetworkSettingsArgs
	ProvisionNetworkNow         bool
	SystemDatastoresAuthMode    string
	PublicNetworkAccess         string
	// NetworkAcls applies only when PublicNetworkAccess is Enabled; nil leaves it out.
	NetworkAcls *NetworkAclsArgs
	// ImageBuildCompute names the compute that builds environment images when the registry
	// is behind a network; nil leaves images to serverless compute.
	ImageBuildCompute pulumi.StringInput
	SkuName           string
	SkuTier           string
	Tags              pulumi.StringMapInput
}

// Workspace is an Azure Machine Learning workspace.
type Workspace struct {
	pulumi.CustomResourceState

	Name        pulumi.StringOutput `pulumi:"name"`
	WorkspaceId pulumi.StringOutput `pulumi:"workspaceId"`
}

// NewWorkspace registers a workspace.
func NewWorkspace(ctx *pulumi.Context, name string, args *WorkspaceArgs, opts ...pulumi.ResourceOption) (*Workspace, error) {
	if args == nil || args.ResourceGroupName == nil {
		return nil, errors.New("azureml: Workspace needs ResourceGroupName")
	}
	in := props{
		"resourceGroupName":   args.ResourceGroupName,
		"identity":            args.Identity.toMap(),
		"managedNetwork":      args.ManagedNetwork.toMap(),
		"provisionNetworkNow": pulumi.Bool(args.ProvisionNetworkNow),
		"publicNetworkAccess": pulumi.String(args.PublicNetworkAccess),
	}.
		set("workspaceName", args.WorkspaceName).
		set("location", args.Location).
		set("friendlyName", args.FriendlyName).
		set("description", args.Description).
		set("primaryUserAssignedIdentity", args.PrimaryUserAssignedIdentity).
		set("storageAccount", args.StorageAccount).
		set("keyVault", args.KeyVault).
		set("containerRegistry", args.ContainerRegistry).
		set("applicationInsights", args.ApplicationInsights).
		set("tags", args.Tags)
	if args.SystemDatastoresAuthMode != "" {
		in["systemDatastoresAuthMode"] = pulumi.String(args.SystemDatastoresAuthMode)
	}
	if args.NetworkAcls != nil {
		in["networkAcls"] = args.NetworkAcls.toMap()
	}
	if args.ImageBuildCompute != nil {
		in["imageBuildCompute"] = args.ImageBuildCompute
	}
	if args.SkuName != "" {
		in["sku"] = props{"name": pulumi.String(args.SkuName)}.set("tier", optString(args.SkuTier)).toMap()
	}
	var res Workspace
	if err := register(ctx, WorkspaceToken, name, in, &res, opts); err != nil {
		return nil, err
	}
	return &res, nil
}

// GetWorkspaceToken reads a workspace at the API version it is deployed with.
const GetWorkspaceToken = "azure-native:machinelearningservices/v20241001preview:getWorkspace"

// WorkspaceNetworkAcls are the IP rules a workspace has in force, read back from Azure.
type WorkspaceNetworkAcls struct {
	DefaultAction string
	IPRules       []string
}

// LookupWorkspaceNetworkAcls reads the network rules a workspace has in force.
func LookupWorkspaceNetworkAcls(ctx *pulumi.Context, resourceGroupName, workspaceName string) (*WorkspaceNetworkAcls, error) {
	var out struct {
		NetworkAcls *struct {
			DefaultAction string `pulumi:"defaultAction"`
			IPRules       []struct {
				Value string `pulumi:"value"`
			} `pulumi:"ipRules"`
		} `pulumi:"networkAcls"`
	}
	args := map[string]string{"resourceGroupName": resourceGroupName, "workspaceName": workspaceName}
	if err := ctx.Invoke(GetWorkspaceToken, args, &out, pulumi.Version(ProviderVersion)); err != nil {
		return nil, err
	}
	acls := &WorkspaceNetworkAcls{}
	if out.NetworkAcls != nil {
		acls.DefaultAction = out.NetworkAcls.DefaultAction
		for _, r := range out.NetworkAcls.IPRules {
			acls.IPRules = append(acls.IPRules, r.Value)
		}
	}
	return acls, nil
}
