// Package passwords generates the program's passwords (SQL administrator, jump VM
// administrator) one way: 24 random characters with at least two of each class, kept in state
// as a secret by pulumi-random.
package passwords

import (
	"github.com/pulumi/pulumi-random/sdk/v4/go/random"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// specials leaves out ; ' " = and spaces, which would need escaping in a SQL connection
// string or a shell.
const specials = "!#%*-_+"

// New creates a generated password resource and returns its value as a secret. It meets the
// complexity rules of Azure SQL and Windows (three of four character classes, 8-128 chars).
func New(ctx *pulumi.Context, name string, opts ...pulumi.ResourceOption) (pulumi.StringOutput, error) {
	pw, err := random.NewRandomPassword(ctx, name, &random.RandomPasswordArgs{
		Length:          pulumi.Int(24),
		Special:         pulumi.Bool(true),
		OverrideSpecial: pulumi.String(specials),
		MinUpper:        pulumi.Int(2),
		MinLower:        pulumi.Int(2),
		MinNumeric:      pulumi.Int(2),
		MinSpecial:      pulumi.Int(2),
	}, opts...)
	if err != nil {
		return pulumi.StringOutput{}, err
	}
	return pulumi.ToSecret(pw.Result).(pulumi.StringOutput), nil
}
