package schemacheck

import (
	"fmt"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Problem is one mismatch between an input and the type definitions.
type Problem struct {
	Path    string // e.g. "properties.properties.sshSettings.sshPublicAccess"
	Message string
}

func (p Problem) String() string { return p.Path + ": " + p.Message }

// Check checks the inputs of one resource of the given azure-native token. An error means the
// schema could not be read (or the token does not exist); problems are the mismatches.
func (s *Schema) Check(token string, inputs resource.PropertyMap) ([]Problem, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	args, err := s.resourceArgs(token)
	if err != nil {
		return nil, err
	}
	c := &checker{s: s}
	c.object(resource.NewProperty(inputs), args, "")
	if c.err != nil {
		return nil, c.err
	}
	sort.Slice(c.problems, func(i, j int) bool { return c.problems[i].Path < c.problems[j].Path })
	return c.problems, nil
}

// Required returns the inputs the token's Args interface requires (no `?`), sorted.
func (s *Schema) Required(token string) ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	args, err := s.resourceArgs(token)
	if err != nil {
		return nil, err
	}
	var out []string
	for name, f := range args.fields {
		if !f.optional {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out, nil
}

type checker struct {
	s        *Schema
	problems []Problem
	err      error
}

func (c *checker) report(path, format string, args ...any) {
	c.problems = append(c.problems, Problem{Path: path, Message: fmt.Sprintf(format, args...)})
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func unwrap(v resource.PropertyValue) (resource.PropertyValue, bool) {
	for {
		switch {
		case v.IsSecret():
			v = v.SecretValue().Element
		case v.IsOutput():
			o := v.OutputValue()
			if !o.Known {
				return v, false
			}
			v = o.Element
		case v.IsComputed():
			return v, false
		default:
			return v, true
		}
	}
}

// object checks an object value against an interface: every key must be a field, and every
// field the interface does not mark optional (`?`) must be there.
func (c *checker) object(v resource.PropertyValue, in *iface, path string) {
	obj := v.ObjectValue()
	for name, f := range in.fields {
		if e, ok := obj[resource.PropertyKey(name)]; !f.optional && (!ok || e.IsNull()) {
			c.report(join(path, name), "required input missing in %s", in.name)
		}
	}
	for k, e := range obj {
		f, ok := in.fields[string(k)]
		if !ok {
			c.report(join(path, string(k)), "no such input in %s (known: %s)", in.name, fieldNames(in))
			continue
		}
		c.value(e, f.t, join(path, string(k)))
	}
}

func fieldNames(in *iface) string {
	names := make([]string, 0, len(in.fields))
	for n := range in.fields {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// members flattens a type into its union members.
func members(t *typ) []*typ {
	if t.kind == "union" {
		return t.members
	}
	return []*typ{t}
}

func (c *checker) value(raw resource.PropertyValue, t *typ, path string) {
	if c.err != nil {
		return
	}
	v, known := unwrap(raw)
	if !known || v.IsNull() {
		return
	}
	ms := members(t)
	for _, m := range ms {
		if m.kind == "prim" && m.name == "any" {
			return
		}
	}
	switch {
	case v.IsString():
		c.str(v.StringValue(), ms, path)
	case v.IsNumber():
		c.prim("number", ms, path)
	case v.IsBool():
		c.prim("boolean", ms, path)
	case v.IsAsset() || v.IsArchive():
		for _, m := range ms {
			if m.kind == "asset" {
				return
			}
		}
		c.report(path, "an asset is not allowed here (%s)", t)
	case v.IsArray():
		var elem *typ
		for _, m := range ms {
			if m.kind == "array" {
				elem = m.elem
			}
		}
		if elem == nil {
			c.report(path, "a list is not allowed here (%s)", t)
			return
		}
		for i, e := range v.ArrayValue() {
			c.value(e, elem, fmt.Sprintf("%s.%d", path, i))
		}
	case v.IsObject():
		c.objectValue(v, ms, t, path)
	}
}

func (c *checker) prim(kind string, ms []*typ, path string) {
	for _, m := range ms {
		if m.kind == "prim" && m.name == kind {
			return
		}
	}
	c.report(path, "a %s is not allowed here (%s)", kind, (&typ{kind: "union", members: ms}))
}

// str accepts a string where the type has plain string and no enum; otherwise the value must
// be one of the enum values or literals the type lists.
func (c *checker) str(s string, ms []*typ, path string) {
	plain, constrained := false, false
	allowed := map[string]bool{}
	for _, m := range ms {
		switch {
		case m.kind == "prim" && m.name == "string":
			plain = true
		case m.kind == "literal":
			constrained = true
			allowed[m.name] = true
		case m.kind == "ref" && strings.HasPrefix(m.name, "enums."):
			constrained = true
			vals, err := c.s.enum(m.name)
			if err != nil {
				c.err = err
				return
			}
			for v := range vals {
				allowed[v] = true
			}
		}
	}
	if constrained {
		if !allowed[s] {
			c.report(path, "%q is not one of %s", s, sortedKeys(allowed))
		}
		return
	}
	if !plain {
		c.report(path, "a string is not allowed here (%s)", (&typ{kind: "union", members: ms}))
	}
}

func sortedKeys(m map[string]bool) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return "[" + strings.Join(keys, ", ") + "]"
}

// objectValue checks an object against the object members of a union: a map, one interface,
// or a discriminated union of interfaces (the member whose literal discriminator matches).
func (c *checker) objectValue(v resource.PropertyValue, ms []*typ, t *typ, path string) {
	var ifaces []*iface
	for _, m := range ms {
		switch {
		case m.kind == "map":
			for k, e := range v.ObjectValue() {
				c.value(e, m.elem, join(path, string(k)))
			}
			return
		case m.kind == "ref" && strings.HasPrefix(m.name, "inputs."):
			in, err := c.s.input(m.name)
			if err != nil {
				c.err = err
				return
			}
			ifaces = append(ifaces, in)
		}
	}
	switch len(ifaces) {
	case 0:
		c.report(path, "an object is not allowed here (%s)", t)
	case 1:
		c.object(v, ifaces[0], path)
	default:
		in, problem := discriminate(v.ObjectValue(), ifaces)
		if in == nil {
			c.report(path, "%s", problem)
			return
		}
		c.object(v, in, path)
	}
}

// discriminate picks the union member whose literal-typed field equals the value's.
func discriminate(obj resource.PropertyMap, ifaces []*iface) (*iface, string) {
	var discs []string
	for _, in := range ifaces {
		for name, f := range in.fields {
			if f.t.kind != "literal" {
				continue
			}
			discs = append(discs, fmt.Sprintf("%s=%q", name, f.t.name))
			if got, ok := obj[resource.PropertyKey(name)]; ok {
				if g, known := unwrap(got); known && g.IsString() && g.StringValue() == f.t.name {
					return in, ""
				}
			}
		}
	}
	sort.Strings(discs)
	return nil, "no member of the union matches: the discriminator must be one of " + strings.Join(discs, ", ")
}
