package fakeazure

import (
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Rules judged on one resource's own inputs: its name (rule 1) and its required inputs (rule 2).

var ruleRequired = rule(Rule{ID: "required-inputs", Code: "MissingRequiredInput", Status: 400, Where: AtBoth,
	Source:    "@pulumi/azure-native 2.90.0 type definitions: Args fields without `?`",
	Behaviour: "the provider refuses a resource whose Args leave out a required field (checked here against the type table, and against the package itself by the schema test)"})

func init() {
	addCheck(&check{rule: ruleNameNetwork, kinds: []opKind{opCreate, opUpdate}, plan: true, engine: true, fn: checkName})
	addCheck(&check{rule: ruleRequired, kinds: []opKind{opCreate, opUpdate}, plan: true, engine: true, fn: checkRequired})
	addCheck(&check{rule: ruleNameTaken, kinds: []opKind{opCreate}, engine: true, fn: checkNameTaken})
	addCheck(&check{rule: ruleAlreadyExists, kinds: []opKind{opCreate}, engine: true, fn: checkAlreadyExists})
}

// checkName applies the type's name rule, and the VM's computer and admin name rules.
func checkName(o *op, _ *world) *AzureError {
	t, err := lookupType(o.obj.Token)
	if err != nil || !strings.HasPrefix(o.obj.Token, "azure-native:") {
		return nil
	}
	if e := t.name.refuse(o.obj.Name); e != nil {
		return e
	}
	if o.obj.Key == "compute:VirtualMachine" {
		if reservedAdminNames[strings.ToLower(o.obj.Str("osProfile.adminUsername"))] {
			return ruleNameVM.errorf("The Admin Username specified is not allowed: %q", o.obj.Str("osProfile.adminUsername"))
		}
		if _, windows := Lookup(o.obj.Inputs, "osProfile.windowsConfiguration"); windows {
			if why := windowsComputerName(o.obj.Str("osProfile.computerName")); why != "" {
				return ruleNameVM.errorf("%s", why)
			}
		}
	}
	return nil
}

// checkRequired refuses a resource that leaves out an input its Args require.
func checkRequired(o *op, _ *world) *AzureError {
	t, err := lookupType(o.obj.Token)
	if err != nil {
		return nil
	}
	var missing []string
	for _, k := range t.required {
		v, ok := o.obj.Inputs[resource.PropertyKey(k)]
		if !ok || v.IsNull() {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		return ruleRequired.errorf("%s %s: missing required input(s) %s", o.obj.Key, o.obj.Name, strings.Join(missing, ", "))
	}
	return nil
}

// checkNameTaken refuses a second resource with a globally unique name that exists already.
func checkNameTaken(o *op, w *world) *AzureError {
	t, err := lookupType(o.obj.Token)
	if err != nil || t.name == nil || t.name.scope != "global" {
		return nil
	}
	for _, x := range w.find(o.obj.Key, nil) {
		if strings.EqualFold(x.Name, o.obj.Name) && !strings.EqualFold(x.ID, o.obj.ID) {
			return ruleNameTaken.errorf("The name %s is already taken by %s.", o.obj.Name, x.ID)
		}
	}
	return nil
}

// checkAlreadyExists refuses to create what exists: azure-native reads the resource before its
// PUT and fails when it is there.
func checkAlreadyExists(o *op, w *world) *AzureError {
	if strings.HasPrefix(o.obj.Token, "azure-native:") && w.byID(o.obj.ID) != nil {
		return ruleAlreadyExists.errorf("cannot create already existing resource '%s'", o.obj.ID)
	}
	return nil
}
