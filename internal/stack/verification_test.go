package stack

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"azure-ml-security/internal/testing/schemacheck"
)

// TestVerificationAPIVersionsMatchSDK: the API versions verify reads resources with are the
// ones the program deploys them with: the default modules' versions stated in the type
// definitions of @pulumi/azure-native 2.90.0.
func TestVerificationAPIVersionsMatchSDK(t *testing.T) {
	root := schemacheck.OpenForTest(t).Root()
	re := regexp.MustCompile(`Uses Azure REST API version (\S+)\.`)
	for file, want := range map[string]string{
		"storage/storageAccount.d.ts": apiStorage,
		"keyvault/vault.d.ts":         apiKeyVault,
		"sql/server.d.ts":             apiSQL,
	} {
		src, err := os.ReadFile(filepath.Join(root, file))
		if err != nil {
			t.Fatal(err)
		}
		m := re.FindSubmatch(src)
		if m == nil || string(m[1]) != want {
			t.Errorf("%s: the program deploys with API %s, verify reads with %s", file, m, want)
		}
	}
}
