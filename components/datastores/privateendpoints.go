package datastores

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/internal/privatelink"
)

// newPrivateEndpoints gives the customer VNet a private endpoint to every group of every
// target, so that the jump VM reaches the data privately when public access on it is off.
func newPrivateEndpoints(ctx *pulumi.Context, w *wiring) error {
	for _, t := range w.targets {
		for _, group := range t.groups {
			name := t.name + "-" + privatelink.Short(group)
			if _, err := w.args.PrivateLink.NewEndpoint(ctx, w.names, name, w.stores[t.name].id, group); err != nil {
				return err
			}
		}
	}
	return nil
}
