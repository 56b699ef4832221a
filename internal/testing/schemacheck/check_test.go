package schemacheck

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

const token = "azure-native:demo/v1:Thing"

func fixture(t *testing.T) *Schema {
	t.Helper()
	s, err := Open("testdata/package")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func valid() resource.PropertyMap {
	return resource.NewPropertyMapFromMap(map[string]any{
		"name":       "a",
		"mode":       "Fast",
		"strictMode": "Safe",
		"count":      3,
		"enabled":    true,
		"settings":   map[string]any{"level": "Safe", "inner": map[string]any{"flag": true}},
		"shape":      map[string]any{"kind": "Square", "side": 2},
		"rules":      []any{map[string]any{"priority": 1, "sources": []any{"x"}}},
		"ids":        []any{"i1", "i2"},
		"tags":       map[string]any{"any-key": "v"},
	})
}

func TestValidInputsPass(t *testing.T) {
	in := valid()
	in["source"] = resource.NewProperty(&resource.Asset{Text: "csv"})
	in["name"] = resource.MakeSecret(resource.NewProperty("hidden"))
	in["count"] = resource.MakeComputed(resource.NewProperty(""))
	problems, err := fixture(t).Check(token, in)
	if err != nil {
		t.Fatal(err)
	}
	if len(problems) != 0 {
		t.Errorf("valid inputs reported: %v", problems)
	}
}

func TestMistakesAreReported(t *testing.T) {
	cases := []struct {
		name, path, message string
		edit                func(m resource.PropertyMap)
	}{
		{"unknown key", "nme", "no such input", func(m resource.PropertyMap) { m["nme"] = m["name"] }},
		{"unknown nested key", "settings.levle", "no such input", func(m resource.PropertyMap) {
			m["settings"].ObjectValue()["levle"] = resource.NewProperty("Safe")
		}},
		{"unknown key two levels down", "settings.inner.flags", "no such input", func(m resource.PropertyMap) {
			m["settings"].ObjectValue()["inner"].ObjectValue()["flags"] = resource.NewProperty(true)
		}},
		{"unknown key in an array element", "rules.0.prio", "no such input", func(m resource.PropertyMap) {
			m["rules"].ArrayValue()[0].ObjectValue()["prio"] = resource.NewProperty(1.0)
		}},
		{"enum with string alternative", "mode", "not one of", func(m resource.PropertyMap) { m["mode"] = resource.NewProperty("fast") }},
		{"enum only", "strictMode", "not one of", func(m resource.PropertyMap) { m["strictMode"] = resource.NewProperty("Slow") }},
		{"nested enum", "settings.level", "not one of", func(m resource.PropertyMap) {
			m["settings"].ObjectValue()["level"] = resource.NewProperty("safe")
		}},
		{"enum under a secret", "mode", "not one of", func(m resource.PropertyMap) {
			m["mode"] = resource.MakeSecret(resource.NewProperty("Medium"))
		}},
		{"wrong discriminator", "shape", "no member of the union", func(m resource.PropertyMap) {
			m["shape"].ObjectValue()["kind"] = resource.NewProperty("Triangle")
		}},
		{"key of the other union member", "shape.radius", "no such input", func(m resource.PropertyMap) {
			m["shape"].ObjectValue()["radius"] = resource.NewProperty(1.0)
		}},
		{"wrong primitive", "enabled", "not allowed", func(m resource.PropertyMap) { m["enabled"] = resource.NewProperty("true") }},
		{"object where a list belongs", "ids", "not allowed", func(m resource.PropertyMap) {
			m["ids"] = resource.NewProperty(resource.PropertyMap{"a": resource.NewProperty("b")})
		}},
		{"map value of the wrong type", "tags.any-key", "not allowed", func(m resource.PropertyMap) {
			m["tags"].ObjectValue()["any-key"] = resource.NewProperty(1.0)
		}},
		{"required input missing", "shape", "required input missing", func(m resource.PropertyMap) { delete(m, "shape") }},
		{"required input missing in an array element", "rules.0.priority", "required input missing", func(m resource.PropertyMap) {
			delete(m["rules"].ArrayValue()[0].ObjectValue(), "priority")
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := valid()
			tc.edit(in)
			problems, err := fixture(t).Check(token, in)
			if err != nil {
				t.Fatal(err)
			}
			if len(problems) != 1 || problems[0].Path != tc.path || !strings.Contains(problems[0].Message, tc.message) {
				t.Errorf("want one problem at %s (%s), got %v", tc.path, tc.message, problems)
			}
		})
	}
}

func TestUnknownToken(t *testing.T) {
	s := fixture(t)
	for _, tok := range []string{"azure-native:demo/v2:Thing", "azure-native:demo/v1:Thingy", "random:index/randomString:RandomString"} {
		if _, err := s.Check(tok, valid()); err == nil {
			t.Errorf("token %s accepted", tok)
		}
	}
}

func TestParseType(t *testing.T) {
	for in, want := range map[string]string{
		`pulumi.Input<string | enums.a.B>`:                       `string | enums.a.B`,
		`pulumi.Input<pulumi.Input<inputs.a.B>[]>`:               `inputs.a.B[]`,
		`pulumi.Input<{ [key: string]: pulumi.Input<string>; }>`: `{[key]: string}`,
		`pulumi.Input<"PrivateEndpoint">`:                        `"PrivateEndpoint"`,
	} {
		got, err := parseType(in)
		if err != nil {
			t.Errorf("%s: %v", in, err)
			continue
		}
		if got.String() != want {
			t.Errorf("%s parsed as %s, want %s", in, got, want)
		}
	}
}

func TestRequired(t *testing.T) {
	got, err := fixture(t).Required(token)
	if err != nil || strings.Join(got, ",") != "shape" {
		t.Errorf("Required = %v, %v; want [shape]", got, err)
	}
}
