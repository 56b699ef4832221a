package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"azure-ml-security/internal/verify"
	"azure-ml-security/internal/verifyspec"
)

const (
	sub = "00000000-1111-2222-3333-444444444444"
	rg  = "rg-amlsec-dev"
	ws  = "/subscriptions/" + sub + "/resourceGroups/" + rg + "/providers/Microsoft.MachineLearningServices/workspaces/mlw-amlsec-dev"
)

// The outputs as the Automation API hands them over: the verification object decoded.
func outputs() map[string]any {
	return map[string]any{
		"resourceGroupName": rg,
		"workspaceName":     "mlw-amlsec-dev",
		"studioUrl":         "https://ml.azure.com/?wsid=" + ws,
		verifyspec.OutputName: map[string]any{
			"subscriptionId":    sub,
			"resourceGroupName": rg,
			"private":           false,
			"allowedIps":        []any{"203.0.113.10"},
			"workspace": map[string]any{"id": ws, "name": "mlw-amlsec-dev", "apiVersion": "2024-10-01-preview", "ruleApiVersion": "2024-10-01",
				"isolationMode": "AllowOnlyApprovedOutbound", "firewallSku": "Standard"},
		},
	}
}

type fakeCredential struct{}

func (fakeCredential) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{Token: "fake", ExpiresOn: time.Now().Add(time.Hour)}, nil
}

// azureThat starts a TLS server that answers the workspace GET with provisioningState state
// (Workspace/get.json of 2024-10-01-preview, trimmed) and everything else with 403
// AuthorizationFailed.
func azureThat(t *testing.T, state string) (links, *[]string) {
	t.Helper()
	var outs []string
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == ws {
			json.NewEncoder(w).Encode(map[string]any{"id": ws, "name": "mlw-amlsec-dev", "properties": map[string]any{
				"provisioningState": state, "publicNetworkAccess": "Enabled",
				"managedNetwork": map[string]any{"isolationMode": "AllowOnlyApprovedOutbound", "firewallSku": "Standard", "status": map[string]any{"status": "Active"}},
			}})
			return
		}
		w.WriteHeader(http.StatusForbidden)
		json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"code": "AuthorizationFailed",
			"message": "The client does not have authorization to perform action 'Microsoft.MachineLearningServices/workspaces/outboundRules/read' over scope '" + r.URL.Path + "'."}})
	}))
	t.Cleanup(srv.Close)
	return links{
		outputs: func(_ context.Context, stack, dir string) (map[string]any, error) {
			outs = append(outs, stack+"@"+dir)
			return outputs(), nil
		},
		credential: func() (azcore.TokenCredential, error) { return fakeCredential{}, nil },
		options:    verify.Options{ARMEndpoint: srv.URL, Transport: srv.Client()},
	}, &outs
}

func TestHelpExplainsEveryCheck(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"-h"}, &stdout, &stderr, links{}); code != 0 {
		t.Fatalf("-h exited %d", code)
	}
	help := stderr.String()
	for _, c := range verify.Checks {
		if !strings.Contains(help, c.Name) {
			t.Errorf("the help does not explain check %q", c.Name)
		}
	}
	for _, s := range []string{"-stack name", "-json", "Exit code: 0", "missing permission", "Reader on the resource group", "what to do:"} {
		if !strings.Contains(help, s) {
			t.Errorf("the help lacks %q:\n%s", s, help)
		}
	}
}

func TestStackIsRequired(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), nil, &stdout, &stderr, links{}); code != verify.ExitIncomplete {
		t.Errorf("exit %d, want %d", code, verify.ExitIncomplete)
	}
	if !strings.Contains(stderr.String(), "-stack is required") {
		t.Errorf("stderr: %s", stderr.String())
	}
}

func TestReportAndExitCode(t *testing.T) {
	t.Run("a failed check exits 1", func(t *testing.T) {
		l, outs := azureThat(t, "Failed")
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), []string{"-stack", "dev", "-dir", "/repo"}, &stdout, &stderr, l)
		if code != verify.ExitFailed {
			t.Errorf("exit %d, want %d\n%s%s", code, verify.ExitFailed, stdout.String(), stderr.String())
		}
		if len(*outs) != 1 || (*outs)[0] != "dev@/repo" {
			t.Errorf("outputs read for %v, want stack dev in /repo", *outs)
		}
		out := stdout.String()
		for _, s := range []string{
			"verify: stack dev, workspace mlw-amlsec-dev in resource group rg-amlsec-dev",
			"studio: https://ml.azure.com/?wsid=",
			"mode: public, admitting allowedIpAddresses 203.0.113.10",
			"FAIL   workspace          workspace mlw-amlsec-dev is Failed, not Succeeded",
			"       what to do: ",
			"PASS   managed network    Active; isolation mode AllowOnlyApprovedOutbound; firewall SKU Standard",
			"ERROR  outbound rules     missing permission (Microsoft.MachineLearningServices/workspaces/outboundRules/read)",
		} {
			if !strings.Contains(out, s) {
				t.Errorf("the report lacks %q:\n%s", s, out)
			}
		}
	})

	t.Run("permission errors only exit 2", func(t *testing.T) {
		l, _ := azureThat(t, "Succeeded")
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), []string{"-stack", "dev"}, &stdout, &stderr, l); code != verify.ExitIncomplete {
			t.Errorf("exit %d, want %d\n%s", code, verify.ExitIncomplete, stdout.String())
		}
	})

	t.Run("json", func(t *testing.T) {
		l, _ := azureThat(t, "Failed")
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), []string{"-stack", "dev", "-json"}, &stdout, &stderr, l)
		if code != verify.ExitFailed {
			t.Errorf("exit %d, want %d", code, verify.ExitFailed)
		}
		var results []map[string]string
		if err := json.Unmarshal(stdout.Bytes(), &results); err != nil {
			t.Fatalf("-json printed no JSON array: %v\n%s", err, stdout.String())
		}
		if len(results) == 0 || results[0]["check"] != "workspace" || results[0]["status"] != "FAIL" || results[0]["fix"] == "" {
			t.Errorf("first result %v, want the failed workspace with a fix", results[0])
		}
		for _, r := range results {
			for _, k := range []string{"check", "status", "detail", "fix"} {
				if _, ok := r[k]; !ok {
					t.Errorf("result %v lacks %q", r, k)
				}
			}
		}
	})
}

func TestCannotRun(t *testing.T) {
	noSpec := func(context.Context, string, string) (map[string]any, error) {
		return map[string]any{"resourceGroupName": rg}, nil
	}
	cases := []struct {
		name string
		l    links
		want string
	}{
		{"no verification output", links{outputs: noSpec}, `stack "dev" has no output "verification": run ` + "`pulumi up`"},
		{"no stack", links{outputs: func(context.Context, string, string) (map[string]any, error) {
			return nil, errors.New(`select stack "dev": no stack named 'dev' found`)
		}}, "no stack named 'dev' found"},
		{"no credential", links{
			outputs:    func(context.Context, string, string) (map[string]any, error) { return outputs(), nil },
			credential: func() (azcore.TokenCredential, error) { return nil, errors.New("no credential available") },
		}, "no Azure credential: no credential available"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := run(context.Background(), []string{"-stack", "dev"}, &stdout, &stderr, c.l); code != verify.ExitIncomplete {
				t.Errorf("exit %d, want %d", code, verify.ExitIncomplete)
			}
			if !strings.Contains(stderr.String(), c.want) {
				t.Errorf("stderr %q lacks %q", stderr.String(), c.want)
			}
		})
	}
}

func TestSpecFromOutputs(t *testing.T) {
	text, err := json.Marshal(outputs()[verifyspec.OutputName])
	if err != nil {
		t.Fatal(err)
	}
	for name, value := range map[string]any{"object": outputs()[verifyspec.OutputName], "JSON text": string(text)} {
		out := outputs()
		out[verifyspec.OutputName] = value
		spec, err := specFrom(out, "dev")
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if spec.SubscriptionID != sub || spec.Workspace.ID != ws || spec.Workspace.IsolationMode != "AllowOnlyApprovedOutbound" || len(spec.AllowedIPs) != 1 {
			t.Errorf("%s: decoded %+v", name, spec)
		}
	}

	out := outputs()
	delete(out[verifyspec.OutputName].(map[string]any), "resourceGroupName")
	spec, err := specFrom(out, "dev")
	if err != nil || spec.ResourceGroupName != rg {
		t.Errorf("resourceGroupName from the stack output: %q, %v", spec.ResourceGroupName, err)
	}

	out[verifyspec.OutputName] = "not json"
	if _, err := specFrom(out, "dev"); err == nil {
		t.Error("a verification output that is not JSON was accepted")
	}
}
