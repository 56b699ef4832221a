package settings

import (
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"azure-ml-security/internal/testing/fakeazure"
	"azure-ml-security/internal/testing/stackconfig"
)

// repo is where Pulumi.yaml and the stack files are.
const repo = "../.."

// loadWith runs load under mocks with a configuration.
func loadWith(t *testing.T, project string, values map[string]string) (*Settings, *reader) {
	t.Helper()
	var s *Settings
	var r *reader
	_, err := fakeazure.RunMocked(project, "test", fakeazure.Options{}, func(ctx *pulumi.Context) error {
		var err error
		s, r, err = load(ctx)
		return err
	}, func(info *pulumi.RunInfo) { info.Config = values })
	if err != nil {
		t.Fatal(err)
	}
	return s, r
}

// TestConfigKeysDeclared: Pulumi.yaml declares exactly the keys the program reads (plus the
// optional secrets it cannot declare), so no key is undocumented and none is dead.
func TestConfigKeysDeclared(t *testing.T) {
	cfg, err := stackconfig.Load(repo, "dev")
	if err != nil {
		t.Fatal(err)
	}
	_, r := loadWith(t, cfg.Project, cfg.Values)
	want := append(append([]string(nil), cfg.Declared...), r.optionalSecrets...)
	sort.Strings(want)
	if got := r.keys(); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("program reads %v\nPulumi.yaml declares (+ optional secrets) %v", got, want)
	}
}

// TestDefaultsMatchPulumiYaml: the defaults in the code equal the ones Pulumi.yaml declares,
// so a user who reads Pulumi.yaml knows what an unset key means.
func TestDefaultsMatchPulumiYaml(t *testing.T) {
	defaults, err := stackconfig.LoadDefaults(repo)
	if err != nil {
		t.Fatal(err)
	}
	load := func(values map[string]string) *Settings {
		t.Helper()
		// A public workspace needs one allowed address; it has no default.
		values[defaults.Project+":allowedIpAddresses"] = `["1.2.3.4"]`
		s, _ := loadWith(t, defaults.Project, values)
		return s
	}
	fromYaml := load(defaults.Clone().Values)
	fromCode := load(map[string]string{"azure-native:location": defaults.Values["azure-native:location"]})
	if !reflect.DeepEqual(fromYaml, fromCode) {
		t.Errorf("code defaults differ from Pulumi.yaml defaults:\n yaml: %+v\n code: %+v", fromYaml, fromCode)
	}
}
