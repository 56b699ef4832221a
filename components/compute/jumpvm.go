package compute

import (
	"github.com/pulumi/pulumi-azure-native-sdk/compute/v2"
	"github.com/pulumi/pulumi-azure-native-sdk/network/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/internal/passwords"
)

type jumpVM struct {
	vm       *compute.VirtualMachine
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
func newJumpVM(ctx *pulumi.Context, args *ComputeArgs, parent pulumi.ResourceOption) (*jumpVM, error) {
	j := args.JumpVM
	name := args.Names.Plain("vm-jump")
	password, err := passwords.New(ctx, "jump-vm-admin-password", parent)
	if err != nil {
		return nil, err
	}
	pip, err := network.NewPublicIPAddress(ctx, "jump-vm-ip", &network.PublicIPAddressArgs{
		PublicIpAddressName:      pulumi.String("pip-" + name),
		ResourceGroupName:        args.ResourceGroupName,
		Location:                 pulumi.String(args.Location),
		Sku:                      &network.PublicIPAddressSkuArgs{Name: pulumi.String(string(network.PublicIPAddressSkuNameStandard))},
		PublicIPAllocationMethod: pulumi.String(string(network.IPAllocationMethodStatic)),
		Tags:                     args.Tags,
	}, parent)
	if err != nil {
		return nil, err
	}
	nic, err := network.NewNetworkInterface(ctx, "jump-vm-nic", &network.NetworkInterfaceArgs{
		NetworkInterfaceName: pulumi.String("nic-" + name),
		ResourceGroupName:    args.ResourceGroupName,
		Location:             pulumi.String(args.Location),
		IpConfigurations: network.NetworkInterfaceIPConfigurationArray{
			network.NetworkInterfaceIPConfigurationArgs{
				Name:                      pulumi.String("ipconfig1"),
				Subnet:                    &network.SubnetTypeArgs{Id: j.SubnetID},
				PrivateIPAllocationMethod: pulumi.String(string(network.IPAllocationMethodDynamic)),
				PublicIPAddress:           &network.PublicIPAddressTypeArgs{Id: pip.ID().ToStringOutput()},
			},
		},
		Tags: args.Tags,
	}, parent)
	if err != nil {
		return nil, err
	}
	vm, err := compute.NewVirtualMachine(ctx, "jump-vm", &compute.VirtualMachineArgs{
		VmName:            pulumi.String(name),
		ResourceGroupName: args.ResourceGroupName,
		Location:          pulumi.String(args.Location),
		HardwareProfile:   &compute.HardwareProfileArgs{VmSize: pulumi.String(j.Size)},
		LicenseType:       pulumi.String("Windows_Client"),
		OsProfile: &compute.OSProfileArgs{
			ComputerName:  pulumi.String("jumpbox"),
			AdminUsername: pulumi.String(j.AdminUsername),
			AdminPassword: password,
			WindowsConfiguration: &compute.WindowsConfigurationArgs{
				EnableAutomaticUpdates: pulumi.Bool(true),
				ProvisionVMAgent:       pulumi.Bool(true),
			},
		},
		StorageProfile: &compute.StorageProfileArgs{
			ImageReference: &compute.ImageReferenceArgs{
				Publisher: pulumi.String(j.Image.Publisher),
				Offer:     pulumi.String(j.Image.Offer),
				Sku:       pulumi.String(j.Image.Sku),
				Version:   pulumi.String("latest"),
			},
			OsDisk: &compute.OSDiskArgs{
				Name:         pulumi.String("osdisk-" + name),
				CreateOption: pulumi.String(string(compute.DiskCreateOptionTypesFromImage)),
				DeleteOption: pulumi.String(string(compute.DiskDeleteOptionTypesDelete)),
				ManagedDisk:  &compute.ManagedDiskParametersArgs{StorageAccountType: pulumi.String(string(compute.StorageAccountTypes_StandardSSD_LRS))},
			},
		},
		NetworkProfile: &compute.NetworkProfileArgs{
			NetworkInterfaces: compute.NetworkInterfaceReferenceArray{
				compute.NetworkInterfaceReferenceArgs{Id: nic.ID().ToStringOutput(), Primary: pulumi.Bool(true)},
			},
		},
		SecurityProfile: &compute.SecurityProfileArgs{
			SecurityType: pulumi.String(string(compute.SecurityTypesTrustedLaunch)),
			UefiSettings: &compute.UefiSettingsArgs{SecureBootEnabled: pulumi.Bool(true), VTpmEnabled: pulumi.Bool(true)},
		},
		Identity: &compute.VirtualMachineIdentityArgs{Type: compute.ResourceIdentityTypeSystemAssigned},
		DiagnosticsProfile: &compute.DiagnosticsProfileArgs{
			// No storageUri: boot diagnostics in Azure-managed storage.
			BootDiagnostics: &compute.BootDiagnosticsArgs{Enabled: pulumi.Bool(true)},
		},
		Tags: args.Tags,
	}, parent)
	if err != nil {
		return nil, err
	}
	return &jumpVM{vm: vm, publicIP: pip.IpAddress.Elem(), password: password}, nil
}
