// Command fakecloud-provider is the offline fake of Azure for the real Pulumi engine (see
// internal/fakecloud). One binary serves every package: installed as
// <PULUMI_HOME>/plugins/resource-<pkg>-v<version>/pulumi-resource-<pkg>, it takes the package
// and version from that path. FAKECLOUD_STATE_DIR is where it keeps what it created.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/cmdutil"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/provider"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

	"azure-ml-security/internal/fakecloud"
)

func main() {
	exe, err := os.Executable()
	if err != nil {
		cmdutil.Exit(err)
	}
	pkg := strings.TrimPrefix(filepath.Base(exe), "pulumi-resource-")
	dir := filepath.Base(filepath.Dir(exe)) // resource-<pkg>-v<version>
	version, ok := strings.CutPrefix(dir, "resource-"+pkg+"-v")
	if !ok {
		cmdutil.Exit(fmt.Errorf("fakecloud-provider must be installed as plugins/resource-<pkg>-v<version>/pulumi-resource-<pkg>, not %s", exe))
	}
	err = provider.Main(pkg, func(*provider.HostClient) (pulumirpc.ResourceProviderServer, error) {
		return fakecloud.New(pkg, version, os.Getenv("FAKECLOUD_STATE_DIR"))
	})
	if err != nil {
		cmdutil.ExitError(err.Error())
	}
}
