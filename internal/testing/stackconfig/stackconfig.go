// Package stackconfig merges Pulumi.yaml and Pulumi.<stack>.yaml into the flat configuration
// the CLI hands a program: project-namespaced defaults, then values of other namespaces
// declared in Pulumi.yaml, then the stack file's values on top; lists and objects as JSON.
// Declared types are checked as the CLI checks them. Tests and the offline preview use it so
// that they run the program with the real stack files.
package stackconfig

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"gopkg.in/yaml.v3"
)

// Config is a stack's merged configuration.
type Config struct {
	Project string
	// Values are keyed "namespace:key".
	Values map[string]string
	// Secrets lists keys whose values are secrets.
	Secrets []string
	// Declared are the project-namespaced keys Pulumi.yaml declares.
	Declared []string
}

// Load reads dir/Pulumi.yaml and dir/Pulumi.<stack>.yaml.
func Load(dir, stack string) (*Config, error) {
	c, types, err := loadProject(dir)
	if err != nil {
		return nil, err
	}
	return c, c.applyStackFile(dir, stack, types)
}

// LoadDefaults reads only dir/Pulumi.yaml: the configuration of a stack whose file sets
// nothing.
func LoadDefaults(dir string) (*Config, error) {
	c, _, err := loadProject(dir)
	return c, err
}

func (c *Config) full(k string) string {
	if strings.Contains(k, ":") {
		return k
	}
	return c.Project + ":" + k
}

func loadProject(dir string) (*Config, map[string]workspace.ProjectConfigType, error) {
	proj, err := workspace.LoadProject(filepath.Join(dir, "Pulumi.yaml"))
	if err != nil {
		return nil, nil, err
	}
	name := proj.Name.String()
	c := &Config{Project: name, Values: map[string]string{}}
	types := map[string]workspace.ProjectConfigType{}
	for k, t := range proj.Config {
		fk := c.full(k)
		types[fk] = t
		if strings.HasPrefix(fk, name+":") {
			c.Declared = append(c.Declared, strings.TrimPrefix(fk, name+":"))
		}
		v := t.Default
		if v == nil {
			v = t.Value
		}
		if v != nil {
			s, err := flatten(v)
			if err != nil {
				return nil, nil, fmt.Errorf("Pulumi.yaml %s: %w", k, err)
			}
			c.Values[fk] = s
		}
	}
	sort.Strings(c.Declared)
	return c, types, nil
}

func (c *Config) applyStackFile(dir, stack string, types map[string]workspace.ProjectConfigType) error {
	raw, err := os.ReadFile(filepath.Join(dir, "Pulumi."+stack+".yaml"))
	if err != nil {
		return err
	}
	var file struct {
		Config map[string]any `yaml:"config"`
	}
	if err := yaml.Unmarshal(raw, &file); err != nil {
		return fmt.Errorf("Pulumi.%s.yaml: %w", stack, err)
	}
	for k, v := range file.Config {
		fk := c.full(k)
		if m, ok := v.(map[string]any); ok {
			if _, secure := m["secure"]; secure {
				return fmt.Errorf("Pulumi.%s.yaml %s: encrypted values need the stack's secrets provider; set them with Override in tests", stack, k)
			}
		}
		if t, ok := types[fk]; ok && t.IsExplicitlyTyped() && !workspace.ValidateConfigValue(t.TypeName(), t.Items, v) {
			return fmt.Errorf("Pulumi.%s.yaml %s: value %v is not of the declared type %s", stack, k, v, workspace.InferFullTypeName(t.TypeName(), t.Items))
		}
		s, err := flatten(v)
		if err != nil {
			return fmt.Errorf("Pulumi.%s.yaml %s: %w", stack, k, err)
		}
		c.Values[fk] = s
	}
	return nil
}

// Set sets (or, with value nil, removes) one key, "key" meaning the project namespace.
// A non-string value is flattened like a stack file value.
func (c *Config) Set(key string, value any, secret bool) error {
	key = c.full(key)
	if value == nil {
		delete(c.Values, key)
		return nil
	}
	s, err := flatten(value)
	if err != nil {
		return err
	}
	c.Values[key] = s
	if secret {
		c.Secrets = append(c.Secrets, key)
	}
	return nil
}

// Clone returns an independent copy.
func (c *Config) Clone() *Config {
	out := &Config{Project: c.Project, Values: map[string]string{}, Secrets: append([]string(nil), c.Secrets...), Declared: c.Declared}
	for k, v := range c.Values {
		out.Values[k] = v
	}
	return out
}

// JSON is the configuration as the CLI passes it in PULUMI_CONFIG.
func (c *Config) JSON() string {
	b, _ := json.Marshal(c.Values)
	return string(b)
}

func flatten(v any) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case bool, int, int64, float64:
		return fmt.Sprint(x), nil
	default:
		b, err := json.Marshal(x)
		if err != nil {
			return "", err
		}
		return string(b), nil
	}
}

// CallerIP is the address a deployment of this configuration runs from, as far as the
// configuration tells: the first allowedIpAddresses entry (an address, or a range's first
// address), since the README asks deployers to list their own address there. "" when none.
func (c *Config) CallerIP() string {
	var ips []string
	if err := json.Unmarshal([]byte(c.Values[c.Project+":allowedIpAddresses"]), &ips); err != nil || len(ips) == 0 {
		return ""
	}
	if p, err := netip.ParsePrefix(ips[0]); err == nil {
		return p.Addr().String()
	}
	return ips[0]
}

// ExistingIDs are the ARM ids of resources the configuration says exist already (a landing
// zone's subnets and DNS zones), for a fake cloud to hold before the program runs.
func (c *Config) ExistingIDs() []string {
	var ids []string
	for _, k := range []string{"existingClientSubnetId", "existingPrivateEndpointSubnetId"} {
		if v := c.Values[c.Project+":"+k]; v != "" {
			ids = append(ids, v)
		}
	}
	var zones map[string]string
	if err := json.Unmarshal([]byte(c.Values[c.Project+":privateDnsZoneIds"]), &zones); err == nil {
		for _, id := range zones {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return ids
}
