package main

import (
	"slices"
	"strconv"
	"testing"

	"azure-ml-security/internal/testing/fakeazure"
)

func TestComputeInstance(t *testing.T) {
	for _, stack := range stacks {
		t.Run(stack, func(t *testing.T) {
			cloud := mustPlan(t, stack, nil)
			ci := one(t, cloud, "machinelearningservices:Compute", "compute-instance")
			id := one(t, cloud, "managedidentity:UserAssignedIdentity", "workspace-identity")
			for path, want := range map[string]any{
				"properties.computeType":                                                      "ComputeInstance",
				"properties.disableLocalAuth":                                                 true,
				"properties.properties.enableNodePublicIp":                                    false,
				"properties.properties.vmSize":                                                "Standard_DS11_v2",
				"properties.properties.idleTimeBeforeShutdown":                                "PT30M",
				"properties.properties.sshSettings.sshPublicAccess":                           "Disabled",
				"properties.properties.computeInstanceAuthorizationType":                      "personal",
				"properties.properties.personalComputeInstanceSettings.assignedUser.objectId": fakeazure.DeployerObject,
				"properties.properties.personalComputeInstanceSettings.assignedUser.tenantId": fakeazure.TenantID,
				"identity.type": "UserAssigned",
			} {
				checkInput(t, ci, path, want)
			}
			if _, ok := ci.Input("properties.properties.sshSettings.adminPublicKey"); ok {
				t.Error("an admin public key is sent while SSH is disabled")
			}
			if got := ci.Strings("identity.userAssignedIdentities"); !slices.Equal(got, []string{id.ID}) {
				t.Errorf("compute identities %v", got)
			}
			if n := len(ci.Str("computeName")); n < 3 || n > 24 {
				t.Errorf("compute name %q is outside Azure's 3-24 characters", ci.Str("computeName"))
			}
			mustWait := append([]*fakeazure.Resource{one(t, cloud, "machinelearningservices:Workspace", "workspace-ml")},
				cloud.Find("machinelearningservices:ManagedNetworkSettingsRule")...)
			for _, r := range mustWait {
				if !slices.Contains(ci.Dependencies, r.URN) {
					t.Errorf("the compute instance does not wait for %s", r.Name)
				}
			}
		})
	}
	t.Run("SSH key and user", func(t *testing.T) {
		const key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB7test user@example"
		const user = "11111111-2222-3333-4444-555555555555"
		cloud := mustPlan(t, "dev", map[string]any{"computeInstanceSshPublicKey": key, "computeInstanceUserObjectId": user})
		ci := one(t, cloud, "machinelearningservices:Compute", "compute-instance")
		checkInput(t, ci, "properties.properties.sshSettings.sshPublicAccess", "Enabled")
		checkInput(t, ci, "properties.properties.sshSettings.adminPublicKey", key)
		checkInput(t, ci, "properties.properties.personalComputeInstanceSettings.assignedUser.objectId", user)
	})
}

func TestJumpVM(t *testing.T) {
	if n := len(mustPlan(t, "dev", nil).Find("compute:VirtualMachine")); n != 0 {
		t.Errorf("dev has %d VMs; the jump VM is off there", n)
	}
	cloud := mustPlan(t, "private", nil)
	vm := one(t, cloud, "compute:VirtualMachine", "compute-jump-vm")
	for path, want := range map[string]any{
		"storageProfile.imageReference.publisher":              "MicrosoftWindowsDesktop",
		"storageProfile.imageReference.offer":                  "windows-11",
		"storageProfile.osDisk.managedDisk.storageAccountType": "StandardSSD_LRS",
		"diagnosticsProfile.bootDiagnostics.enabled":           true,
		"identity.type":                                  "SystemAssigned",
		"securityProfile.securityType":                   "TrustedLaunch",
		"securityProfile.uefiSettings.secureBootEnabled": true,
		"hardwareProfile.vmSize":                         "Standard_B2s",
	} {
		checkInput(t, vm, path, want)
	}
	if !vm.Inputs["osProfile"].ObjectValue()["adminPassword"].IsSecret() {
		t.Error("the jump VM admin password is not a secret input")
	}
	nic := one(t, cloud, "network:NetworkInterface", "compute-jump-vm-nic")
	if nic.Str("ipConfigurations.0.subnet.id") != one(t, cloud, "network:Subnet", "network-snet-clients").ID {
		t.Error("the jump VM is not in the client subnet")
	}
	// RDP is admitted from the allowed address only, to the client subnet only.
	nsg := one(t, cloud, "network:NetworkSecurityGroup", "network-nsg")
	var rdp int
	for i := 0; ; i++ {
		rule := "securityRules." + strconv.Itoa(i)
		if _, ok := nsg.Input(rule); !ok {
			break
		}
		if nsg.Str(rule+".direction") == "Inbound" && nsg.Str(rule+".access") == "Allow" {
			rdp++
			if got := nsg.Strings(rule + ".sourceAddressPrefixes"); !slices.Equal(got, []string{"203.0.113.10"}) {
				t.Errorf("inbound rule sources %v, want the allowed address only", got)
			}
			if nsg.Str(rule+".destinationPortRange") != "3389" || nsg.Str(rule+".destinationAddressPrefix") != "10.60.1.0/24" {
				t.Errorf("inbound rule reaches %s:%s, want the client subnet on 3389", nsg.Str(rule+".destinationAddressPrefix"), nsg.Str(rule+".destinationPortRange"))
			}
		}
	}
	if rdp != 1 {
		t.Errorf("%d inbound allow rules, want exactly the RDP one", rdp)
	}
}
