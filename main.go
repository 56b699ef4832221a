// Command azure-ml-security deploys a secure Azure Machine Learning workspace in one
// `pulumi up`: see README.md.
package main

import (
	"github.com/pulumi/pulumi-azure-native-sdk/authorization/v2"
	"github.com/pulumi/pulumi-azure-native-sdk/resources/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/components/compute"
	"azure-ml-security/components/datastores"
	"azure-ml-security/components/network"
	"azure-ml-security/components/workspace"
	"azure-ml-security/internal/naming"
	"azure-ml-security/internal/settings"
)

func main() { pulumi.Run(deployStack) }

// deployStack reads and validates the stack configuration, then composes the components.
func deployStack(ctx *pulumi.Context) error {
	cfg, err := settings.Load(ctx)
	if err != nil {
		return err
	}
	client, err := authorization.GetClientConfig(ctx)
	if err != nil {
		return err
	}
	tags := pulumi.ToStringMap(cfg.ResourceTags())

	names, err := naming.New(ctx, cfg.Workload)
	if err != nil {
		return err
	}
	rg, err := resources.NewResourceGroup(ctx, "resource-group", &resources.ResourceGroupArgs{
		ResourceGroupName: names.Dashed("rg"),
		Location:          pulumi.String(cfg.Location),
		Tags:              tags,
	})
	if err != nil {
		return err
	}

	var privateGroups []string
	if cfg.PrivateWorkspace {
		privateGroups = append(workspace.PrivateLinkGroups(), datastores.PrivateLinkGroups(cfg.Data.CreateSQLDatabase)...)
	}
	var rdpSources []string
	if cfg.JumpVM.Create {
		rdpSources = cfg.AllowedIPAddresses
	}
	net, err := network.NewNetwork(ctx, "network", &network.NetworkArgs{
		ResourceGroupName:           rg.Name,
		Location:                    cfg.Location,
		VnetName:                    names.Plain("vnet"),
		AddressSpace:                cfg.Network.VnetAddressSpace,
		ClientSubnetPrefix:          cfg.Network.ClientSubnetPrefix,
		PrivateEndpointSubnetPrefix: cfg.Network.PrivateEndpointSubnetPrefix,
		PrivateLinkGroups:           privateGroups,
		RDPAllowedSources:           rdpSources,
		Tags:                        tags,
	})
	if err != nil {
		return err
	}

	ws, err := workspace.NewWorkspace(ctx, "workspace", &workspace.WorkspaceArgs{
		ResourceGroupName: rg.Name,
		Location:          cfg.Location,
		SubscriptionID:    client.SubscriptionId,
		TenantID:          client.TenantId,
		Names:             names,
		AllowedIPs:        cfg.AllowedIPAddresses,
		Private:           cfg.PrivateWorkspace,
		PrivateLink:       net.PrivateLink,
		IsolationMode:     cfg.IsolationMode,
		FirewallSku:       cfg.FirewallSku,
		Tags:              tags,
	})
	if err != nil {
		return err
	}

	var sqlArgs *datastores.SQLArgs
	if d := cfg.Data; d.CreateSQLDatabase {
		sqlArgs = &datastores.SQLArgs{
			AdminLogin: d.SQLAdminLogin, AdminPassword: d.SQLAdminPassword, HasPassword: d.HasSQLPassword,
			SkuName: d.SQLSku.Name, SkuTier: d.SQLSku.Tier, SkuFamily: d.SQLSku.Family, SkuCapacity: d.SQLSku.Capacity,
			MaxSizeGB: d.SQLMaxSizeGB,
		}
	}
	data, err := datastores.NewDatastores(ctx, "datastores", &datastores.DatastoresArgs{
		ResourceGroupName:            rg.Name,
		Location:                     cfg.Location,
		SubscriptionID:               client.SubscriptionId,
		TenantID:                     client.TenantId,
		DeployerObjectID:             client.ObjectId,
		Names:                        names,
		AllowedIPs:                   cfg.AllowedIPAddresses,
		Private:                      cfg.PrivateWorkspace,
		PrivateLink:                  net.PrivateLink,
		WorkspaceName:                ws.WorkspaceName,
		WorkspaceIdentityPrincipalID: ws.IdentityPrincipalID,
		Workspace:                    ws.Workspace,
		UploadSampleData:             cfg.Data.UploadSampleData,
		DatastoreAuth:                cfg.Data.DatastoreAuth,
		SQL:                          sqlArgs,
		Tags:                         tags,
	})
	if err != nil {
		return err
	}

	computeArgs := &compute.ComputeArgs{
		ResourceGroupName: rg.Name,
		Location:          cfg.Location,
		TenantID:          client.TenantId,
		Names:             names,
		Tags:              tags,
	}
	if c := cfg.Compute; c.Create {
		user := c.UserObjectID
		if user == "" {
			user = client.ObjectId
		}
		computeArgs.Instance = &compute.InstanceArgs{
			WorkspaceName:          ws.WorkspaceName,
			WorkspaceIdentityID:    ws.IdentityID,
			VMSize:                 c.VMSize,
			SSHPublicKey:           c.SSHPublicKey,
			IdleTimeBeforeShutdown: c.IdleTimeBeforeShutdown,
			UserObjectID:           user,
			After:                  append([]pulumi.Resource{ws.Workspace}, data.OutboundRules...),
		}
	}
	if j := cfg.JumpVM; j.Create {
		computeArgs.JumpVM = &compute.JumpVMArgs{
			SubnetID:      net.ClientSubnetID,
			Size:          j.Size,
			AdminUsername: j.AdminUser,
			Image:         compute.ImageArgs{Publisher: j.ImagePublish, Offer: j.ImageOffer, Sku: j.ImageSku},
		}
	}
	cmp, err := compute.NewCompute(ctx, "compute", computeArgs)
	if err != nil {
		return err
	}

	ctx.Export("resourceGroupName", rg.Name)
	ctx.Export("vnetId", net.VnetID)
	ctx.Export("workspaceName", ws.WorkspaceName)
	ctx.Export("workspaceId", ws.WorkspaceID)
	ctx.Export("studioUrl", ws.StudioURL)
	ctx.Export("workspaceIdentityId", ws.IdentityID)
	ctx.Export("workspaceIdentityPrincipalId", ws.IdentityPrincipalID)
	ctx.Export("workspaceIdentityClientId", ws.IdentityClientID)
	ctx.Export("workspaceStorageAccountName", ws.StorageAccountName)
	ctx.Export("keyVaultName", ws.KeyVaultName)
	ctx.Export("containerRegistryName", ws.RegistryName)
	ctx.Export("lakeAccountName", data.LakeAccountName)
	ctx.Export("blobAccountName", data.BlobAccountName)
	ctx.Export("datastoreNames", data.DatastoreNames)
	ctx.Export("datastoresAppClientId", data.AppClientID)
	if cfg.Compute.Create {
		ctx.Export("computeInstanceName", cmp.InstanceName)
		ctx.Export("computeInstanceSsh", pulumi.Sprintf("az ml compute connect-ssh --name %s --workspace-name %s --resource-group %s", cmp.InstanceName, ws.WorkspaceName, rg.Name))
	}
	if cfg.JumpVM.Create {
		ctx.Export("jumpVmName", cmp.JumpVMName)
		ctx.Export("jumpVmRdp", pulumi.Sprintf("mstsc /v:%s (user %s; password: pulumi stack output jumpVmAdminPassword --show-secrets)", cmp.JumpVMPublicIP, cmp.JumpVMAdminUsername))
		ctx.Export("jumpVmAdminPassword", cmp.JumpVMAdminPassword)
	}
	if cfg.Data.CreateSQLDatabase {
		ctx.Export("sqlServerFqdn", data.SQLServerFQDN)
		ctx.Export("sqlDatabaseName", data.SQLDatabaseName)
		ctx.Export("sqlAdminLogin", pulumi.String(cfg.Data.SQLAdminLogin))
		ctx.Export("sqlAdminPassword", data.SQLAdminPassword)
	}
	return nil
}
