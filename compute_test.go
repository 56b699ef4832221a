package main

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"azure-ml-security/internal/rbac"
	"azure-ml-security/internal/testing/fakeazure"
)

func TestComputeInstance(t *testing.T) {
	for _, stack := range stacks {
		t.Run(stack, func(t *testing.T) {
			cloud := mustPlan(t, stack, nil)
			ci := one(t, cloud, "machinelearningservices:Compute", "compute-instance")
			id := one(t, cloud, "managedidentity:UserAssignedIdentity", "compute-instance-identity")
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
			mustWait := append([]*fakeazure.Resource{one(t, cloud, "machinelearningservices:Workspace", "workspace-ml"),
				one(t, cloud, "authorization:RoleAssignment", "compute-instance-identity-workspace-contributor")},
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

// TestComputeInstanceIdentity (S1, U1): the instance runs as its own identity, not the
// workspace's, with exactly Contributor on the workspace (idle shutdown) and Storage Blob Data
// Reader on the data accounts.
func TestComputeInstanceIdentity(t *testing.T) {
	cloud := mustPlan(t, "dev", nil)
	ci := one(t, cloud, "machinelearningservices:Compute", "compute-instance")
	id := one(t, cloud, "managedidentity:UserAssignedIdentity", "compute-instance-identity")
	if ci.Strings("identity.userAssignedIdentities")[0] == one(t, cloud, "managedidentity:UserAssignedIdentity", "workspace-identity").ID {
		t.Fatal("the compute instance runs as the workspace identity")
	}
	want := map[string]rbac.Role{
		one(t, cloud, "machinelearningservices:Workspace", "workspace-ml").ID: rbac.Contributor,
		one(t, cloud, "storage:StorageAccount", "datastores-lake").ID:         rbac.StorageBlobDataReader,
		one(t, cloud, "storage:StorageAccount", "datastores-blob").ID:         rbac.StorageBlobDataReader,
	}
	principal := id.Outputs["principalId"].StringValue()
	n := 0
	for _, ra := range cloud.Find("authorization:RoleAssignment") {
		if ra.Str("principalId") != principal {
			continue
		}
		n++
		if role, ok := want[ra.Str("scope")]; !ok || !strings.HasSuffix(ra.Str("roleDefinitionId"), "/"+string(role)) {
			t.Errorf("unexpected grant to the compute identity: %s on %s", ra.Str("roleDefinitionId"), ra.Str("scope"))
		}
		if !slices.Contains(ci.Dependencies, ra.URN) {
			t.Errorf("the instance does not wait for %s", ra.Name)
		}
	}
	if n != len(want) {
		t.Errorf("%d grants to the compute identity, want %d", n, len(want))
	}
}

// TestComputeInstanceIsReplacedNotUpdated (F6): Azure keeps a compute instance's properties on
// a PUT, so a change replaces it, deleting the old one first (its name is fixed).
func TestComputeInstanceIsReplacedNotUpdated(t *testing.T) {
	cloud := mustPlan(t, "dev", nil)
	for _, name := range []string{"compute-instance"} {
		ci := one(t, cloud, "machinelearningservices:Compute", name)
		for _, k := range []string{"properties", "identity", "tags", "location"} {
			if !slices.Contains(ci.ReplaceOnChanges, k) {
				t.Errorf("%s is updated in place when %s changes", name, k)
			}
		}
		if !ci.DeleteBeforeReplace {
			t.Errorf("%s is not deleted before its replacement", name)
		}
	}
	cl := one(t, mustPlan(t, "dev", map[string]any{"createComputeInstance": false}), "machinelearningservices:Compute", "compute-build-cluster")
	for _, k := range []string{"properties", "tags", "location"} {
		if !slices.Contains(cl.ReplaceOnChanges, k) {
			t.Errorf("the build cluster is updated in place when %s changes", k)
		}
	}
	if !cl.DeleteBeforeReplace {
		t.Error("the build cluster is not deleted before its replacement")
	}
}

// TestRoleAssignmentsAreReplacedNotUpdated (F6): Azure refuses to change an assignment's
// principal, role or scope (RoleAssignmentUpdateNotPermitted), so every grant of every stack
// is replaced when one changes, the old one first (the new one may be identical:
// RoleAssignmentExists).
func TestRoleAssignmentsAreReplacedNotUpdated(t *testing.T) {
	for _, stack := range stacks {
		for _, ra := range mustPlan(t, stack, nil).Find("authorization:RoleAssignment") {
			for _, k := range []string{"principalId", "principalType", "roleDefinitionId", "scope"} {
				if !slices.Contains(ra.ReplaceOnChanges, k) {
					t.Errorf("%s: %s is updated in place when %s changes", stack, ra.Name, k)
				}
			}
			if !ra.DeleteBeforeReplace {
				t.Errorf("%s: %s is not deleted before its replacement", stack, ra.Name)
			}
		}
	}
}

// TestImageBuildCompute (U5): with the registry behind the network, images build on a named
// compute: the instance, or without one a cluster of 0 to 1 nodes without a public IP.
func TestImageBuildCompute(t *testing.T) {
	cloud := mustPlan(t, "dev", nil)
	ws := one(t, cloud, "machinelearningservices:Workspace", "workspace-ml")
	checkInput(t, ws, "imageBuildCompute", one(t, cloud, "machinelearningservices:Compute", "compute-instance").Str("computeName"))
	cloud = mustPlan(t, "private", map[string]any{"createComputeInstance": false})
	ws = one(t, cloud, "machinelearningservices:Workspace", "workspace-ml")
	cl := one(t, cloud, "machinelearningservices:Compute", "compute-build-cluster")
	checkInput(t, ws, "imageBuildCompute", cl.Str("computeName"))
	for path, want := range map[string]any{
		"properties.computeType": "AmlCompute", "properties.disableLocalAuth": true,
		"properties.properties.scaleSettings.minNodeCount": float64(0), "properties.properties.enableNodePublicIp": false,
		"properties.properties.remoteLoginPortPublicAccess": "Disabled",
	} {
		checkInput(t, cl, path, want)
	}
}

// TestPrivateSSHRecords (U4): a private workspace's instance with SSH gets the zone
// instances.azureml.ms, linked to the VNet, with <instance>.<region> and <instance>-22.<region>
// pointing at the workspace's private endpoint.
func TestPrivateSSHRecords(t *testing.T) {
	const key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB7test user@example"
	if n := len(mustPlan(t, "private", nil).Find("network:PrivateRecordSet")); n != 0 {
		t.Errorf("%d SSH records without SSH", n)
	}
	cloud := mustPlan(t, "private", map[string]any{"computeInstanceSshPublicKey": key})
	zone := zoneNamed(cloud, "instances.azureml.ms")
	if zone == nil {
		t.Fatal("no instances.azureml.ms zone")
	}
	ci := one(t, cloud, "machinelearningservices:Compute", "compute-instance").Str("computeName")
	pe := one(t, cloud, "network:PrivateEndpoint", "workspace-pe-workspace")
	ip := pe.Outputs["customDnsConfigs"].ArrayValue()[0].ObjectValue()["ipAddresses"].ArrayValue()[0].StringValue()
	var got []string
	for _, r := range cloud.Find("network:PrivateRecordSet") {
		checkInput(t, r, "privateZoneName", "instances.azureml.ms")
		checkInput(t, r, "aRecords.0.ipv4Address", ip)
		got = append(got, r.Str("relativeRecordSetName"))
	}
	slices.Sort(got)
	if want := []string{ci + "-22.eastus2", ci + ".eastus2"}; !slices.Equal(got, want) {
		t.Errorf("records %v, want %v", got, want)
	}
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
			if got := nsg.Strings(rule + ".sourceAddressPrefixes"); !slices.Equal(got, []string{"1.2.3.4"}) {
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

// TestOIDCDeployer (U2): a deployer signed in as a service principal (Pulumi Deployments'
// OIDC login) gets its grants as a ServicePrincipal and is the SQL server's Entra
// administrator as an Application; a configured type that is wrong is what Azure refuses.
func TestOIDCDeployer(t *testing.T) {
	cfg := loadStack(t, "dev")
	m, err := plan(t, "dev", cfg, fakeazure.Options{DeployerType: fakeazure.PrincipalServicePrincipal})
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Err(); err != nil {
		t.Fatal(err)
	}
	storage := one(t, m, "storage:StorageAccount", "workspace-storage").ID
	if ra := grantOn(m, storage, rbac.StorageBlobDataContributor, fakeazure.DeployerObject); ra == nil || ra.Str("principalType") != rbac.PrincipalServicePrincipal {
		t.Errorf("the deployer's grant is not of a ServicePrincipal: %v", ra)
	}
	// SQL knows an application by its client id, not its service principal's object id.
	server := one(t, m, "sql:Server", "datastores-sql-server")
	checkInput(t, server, "administrators.principalType", "Application")
	checkInput(t, server, "administrators.sid", fakeazure.DeployerAppClient)
	if err := cfg.Set("deployerPrincipalType", "User", false); err != nil {
		t.Fatal(err)
	}
	m, err = plan(t, "dev", cfg, fakeazure.Options{DeployerType: fakeazure.PrincipalServicePrincipal})
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Err(); err == nil || !strings.Contains(err.Error(), "principal-type-mismatch") {
		t.Errorf("a service principal declared as a User: %v", err)
	}
}
