package settings

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

// reader wraps config access so that type errors become named errors instead of panics, and
// records every key it reads, so that keys nobody reads can be reported.
type reader struct {
	ctx  *pulumi.Context
	cfg  *config.Config
	errs []error
	read map[string]bool
	// optionalSecrets are read but not declared in Pulumi.yaml: a declared key without a
	// default is required, and a secret has no default.
	optionalSecrets []string
	// sqlPassword is the plain value of sqlAdminPassword, for validation only; it never leaves
	// this package.
	sqlPassword string
}

func newReader(ctx *pulumi.Context) *reader {
	return &reader{ctx: ctx, cfg: config.New(ctx, Namespace), read: map[string]bool{}}
}

func (r *reader) fail(key, value, allowed string) {
	r.errs = append(r.errs, &Error{Key: key, Value: value, Allowed: allowed})
}

func (r *reader) try(key string) (string, error) {
	r.read[key] = true
	return r.cfg.Try(key)
}

// keys are the project keys read so far, sorted.
func (r *reader) keys() []string {
	out := make([]string, 0, len(r.read))
	for k := range r.read {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func (r *reader) location() string {
	loc := config.Get(r.ctx, "azure-native:location")
	if loc == "" {
		r.errs = append(r.errs, errors.New(`config azure-native:location is not set: set it with "pulumi config set azure-native:location <region>", e.g. eastus2`))
	}
	return loc
}

func (r *reader) str(key, def string) string {
	v, err := r.try(key)
	if err != nil {
		return def
	}
	return v
}

func (r *reader) boolean(key string, def bool) bool {
	raw, err := r.try(key)
	if err != nil {
		return def
	}
	switch raw {
	case "true":
		return true
	case "false":
		return false
	}
	r.fail(key, raw, "must be true or false")
	return def
}

func (r *reader) integer(key string, def int) int {
	raw, err := r.try(key)
	if err != nil {
		return def
	}
	var n int
	if _, err := fmt.Sscanf(raw, "%d", &n); err != nil || fmt.Sprint(n) != strings.TrimSpace(raw) {
		r.fail(key, raw, "must be a whole number")
		return def
	}
	return n
}

func (r *reader) strList(key string) []string {
	raw, err := r.try(key)
	if err != nil {
		return nil
	}
	var out []string
	if err := r.cfg.TryObject(key, &out); err != nil {
		r.fail(key, raw, "must be a list of strings")
		return nil
	}
	if len(out) == 0 {
		return nil // unset and [] mean the same
	}
	return out
}

func (r *reader) strMap(key string) map[string]string {
	raw, err := r.try(key)
	if err != nil {
		return map[string]string{}
	}
	out := map[string]string{}
	if err := r.cfg.TryObject(key, &out); err != nil {
		r.fail(key, raw, "must be a map of string to string")
		return map[string]string{}
	}
	return out
}

// objects reads a list of objects (a slice of structs with json tags); unknown fields are
// refused, so a misspelt field is not silently dropped.
func objects[T any](r *reader, key, shape string) []T {
	raw, err := r.try(key)
	if err != nil {
		return nil
	}
	var out []T
	dec := json.NewDecoder(strings.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&out); err != nil {
		r.fail(key, raw, "must be "+shape+" ("+err.Error()+")")
		return nil
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// allowedIPs reads a list of public IPv4 addresses or CIDRs and returns them in the form Azure
// IP rules take. refused is true when the configured value was reported as invalid (not a list, or an entry
// that is not a public IPv4 address or CIDR), so that it is not reported empty as well.
func (r *reader) allowedIPs(key string) (out []string, refused bool) {
	before := len(r.errs)
	list := r.strList(key)
	refused = len(r.errs) > before
	for i, ip := range list {
		norm, err := publicIPv4Rule(ip)
		if err != nil {
			r.fail(fmt.Sprintf("%s[%d]", key, i), ip, err.Error())
			refused = true
			continue
		}
		out = append(out, norm)
	}
	return out, refused
}

// secret reads an optional secret key. The plain value is kept only for validation; the
// program uses the secret output.
func (r *reader) secret(key string) (pulumi.StringOutput, bool) {
	r.optionalSecrets = append(r.optionalSecrets, key)
	plain, err := r.try(key)
	if err != nil {
		return pulumi.StringOutput{}, false
	}
	if !r.ctx.IsConfigSecret(Namespace + ":" + key) {
		r.fail(key, "<not shown>", `must be stored encrypted: use "pulumi config set --secret `+key+` <value>"`)
	}
	if key == "sqlAdminPassword" {
		r.sqlPassword = plain
	}
	return pulumi.ToSecret(pulumi.String(plain)).(pulumi.StringOutput), true
}

// unknownKeys reports keys of the project namespace that Load does not read: a typo in a stack
// file (say "privateWorkpsace") would otherwise be ignored and the default used silently.
// The CLI hands a Go program its whole configuration as JSON in PULUMI_CONFIG; without it
// (unit tests set config directly) there is nothing to check.
func (r *reader) unknownKeys() []error {
	raw := os.Getenv(pulumi.EnvConfig)
	if raw == "" {
		return nil
	}
	var all map[string]string
	if err := json.Unmarshal([]byte(raw), &all); err != nil {
		return nil
	}
	known := strings.Join(r.keys(), ", ")
	var errs []error
	for full := range all {
		key, ok := strings.CutPrefix(full, Namespace+":")
		if !ok || r.read[key] {
			continue
		}
		errs = append(errs, &Error{Key: key, Value: "<set>", Allowed: "is not a configuration key of this program; known keys: " + known})
	}
	return errs
}
