package offline

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"azure-ml-security/internal/testing/fakeazure"
)

// Import loads a deployment exported by `pulumi stack export` (plaintext secrets) into a
// stack of this environment and puts its custom resources into the fake cloud, as if that
// state had been deployed: the way to start from what an earlier version of the program made.
func (e *Env) Import(ctx context.Context, st auto.Stack, raw []byte) error {
	if err := st.Import(ctx, apitype.UntypedDeployment{Version: 3, Deployment: raw}); err != nil {
		return fmt.Errorf("importing the deployment: %w", err)
	}
	var dep struct {
		Resources []struct {
			URN     string         `json:"urn"`
			Custom  bool           `json:"custom"`
			ID      string         `json:"id"`
			Type    string         `json:"type"`
			Inputs  map[string]any `json:"inputs"`
			Outputs map[string]any `json:"outputs"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(raw, &dep); err != nil {
		return err
	}
	for _, r := range dep.Resources {
		if !r.Custom || strings.HasPrefix(r.Type, "pulumi:providers:") {
			continue
		}
		in, err := properties(r.Inputs)
		if err != nil {
			return fmt.Errorf("%s: %w", r.URN, err)
		}
		out, err := properties(r.Outputs)
		if err != nil {
			return fmt.Errorf("%s: %w", r.URN, err)
		}
		e.Cloud.Put(&fakeazure.Object{ID: r.ID, URN: r.URN, Token: r.Type, Key: fakeazure.TypeKey(r.Type),
			Name: stringOf(out["name"]), Inputs: in, Outputs: out})
	}
	e.Cloud.SettleImported()
	return nil
}

// secretSig marks a secret in a serialized deployment.
const secretSig = "4dabf18193072939515e22adb298388d"

func properties(m map[string]any) (resource.PropertyMap, error) {
	out := resource.PropertyMap{}
	for k, v := range m {
		pv, err := property(v)
		if err != nil {
			return nil, err
		}
		out[resource.PropertyKey(k)] = pv
	}
	return out, nil
}

func property(v any) (resource.PropertyValue, error) {
	switch x := v.(type) {
	case map[string]any:
		if x[secretSig] == "1b47061264138c4ac30d75fd1eb44270" {
			plain, ok := x["plaintext"].(string)
			if !ok {
				return resource.PropertyValue{}, fmt.Errorf("an encrypted secret: export with plaintext secrets")
			}
			var inner any
			if err := json.Unmarshal([]byte(plain), &inner); err != nil {
				return resource.PropertyValue{}, err
			}
			pv, err := property(inner)
			return resource.MakeSecret(pv), err
		}
		if _, asset := x[secretSig]; asset {
			return resource.NewPropertyValue(x), nil
		}
		m, err := properties(x)
		return resource.NewProperty(m), err
	case []any:
		arr := make([]resource.PropertyValue, len(x))
		for i, e := range x {
			pv, err := property(e)
			if err != nil {
				return resource.PropertyValue{}, err
			}
			arr[i] = pv
		}
		return resource.NewProperty(arr), nil
	}
	return resource.NewPropertyValue(v), nil
}

func stringOf(v resource.PropertyValue) string {
	if v.IsString() {
		return v.StringValue()
	}
	return ""
}
