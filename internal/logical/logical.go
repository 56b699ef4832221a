// Package logical names the Pulumi resources (not the Azure ones, see internal/naming) that a
// component creates: every child is "<component>-<child>", so that two instances of a
// component can live in one stack, and carries an alias to the bare "<child>" name that
// versions before this naming used, so that their stacks are updated in place instead of
// having every child deleted and created again.
package logical

import "github.com/pulumi/pulumi/sdk/v3/go/pulumi"

// Names derives the logical names of one component's children.
type Names struct {
	component string
	parent    pulumi.Resource
}

// New returns the names of the children of a component registered as name.
func New(name string, component pulumi.Resource) Names {
	return Names{component: name, parent: component}
}

// Name is the logical name of a child: "<component>-<child>".
func (n Names) Name(child string) string { return n.component + "-" + child }

// Opts are the options every child gets: the component as parent and the alias to its former
// bare name (same parent, type and project), then any extra options.
func (n Names) Opts(child string, extra ...pulumi.ResourceOption) []pulumi.ResourceOption {
	return n.Formerly(child, extra...)
}

// Formerly are the options of a child that was named former before this naming: the component
// as parent and the alias to former.
func (n Names) Formerly(former string, extra ...pulumi.ResourceOption) []pulumi.ResourceOption {
	return append([]pulumi.ResourceOption{
		pulumi.Parent(n.parent),
		pulumi.Aliases([]pulumi.Alias{{Name: pulumi.String(former)}}),
	}, extra...)
}

// Parented are the options of a child whose name was "<component>-<child>" already: the
// component as parent, then any extra options.
func (n Names) Parented(extra ...pulumi.ResourceOption) []pulumi.ResourceOption {
	return append([]pulumi.ResourceOption{pulumi.Parent(n.parent)}, extra...)
}
