package main

import (
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"azure-ml-security/internal/mockcloud"
)

func TestComputeInstance(t *testing.T) {
	for _, stack := range stacks {
		t.Run(stack, func(t *testing.T) {
			cloud := mustPlan(t, stack, nil)
			ci := one(t, cloud, "machinelearningservices:Compute", "compute-instance")
			id := one(t, cloud, "managedidentity:UserAssignedIdentity", "identity")
			for path, want := range map[string]any{
				"properties.computeType":                                                      "ComputeInstance",
				"properties.disableLocalAuth":                                                 true,
				"properties.properties.enableNodePublicIp":                                    false,
				"properties.properties.vmSize":                                                "Standard_DS11_v2",
				"properties.properties.idleTimeBeforeShutdown":                                "PT30M",
				"properties.properties.sshSettings.sshPublicAccess":                           "Disabled",
				"properties.properties.computeInstanceAuthorizationType":                      "personal",
				"properties.properties.personalComputeInstanceSettings.assignedUser.objectId": mockcloud.DeployerObject,
				"properties.properties.personalComputeInstanceSettings.assignedUser.tenantId": mockcloud.TenantID,
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
			mustWait := append([]*mockcloud.Resource{one(t, cloud, "machinelearningservices:Workspace", "workspace")},
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

// TestComputeToggle: turning the instance off deletes exactly the instance.
func TestComputeToggle(t *testing.T) {
	on := mustPlan(t, "dev", nil)
	off := mustPlan(t, "dev", map[string]any{"createComputeInstance": false})
	gone := diffURNs(on, off)
	if !slices.Equal(gone, []string{"compute-instance"}) {
		t.Errorf("turning the compute instance off removes %v, want [compute-instance]", gone)
	}
	if extra := diffURNs(off, on); len(extra) != 0 {
		t.Errorf("turning the compute instance off adds %v", extra)
	}
}

// diffURNs lists the logical names of resources in a and not in b.
func diffURNs(a, b *mockcloud.Cloud) []string {
	in := map[string]bool{}
	for _, r := range b.Resources() {
		in[r.URN] = true
	}
	var out []string
	for _, r := range a.Resources() {
		if !in[r.URN] {
			out = append(out, r.Name)
		}
	}
	slices.Sort(out)
	return out
}

func TestJumpVM(t *testing.T) {
	if n := len(mustPlan(t, "dev", nil).Find("compute:VirtualMachine")); n != 0 {
		t.Errorf("dev has %d VMs; the jump VM is off there", n)
	}
	cloud := mustPlan(t, "private", nil)
	vm := one(t, cloud, "compute:VirtualMachine", "jump-vm")
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
	nic := one(t, cloud, "network:NetworkInterface", "jump-vm-nic")
	if nic.Str("ipConfigurations.0.subnet.id") != one(t, cloud, "network:Subnet", "snet-clients").ID {
		t.Error("the jump VM is not in the client subnet")
	}
	// RDP is admitted from the allowed address only, to the client subnet only.
	nsg := one(t, cloud, "network:NetworkSecurityGroup", "nsg")
	var rdp int
	for i := 0; ; i++ {
		rule := "securityRules." + itoa(i)
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

// TestStackSwitchUpdatesInPlace plans dev, switches it to private (and toggles compute) and
// checks that no resource present in both plans changes a replacement key: azure-native
// replaces a resource when a URL path parameter changes (azure-reference.md §1), and a
// replaced workspace, storage account, key vault, registry or SQL server loses its data.
func TestStackSwitchUpdatesInPlace(t *testing.T) {
	switches := []struct {
		name    string
		from    map[string]any
		to      map[string]any
		changed []string // stateful resources whose inputs must change (so the test is not vacuous)
	}{
		{"dev to private", nil, map[string]any{"privateWorkspace": true, "createJumpVm": true, "uploadSampleData": false},
			[]string{"workspace", "storage", "key-vault", "registry", "lake", "blob", "sql-server"}},
		{"compute off and on", map[string]any{"createComputeInstance": false}, nil, nil},
		{"private to dev", map[string]any{"privateWorkspace": true, "createJumpVm": true}, nil,
			[]string{"workspace", "storage", "key-vault", "registry", "lake", "blob", "sql-server"}},
	}
	stateful := []string{"machinelearningservices:Workspace", "storage:StorageAccount", "keyvault:Vault",
		"containerregistry:Registry", "sql:Server", "sql:Database", "resources:ResourceGroup", "managedidentity:UserAssignedIdentity"}
	for _, sw := range switches {
		t.Run(sw.name, func(t *testing.T) {
			a, b := mustPlan(t, "dev", sw.from), mustPlan(t, "dev", sw.to)
			checked := 0
			for _, ra := range a.Resources() {
				rb := b.ByURN(ra.URN)
				if rb == nil || !ra.Custom {
					continue
				}
				for _, key := range mockcloud.ReplaceKeys(ra.Type) {
					va, vb := mockcloud.Plain(ra.Inputs[resource.PropertyKey(key)]), mockcloud.Plain(rb.Inputs[resource.PropertyKey(key)])
					if va != vb {
						t.Errorf("%s %s: replacement key %s changes %v -> %v (the resource would be replaced)", ra.Key(), ra.Name, key, va, vb)
					}
				}
				if ra.Type == "random:index/randomString:RandomString" && !ra.Inputs.DeepEquals(rb.Inputs) {
					t.Error("the name suffix's inputs change: every name would change")
				}
				checked++
			}
			for _, key := range stateful {
				for _, r := range a.Find(key) {
					if b.ByURN(r.URN) == nil {
						t.Errorf("stateful %s %s disappears in the switch", key, r.Name)
					}
				}
			}
			for _, name := range sw.changed {
				var ra *mockcloud.Resource
				for _, r := range a.Resources() {
					if r.Custom && r.Name == name && slices.Contains(stateful, r.Key()) {
						ra = r
					}
				}
				if ra == nil {
					t.Errorf("no stateful resource %s", name)
					continue
				}
				if rb := b.ByURN(ra.URN); rb != nil && ra.Inputs.DeepEquals(rb.Inputs) {
					t.Errorf("%s does not change in the switch; the test would not notice a replacement", name)
				}
			}
			if checked < 20 {
				t.Errorf("only %d resources compared", checked)
			}
		})
	}
}

// TestPrivateStackHasNoPublicDataPath: every workspace, storage, vault, registry and SQL
// resource of the private stack has public network access Disabled and a private endpoint.
func TestPrivateStackHasNoPublicDataPath(t *testing.T) {
	cloud := mustPlan(t, "private", nil)
	endpointTargets := map[string]bool{}
	for _, pe := range cloud.Find("network:PrivateEndpoint") {
		endpointTargets[pe.Str("privateLinkServiceConnections.0.privateLinkServiceId")] = true
	}
	paths := map[string]string{
		"machinelearningservices:Workspace": "publicNetworkAccess",
		"storage:StorageAccount":            "publicNetworkAccess",
		"keyvault:Vault":                    "properties.publicNetworkAccess",
		"containerregistry:Registry":        "publicNetworkAccess",
		"sql:Server":                        "publicNetworkAccess",
	}
	n := 0
	for key, path := range paths {
		for _, r := range cloud.Find(key) {
			n++
			checkInput(t, r, path, "Disabled")
			if !endpointTargets[r.ID] {
				t.Errorf("%s %s has no private endpoint", key, r.Name)
			}
		}
	}
	if n != 7 {
		t.Errorf("checked %d resources, want 7 (workspace, 3 storage accounts, vault, registry, SQL server)", n)
	}
	if rules := cloud.Find("sql:FirewallRule"); len(rules) != 0 {
		t.Errorf("%d SQL firewall rules in the private stack", len(rules))
	}
	for _, r := range cloud.Resources() {
		if strings.Contains(r.Type, "PublicIPAddress") && r.Name != "jump-vm-ip" {
			t.Errorf("unexpected public IP %s", r.Name)
		}
	}
}
