package mockcloud

import (
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Key is the resource's "module:Type" (see TypeKey).
func (r *Resource) Key() string { return TypeKey(r.Type) }

// Short is "Type::name", a readable stand-in for a URN.
func Short(urn string) string {
	u := resource.URN(urn)
	if !u.IsValid() {
		return urn
	}
	return string(u.Type()) + "::" + u.Name()
}

// Input returns the input at a dotted path ("properties.sshSettings.sshPublicAccess",
// "ipRules.0.value"), looking through secrets. ok is false when any step is missing.
func (r *Resource) Input(path string) (resource.PropertyValue, bool) {
	return Lookup(r.Inputs, path)
}

// Lookup walks a property map along a dotted path.
func Lookup(m resource.PropertyMap, path string) (resource.PropertyValue, bool) {
	v := resource.NewProperty(m)
	for _, step := range strings.Split(path, ".") {
		for v.IsSecret() {
			v = v.SecretValue().Element
		}
		switch {
		case v.IsObject():
			next, ok := v.ObjectValue()[resource.PropertyKey(step)]
			if !ok {
				return resource.PropertyValue{}, false
			}
			v = next
		case v.IsArray():
			i, err := strconv.Atoi(step)
			if err != nil || i < 0 || i >= len(v.ArrayValue()) {
				return resource.PropertyValue{}, false
			}
			v = v.ArrayValue()[i]
		default:
			return resource.PropertyValue{}, false
		}
	}
	for v.IsSecret() {
		v = v.SecretValue().Element
	}
	return v, true
}

// Str returns a string input or "".
func (r *Resource) Str(path string) string {
	v, ok := r.Input(path)
	if !ok || !v.IsString() {
		return ""
	}
	return v.StringValue()
}

// Bool returns a bool input and whether it is set as a bool.
func (r *Resource) Bool(path string) (bool, bool) {
	v, ok := r.Input(path)
	if !ok || !v.IsBool() {
		return false, false
	}
	return v.BoolValue(), true
}

// Strings returns a list-of-strings input.
func (r *Resource) Strings(path string) []string {
	v, ok := r.Input(path)
	if !ok || !v.IsArray() {
		return nil
	}
	var out []string
	for _, e := range v.ArrayValue() {
		for e.IsSecret() {
			e = e.SecretValue().Element
		}
		if e.IsString() {
			out = append(out, e.StringValue())
		}
	}
	return out
}

// Plain converts a property value to plain JSON-able data; secrets become "[secret]" and
// unknowns "[unknown]", so snapshots never hold a secret.
func Plain(v resource.PropertyValue) any {
	switch {
	case v.IsSecret():
		return "[secret]"
	case v.IsComputed():
		return "[unknown]"
	case v.IsOutput():
		o := v.OutputValue()
		if o.Secret {
			return "[secret]"
		}
		if !o.Known {
			return "[unknown]"
		}
		return Plain(o.Element)
	case v.IsObject():
		out := map[string]any{}
		for k, e := range v.ObjectValue() {
			out[string(k)] = Plain(e)
		}
		return out
	case v.IsArray():
		out := []any{}
		for _, e := range v.ArrayValue() {
			out = append(out, Plain(e))
		}
		return out
	case v.IsNull():
		return nil
	case v.IsResourceReference():
		return "[resource " + string(v.ResourceReferenceValue().URN) + "]"
	case v.IsAsset():
		return "[asset " + v.AssetValue().Hash + "]"
	case v.IsArchive():
		return "[archive " + v.ArchiveValue().Hash + "]"
	}
	return v.V
}

// Find returns the custom resources of a "module:Type" key (or full token).
func (c *Cloud) Find(key string) []*Resource {
	var out []*Resource
	for _, r := range c.Resources() {
		if r.Custom && (r.Key() == key || r.Type == key) {
			out = append(out, r)
		}
	}
	return out
}

// ByName returns the one resource of a key with the given logical name, or nil.
func (c *Cloud) ByName(key, name string) *Resource {
	for _, r := range c.Find(key) {
		if r.Name == name {
			return r
		}
	}
	return nil
}

// ByURN returns the resource with this URN, or nil.
func (c *Cloud) ByURN(urn string) *Resource {
	for _, r := range c.Resources() {
		if r.URN == urn {
			return r
		}
	}
	return nil
}

// Clone returns a copy whose inputs can be changed without touching the recorded plan.
func (r *Resource) Clone() *Resource {
	c := *r
	c.Inputs = r.Inputs.Copy()
	for k, v := range c.Inputs {
		c.Inputs[k] = deepCopy(v)
	}
	return &c
}

func deepCopy(v resource.PropertyValue) resource.PropertyValue {
	switch {
	case v.IsObject():
		m := resource.PropertyMap{}
		for k, e := range v.ObjectValue() {
			m[k] = deepCopy(e)
		}
		return resource.NewProperty(m)
	case v.IsArray():
		var a []resource.PropertyValue
		for _, e := range v.ArrayValue() {
			a = append(a, deepCopy(e))
		}
		return resource.NewProperty(a)
	case v.IsSecret():
		return resource.MakeSecret(deepCopy(v.SecretValue().Element))
	}
	return v
}

// String makes a string property value.
func String(s string) resource.PropertyValue { return resource.NewProperty(s) }
