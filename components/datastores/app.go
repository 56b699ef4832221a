package datastores

import (
	"github.com/pulumi/pulumi-azuread/sdk/v5/go/azuread"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// secretLifetime is how long the app's secret is valid (about six months); a later `pulumi up`
// after `pulumi config set` of nothing does not rotate it, a replacement of the password does.
const secretLifetime = "4380h"

type entraApp struct {
	app      *azuread.Application
	sp       *azuread.ServicePrincipal
	password *azuread.ApplicationPassword
}

// newApp creates the Entra ID application whose secret the datastores can use (the step the
// older setup left manual), its service principal and the secret. The deployer owns both, so
// the team that deployed can rotate the secret without a directory administrator.
func newApp(ctx *pulumi.Context, w *wiring) (*entraApp, error) {
	owners := pulumi.StringArray{pulumi.String(w.args.Deployer.ObjectID)}
	app, err := azuread.NewApplication(ctx, w.names.Name("app"), &azuread.ApplicationArgs{
		DisplayName:    w.args.Names.Dashed("app-datastores"),
		Owners:         owners,
		SignInAudience: pulumi.String("AzureADMyOrg"),
	}, w.names.Parented()...)
	if err != nil {
		return nil, err
	}
	sp, err := azuread.NewServicePrincipal(ctx, w.names.Name("sp"), &azuread.ServicePrincipalArgs{
		ClientId: app.ClientId,
		Owners:   owners,
	}, w.names.Parented()...)
	if err != nil {
		return nil, err
	}
	pw, err := azuread.NewApplicationPassword(ctx, w.names.Name("secret"), &azuread.ApplicationPasswordArgs{
		ApplicationId:   app.ID(),
		DisplayName:     pulumi.String("azure-ml-security datastores"),
		EndDateRelative: pulumi.String(secretLifetime),
	}, w.names.Parented()...)
	if err != nil {
		return nil, err
	}
	return &entraApp{app: app, sp: sp, password: pw}, nil
}
