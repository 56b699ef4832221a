package azureml

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"azure-ml-security/internal/testing/schemacheck"
)

// TestAliasesMatchSDK: every hand-registered token carries exactly the type aliases the
// official SDK attaches to it, read from the `aliases` array of the token's .js file in
// @pulumi/azure-native 2.90.0.
func TestAliasesMatchSDK(t *testing.T) {
	root := schemacheck.OpenForTest(t).Root()
	tokens := []string{WorkspaceToken, ComputeToken, DatastoreToken, WorkspaceConnectionToken, ManagedNetworkSettingsRuleToken, UserAssignedIdentityToken}
	aliasRe := regexp.MustCompile(`type: "(azure-native:[^"]+)"`)
	for _, tok := range tokens {
		parts := strings.Split(tok, ":")
		typ := parts[2]
		file := filepath.Join(root, filepath.FromSlash(parts[1]), strings.ToLower(typ[:1])+typ[1:]+".js")
		src, err := os.ReadFile(file)
		if err != nil {
			t.Errorf("%s: %v", tok, err)
			continue
		}
		start := strings.Index(string(src), "aliases: [")
		if start < 0 {
			t.Errorf("%s: no aliases in %s", tok, file)
			continue
		}
		end := strings.Index(string(src[start:]), "]") + start
		var want []string
		for _, m := range aliasRe.FindAllStringSubmatch(string(src[start:end]), -1) {
			want = append(want, m[1])
		}
		got := append([]string(nil), typeAliases[tok]...)
		slices.Sort(got)
		slices.Sort(want)
		if len(want) == 0 || !slices.Equal(got, want) {
			t.Errorf("%s: binding aliases %v\nSDK aliases %v", tok, got, want)
		}
	}
	if len(typeAliases) != len(tokens) {
		t.Errorf("%d tokens have aliases, %d are registered", len(typeAliases), len(tokens))
	}
}
