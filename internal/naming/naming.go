// Package naming derives every Azure resource name from the workload name and one random
// suffix, so that names are globally unique, stable across updates and identical between the
// dev and private configurations of a stack (a name is a replacement key in azure-native).
package naming

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-random/sdk/v4/go/random"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// SuffixLength is the length of the random suffix. settings.MaxWorkloadLen is chosen so that
// the longest derived name, a storage account's "dls" + workload + suffix, stays within Azure's
// 24 characters (TestDerivedNamesKeepAzureRules checks every name against its rule).
const SuffixLength = 6

// Names builds resource names. Globally unique names (storage accounts, key vault, registry,
// workspace, SQL server, compute instance) carry the random suffix.
type Names struct {
	workload string
	suffix   pulumi.StringOutput
}

// New creates the random suffix as a child of parent (nil for the stack) and returns the
// name builder. The suffix lives in state, so it never changes after the first `pulumi up`.
func New(ctx *pulumi.Context, workload string, opts ...pulumi.ResourceOption) (*Names, error) {
	suffix, err := random.NewRandomString(ctx, "name-suffix", &random.RandomStringArgs{
		Length:  pulumi.Int(SuffixLength),
		Lower:   pulumi.Bool(true),
		Upper:   pulumi.Bool(false),
		Numeric: pulumi.Bool(true),
		Special: pulumi.Bool(false),
	}, opts...)
	if err != nil {
		return nil, err
	}
	return &Names{workload: workload, suffix: suffix.Result}, nil
}

// Plain returns "<prefix>-<workload>" for names unique only within the resource group.
func (n *Names) Plain(prefix string) string {
	return fmt.Sprintf("%s-%s", prefix, n.workload)
}

// Dashed returns "<prefix>-<workload>-<suffix>" (key vault, workspace, SQL server, compute).
func (n *Names) Dashed(prefix string) pulumi.StringOutput {
	return pulumi.Sprintf("%s-%s-%s", prefix, n.workload, n.suffix)
}

// Compute returns "<prefix>-<workload>-<suffix>" for a compute in the workspace, with an "x"
// after a suffix of digits only: Azure refuses a compute name that ends in -<digits>
// (^[a-zA-Z](?![a-zA-Z0-9-]*-\d+$)[a-zA-Z0-9\-]{2,23}$, Azure/bicep-types-az's generated
// reference of workspaces/computes; "If - character is used, then it needs to be followed by
// at least one letter later in the name", Microsoft Learn, how-to-create-compute-instance).
// Other suffixes keep the name the program always gave, so existing instances keep theirs.
func (n *Names) Compute(prefix string) pulumi.StringOutput {
	return n.suffix.ApplyT(func(s string) string {
		name := fmt.Sprintf("%s-%s-%s", prefix, n.workload, s)
		if strings.Trim(s, "0123456789") == "" {
			name += "x"
		}
		return name
	}).(pulumi.StringOutput)
}

// Compact returns "<prefix><workload><suffix>" for names that allow only letters and digits
// (storage accounts, container registry).
func (n *Names) Compact(prefix string) pulumi.StringOutput {
	return pulumi.Sprintf("%s%s%s", prefix, n.workload, n.suffix)
}

// Workload is the workload name itself.
func (n *Names) Workload() string { return n.workload }
