package schemacheck

import (
	"fmt"
	"strings"
)

// typ is a parsed TypeScript type expression of the azure-native type definitions.
type typ struct {
	kind    string // "union", "array", "map", "prim", "literal", "ref", "asset"
	members []*typ // union members
	elem    *typ   // array element, map value
	name    string // prim: string|number|boolean|any; literal: its value; ref: dotted name
}

func (t *typ) String() string {
	switch t.kind {
	case "union":
		var parts []string
		for _, m := range t.members {
			parts = append(parts, m.String())
		}
		return strings.Join(parts, " | ")
	case "array":
		return t.elem.String() + "[]"
	case "map":
		return "{[key]: " + t.elem.String() + "}"
	case "literal":
		return fmt.Sprintf("%q", t.name)
	}
	return t.name
}

// parser reads one type expression; pulumi.Input<T> is transparent.
type parser struct {
	s   string
	pos int
}

func parseType(s string) (*typ, error) {
	p := &parser{s: s}
	t, err := p.union()
	if err != nil {
		return nil, err
	}
	p.ws()
	if p.pos != len(p.s) {
		return nil, fmt.Errorf("trailing %q in type %q", p.s[p.pos:], s)
	}
	return t, nil
}

func (p *parser) ws() {
	for p.pos < len(p.s) && strings.ContainsRune(" \t\r\n", rune(p.s[p.pos])) {
		p.pos++
	}
}

func (p *parser) eat(tok string) bool {
	p.ws()
	if strings.HasPrefix(p.s[p.pos:], tok) {
		p.pos += len(tok)
		return true
	}
	return false
}

func (p *parser) union() (*typ, error) {
	var members []*typ
	for {
		m, err := p.postfix()
		if err != nil {
			return nil, err
		}
		if m.kind == "union" {
			members = append(members, m.members...)
		} else {
			members = append(members, m)
		}
		if !p.eat("|") {
			break
		}
	}
	if len(members) == 1 {
		return members[0], nil
	}
	return &typ{kind: "union", members: members}, nil
}

func (p *parser) postfix() (*typ, error) {
	t, err := p.primary()
	if err != nil {
		return nil, err
	}
	for p.eat("[]") {
		t = &typ{kind: "array", elem: t}
	}
	return t, nil
}

func (p *parser) primary() (*typ, error) {
	p.ws()
	switch {
	case p.eat("pulumi.Input<"):
		t, err := p.union()
		if err != nil {
			return nil, err
		}
		if !p.eat(">") {
			return nil, fmt.Errorf("unclosed pulumi.Input< at %d in %q", p.pos, p.s)
		}
		return t, nil
	case p.eat("("):
		t, err := p.union()
		if err != nil {
			return nil, err
		}
		if !p.eat(")") {
			return nil, fmt.Errorf("unclosed ( in %q", p.s)
		}
		return t, nil
	case p.eat("{"):
		if !p.eat("[key: string]:") {
			return nil, fmt.Errorf("unsupported object type in %q", p.s)
		}
		v, err := p.union()
		if err != nil {
			return nil, err
		}
		p.eat(";")
		if !p.eat("}") {
			return nil, fmt.Errorf("unclosed map type in %q", p.s)
		}
		return &typ{kind: "map", elem: v}, nil
	case p.eat(`"`):
		end := strings.IndexByte(p.s[p.pos:], '"')
		if end < 0 {
			return nil, fmt.Errorf("unclosed string literal in %q", p.s)
		}
		lit := p.s[p.pos : p.pos+end]
		p.pos += end + 1
		return &typ{kind: "literal", name: lit}, nil
	}
	start := p.pos
	for p.pos < len(p.s) && (isIdent(p.s[p.pos]) || p.s[p.pos] == '.') {
		p.pos++
	}
	name := p.s[start:p.pos]
	switch {
	case name == "":
		return nil, fmt.Errorf("unexpected %q in type %q", p.s[p.pos:], p.s)
	case name == "string" || name == "number" || name == "boolean" || name == "any":
		return &typ{kind: "prim", name: name}, nil
	case strings.HasPrefix(name, "pulumi.asset."):
		return &typ{kind: "asset", name: name}, nil
	}
	return &typ{kind: "ref", name: name}, nil
}

func isIdent(c byte) bool {
	return c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
