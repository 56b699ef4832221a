package fakeazure

import (
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

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
func Plain(v resource.PropertyValue) any { return toPlain(v, "[secret]", "[unknown]") }

// plainValue converts a property value to plain data looking through secrets; unknowns become
// the given marker.
func plainValue(v resource.PropertyValue, unknown string) any { return toPlain(v, "", unknown) }

// toPlain is the one walker over property values: secret, when not empty, replaces every
// secret; unknown replaces every unknown.
func toPlain(v resource.PropertyValue, secret, unknown string) any {
	switch {
	case v.IsSecret():
		if secret != "" {
			return secret
		}
		return toPlain(v.SecretValue().Element, secret, unknown)
	case v.IsComputed():
		return unknown
	case v.IsOutput():
		o := v.OutputValue()
		if o.Secret && secret != "" {
			return secret
		}
		if !o.Known {
			return unknown
		}
		return toPlain(o.Element, secret, unknown)
	case v.IsObject():
		out := map[string]any{}
		for k, e := range v.ObjectValue() {
			out[string(k)] = toPlain(e, secret, unknown)
		}
		return out
	case v.IsArray():
		out := []any{}
		for _, e := range v.ArrayValue() {
			out = append(out, toPlain(e, secret, unknown))
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
