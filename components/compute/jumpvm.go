package compute

import (
	azcompute "github.com/pulumi/pulumi-azure-native-sdk/compute/v2"
	aznetwork "github.com/pulumi/pulumi-azure-native-sdk/network/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/internal/logical"
	"azure-ml-security/internal/passwords"
)

type jumpVM struct {
	vm       *azcompute.VirtualMachine
	publicIP pulumi.StringOutput
	password pulumi.StringOutput
}

// newJumpVM creates the Windows jump VM in the client subnet.
//
// Access: a Standard static public IP, reachable only on RDP and only from
// allowedIpAddresses (the network component's NSG; no rule admits * or Internet). Azure
// Bastion would avoid the public IP, but its free Developer SKU is not in the network API
// version of azure-native 2.90.0's network module, and Basic costs about $140 a month
// (README, "Costs"); a jump VM that is off when unused costs a few dollars.
//
// Hardening: Trusted Launch (secure boot, vTPM), managed disks deleted with the VM, managed
// boot diagnostics, a system-assigned identity, and a generated admin password exported only as
// a secret. licenseType Windows_Client attests the Windows client license that Windows 10/11
// images on Azure require.
func newJumpVM(ctx *pulumi.Context, names logical.Names, args *ComputeArgs) (*jumpVM, error) {
	j := args.JumpVM
	name := args.Names.Plain("vm-jump")
	password, err := passwords.New(ctx, names.Name("jump-vm-admin-password"), names.Opts("jump-vm-admin-password")...)
	if err != nil {
		return nil, err
	}
	pip, err := aznetwork.NewPublicIPAddress(ctx, names.Name("jump-vm-ip"), &aznetwork.PublicIPAddressArgs{
		PublicIpAddressName:      pulumi.String("pip-" + name),
		ResourceGroupName:        args.ResourceGroupName,
		Location:                 pulumi.String(args.Location),
		Sku:                      &aznetwork.PublicIPAddressSkuArgs{Name: pulumi.String(string(aznetwork.PublicIPAddressSkuNameStandard))},
		PublicIPAllocationMethod: pulumi.String(string(aznetwork.IPAllocationMethodStatic)),
		Tags:                     args.Tags,
	}, names.Opts("jump-vm-ip")...)
	if err != nil {
		return nil, err
	}
	nic, err := aznetwork.NewNetworkInterface(ctx, names.Name("jump-vm-nic"), &aznetwork.NetworkInterfaceArgs{
		NetworkInterfaceName: pulumi.String("nic-" + name),
		ResourceGroupName:    args.ResourceGroupName,
		Location:             pulumi.String(args.Location),
		IpConfigurations: aznetwork.NetworkInterfaceIPConfigurationArray{
			aznetwork.NetworkInterfaceIPConfigurationArgs{
				Name:                      pulumi.String("ipconfig1"),
				Subnet:                    &aznetwork.SubnetTypeArgs{Id: j.SubnetID},
				PrivateIPAllocationMethod: pulumi.String(string(aznetwork.IPAllocationMethodDynamic)),
				PublicIPAddress:           &aznetwork.PublicIPAddressTypeArgs{Id: pip.ID().ToStringOutput()},
			},
		},
		Tags: args.Tags,
	}, names.Opts("jump-vm-nic")...)
	if err != nil {
		return nil, err
	}
	vm, err := azcompute.NewVirtualMachine(ctx, names.Name("jump-vm"), &azcompute.VirtualMachineArgs{
		VmName:            pulumi.String(name),
		ResourceGroupName: args.ResourceGroupName,
		Location:          pulumi.String(args.Location),
		HardwareProfile:   &azcompute.HardwareProfileArgs{VmSize: pulumi.String(j.Size)},
		LicenseType:       pulumi.String("Windows_Client"),
		OsProfile: &azcompute.OSProfileArgs{
			ComputerName:  pulumi.String("jumpbox"),
			AdminUsername: pulumi.String(j.AdminUsername),
			AdminPassword: password,
			WindowsConfiguration: &azcompute.WindowsConfigurationArgs{
				EnableAutomaticUpdates: pulumi.Bool(true),
				ProvisionVMAgent:       pulumi.Bool(true),
			},
		},
		StorageProfile: &azcompute.StorageProfileArgs{
			ImageReference: &azcompute.ImageReferenceArgs{
				Publisher: pulumi.String(j.Image.Publisher),
				Offer:     pulumi.String(j.Image.Offer),
				Sku:       pulumi.String(j.Image.Sku),
				Version:   pulumi.String("latest"),
			},
			OsDisk: &azcompute.OSDiskArgs{
				Name:         pulumi.String("osdisk-" + name),
				CreateOption: pulumi.String(string(azcompute.DiskCreateOptionTypesFromImage)),
				DeleteOption: pulumi.String(string(azcompute.DiskDeleteOptionTypesDelete)),
				ManagedDisk:  &azcompute.ManagedDiskParametersArgs{StorageAccountType: pulumi.String(string(azcompute.StorageAccountTypes_StandardSSD_LRS))},
			},
		},
		NetworkProfile: &azcompute.NetworkProfileArgs{
			NetworkInterfaces: azcompute.NetworkInterfaceReferenceArray{
				azcompute.NetworkInterfaceReferenceArgs{Id: nic.ID().ToStringOutput(), Primary: pulumi.Bool(true)},
			},
		},
		SecurityProfile: &azcompute.SecurityProfileArgs{
			SecurityType: pulumi.String(string(azcompute.SecurityTypesTrustedLaunch)),
			UefiSettings: &azcompute.UefiSettingsArgs{SecureBootEnabled: pulumi.Bool(true), VTpmEnabled: pulumi.Bool(true)},
		},
		Identity: &azcompute.VirtualMachineIdentityArgs{Type: azcompute.ResourceIdentityTypeSystemAssigned},
		DiagnosticsProfile: &azcompute.DiagnosticsProfileArgs{
			// No storageUri: boot diagnostics in Azure-managed storage.
			BootDiagnostics: &azcompute.BootDiagnosticsArgs{Enabled: pulumi.Bool(true)},
		},
		Tags: args.Tags,
	}, names.Opts("jump-vm")...)
	if err != nil {
		return nil, err
	}
	return &jumpVM{vm: vm, publicIP: pip.IpAddress.Elem(), password: password}, nil
}
