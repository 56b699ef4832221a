package azureml

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/internal/testing/fakeazure"
)

// TestBindingRefusesIncompleteShapes: inputs that would reach Azure half-formed (the provider
// would send them unchecked) fail in the program instead.
func TestBindingRefusesIncompleteShapes(t *testing.T) {
	rg, ws := pulumi.String("rg"), pulumi.String("w")
	cases := map[string]pulumi.RunFunc{
		"SSH enabled without a key": func(ctx *pulumi.Context) error {
			_, err := NewComputeInstance(ctx, "c", &ComputeInstanceArgs{ResourceGroupName: rg, WorkspaceName: ws,
				AssignedUserObjectID: pulumi.String("u"), AssignedUserTenantID: pulumi.String("t"), SSHPublicAccess: SSHPublicAccessEnabled})
			return err
		},
		"blob datastore without a container": func(ctx *pulumi.Context) error {
			_, err := NewDatastore(ctx, "d", &DatastoreArgs{ResourceGroupName: rg, WorkspaceName: ws, AccountName: pulumi.String("a"), DatastoreType: DatastoreTypeAzureBlob})
			return err
		},
		"lake datastore without a filesystem": func(ctx *pulumi.Context) error {
			_, err := NewDatastore(ctx, "d", &DatastoreArgs{ResourceGroupName: rg, WorkspaceName: ws, AccountName: pulumi.String("a"), DatastoreType: DatastoreTypeAzureDataLakeGen2})
			return err
		},
		"unknown datastore type": func(ctx *pulumi.Context) error {
			_, err := NewDatastore(ctx, "d", &DatastoreArgs{ResourceGroupName: rg, WorkspaceName: ws, AccountName: pulumi.String("a"), DatastoreType: "AzureFiles"})
			return err
		},
		"rule name against the ARM pattern": func(ctx *pulumi.Context) error {
			_, err := NewManagedNetworkSettingsRule(ctx, "r", &ManagedNetworkSettingsRuleArgs{ResourceGroupName: rg, WorkspaceName: ws,
				RuleName: "x", PrivateEndpoint: &PrivateEndpointOutboundRuleArgs{ServiceResourceID: pulumi.String("/s"), SubresourceTarget: "blob"}})
			return err
		},
		"connection without a password": func(ctx *pulumi.Context) error {
			_, err := NewUsernamePasswordConnection(ctx, "c", &UsernamePasswordConnectionArgs{ResourceGroupName: rg, WorkspaceName: ws, Target: pulumi.String("t")})
			return err
		},
	}
	for name, program := range cases {
		t.Run(name, func(t *testing.T) {
			cloud := fakeazure.NewMonitor("p", "s", fakeazure.Options{})
			if err := pulumi.RunErr(program, pulumi.WithMocks("p", "s", cloud)); err == nil {
				t.Error("accepted")
			}
			if n := len(cloud.Resources()); n != 0 {
				t.Errorf("%d resources registered", n)
			}
		})
	}
}

// TestSecretsStaySecret: a password or client secret passed as plain text is sent as a secret.
func TestSecretsStaySecret(t *testing.T) {
	cloud := fakeazure.NewMonitor("p", "s", fakeazure.Options{})
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		rg, ws := pulumi.String("rg"), pulumi.String("w")
		if _, err := NewUsernamePasswordConnection(ctx, "c", &UsernamePasswordConnectionArgs{ResourceGroupName: rg, WorkspaceName: ws,
			ConnectionName: "sql", Category: ConnectionCategorySQL, Target: pulumi.String("t"), Username: pulumi.String("u"), Password: pulumi.String("plain")}); err != nil {
			return err
		}
		_, err := NewDatastore(ctx, "d", &DatastoreArgs{ResourceGroupName: rg, WorkspaceName: ws, Name: "blobs", AccountName: pulumi.String("a"),
			DatastoreType: DatastoreTypeAzureBlob, ContainerName: pulumi.String("c"),
			ServicePrincipal: &ServicePrincipalCredentials{ClientID: pulumi.String("id"), TenantID: pulumi.String("t"), ClientSecret: pulumi.String("plain")}})
		return err
	}, pulumi.WithMocks("p", "s", cloud))
	if err != nil {
		t.Fatal(err)
	}
	conn := cloud.Find("machinelearningservices:WorkspaceConnection")[0]
	if !conn.Inputs["properties"].ObjectValue()["credentials"].ObjectValue()["password"].IsSecret() {
		t.Error("connection password is plain")
	}
	ds := cloud.Find("machinelearningservices:Datastore")[0]
	if !ds.Inputs["datastoreProperties"].ObjectValue()["credentials"].ObjectValue()["secrets"].ObjectValue()["clientSecret"].IsSecret() {
		t.Error("datastore client secret is plain")
	}
}

func TestAPIVersion(t *testing.T) {
	for tok, want := range map[string]string{
		WorkspaceToken:                  "2024-10-01-preview",
		ManagedNetworkSettingsRuleToken: "2024-10-01",
		UserAssignedIdentityToken:       "",
	} {
		if got := APIVersion(tok); got != want {
			t.Errorf("APIVersion(%s) = %q, want %q", tok, got, want)
		}
	}
}
