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

// Adopt records resources of the fake Azure in the stack's state, under the parent whose
// type their URN names and with the stack's default provider of their package, as
// `pulumi import <type> <name> <id> --parent <urn> --protect=false` records them: the way
// back from a lost answer (a resource Azure made whose create the engine saw fail). The CLI's
// import needs the program's language host, which the inline programs of these tests do not
// have, so the state is written directly; the next `pulumi up` then diffs the program against
// it as it would after the CLI's import.
func (e *Env) Adopt(ctx context.Context, st auto.Stack, objs []*fakeazure.Object) error {
	dep, err := st.Export(ctx)
	if err != nil {
		return err
	}
	var state map[string]any
	if err := json.Unmarshal(dep.Deployment, &state); err != nil {
		return err
	}
	resources, _ := state["resources"].([]any)
	byType := map[string]string{}    // type chain of a URN -> URN (components of this program are single)
	providers := map[string]string{} // package -> provider reference
	for _, r := range resources {
		m := r.(map[string]any)
		urn, _ := m["urn"].(string)
		byType[typeChain(urn)] = urn
		if p, ok := m["provider"].(string); ok {
			providers[strings.SplitN(m["type"].(string), ":", 2)[0]] = p
		}
	}
	for _, o := range objs {
		chain := typeChain(o.URN)
		typ := chain[strings.LastIndex(chain, "$")+1:]
		entry := map[string]any{
			"urn": o.URN, "custom": true, "id": o.ID, "type": typ,
			"inputs": stateProperties(o.Inputs), "outputs": stateProperties(o.Outputs),
			"provider": providers[strings.SplitN(typ, ":", 2)[0]],
		}
		if i := strings.LastIndex(chain, "$"); i >= 0 {
			parent, ok := byType[chain[:i]]
			if !ok {
				return fmt.Errorf("adopting %s: no parent of type %s in the state", o.URN, chain[:i])
			}
			entry["parent"] = parent
		}
		resources = append(resources, entry)
	}
	state["resources"] = resources
	raw, err := json.Marshal(state)
	if err != nil {
		return err
	}
	return st.Import(ctx, apitype.UntypedDeployment{Version: dep.Version, Deployment: raw})
}

// typeChain is the "Parent$Child" type part of a URN.
func typeChain(urn string) string {
	parts := strings.Split(urn, "::")
	if len(parts) < 4 {
		return ""
	}
	return parts[2]
}

// stateProperties renders properties as a deployment holds them, secrets in plaintext.
func stateProperties(m resource.PropertyMap) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		if !v.IsNull() {
			out[string(k)] = stateValue(v)
		}
	}
	return out
}

func stateValue(v resource.PropertyValue) any {
	switch {
	case v.IsSecret():
		plain, _ := json.Marshal(stateValue(v.SecretValue().Element))
		return map[string]any{secretSig: "1b47061264138c4ac30d75fd1eb44270", "plaintext": string(plain)}
	case v.IsObject():
		return stateProperties(v.ObjectValue())
	case v.IsArray():
		arr := make([]any, len(v.ArrayValue()))
		for i, e := range v.ArrayValue() {
			arr[i] = stateValue(e)
		}
		return arr
	case v.IsComputed() || v.IsOutput():
		return nil
	}
	return v.V
}
