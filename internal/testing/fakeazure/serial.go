package fakeazure

import (
	"fmt"
	"strings"
)

// Rule 5: one write at a time where Azure serialises.

var (
	ruleNetworkSerialised = rule(Rule{ID: "network-one-write-at-a-time", Code: "AnotherOperationInProgress", Status: 409, Where: AtEngine,
		Source: "pulumi/pulumi-azure-native#699, #1024; Azure/azure-quickstart-templates#2786",
		Behaviour: "writes to a VNet and its subnets are serialised: a second one while the first runs fails (\"Another operation on this or dependent resource is in progress\"); " +
			"an endpoint or NIC placed in a subnet that is being written fails with ReferencedResourceNotProvisioned"})
	ruleManagedNetworkSerialised = rule(Rule{ID: "managed-network-one-write-at-a-time", Code: "Conflict", Status: 409, Where: AtBoth,
		Source: "Azure/terraform-provider-azapi#453 (concurrent rule writes lose rules; the maintainer's advice is to write them one at a time)",
		Behaviour: "writes to one workspace's managed network (its outbound rules, a workspace write that provisions the network) are serialised; Azure reports success " +
			"and silently loses a rule, the fake refuses the second write so the loss shows; creating a compute instance while a rule is being written races the same way. " +
			"In a plan, every two rules of a workspace must depend on each other directly: Pulumi deletes removed resources in parallel unless one directly depends on the other"})
)

func init() {
	planChecks = append(planChecks, planRulesOrdered)
}

// planRulesOrdered refuses two outbound rules of one workspace where neither depends directly
// on the other. Creates would still be serial through a chain, but the deletes of rules a
// program drops are scheduled from direct dependencies only (pulumi/pkg resource/deploy
// step_generator.go, ScheduleDeletes), so two dropped rules of a chain whose middle stays
// would be deleted at the same time.
func planRulesOrdered(all []*Resource) []error {
	byWorkspace := map[string][]*Resource{}
	for _, r := range all {
		if r.Custom && r.Key() == "machinelearningservices:ManagedNetworkSettingsRule" {
			ws := strings.ToLower(parentID(r.ID, 2))
			byWorkspace[ws] = append(byWorkspace[ws], r)
		}
	}
	dependsOn := func(a, b *Resource) bool {
		for _, d := range a.Dependencies {
			if d == b.URN {
				return true
			}
		}
		return false
	}
	var errs []error
	for _, rules := range byWorkspace {
		for i, a := range rules {
			for _, b := range rules[i+1:] {
				if !dependsOn(a, b) && !dependsOn(b, a) {
					errs = append(errs, fmt.Errorf("%s %s: %w", a.Key(), a.Name, ruleManagedNetworkSerialised.errorf(
						"outbound rules %s and %s of one workspace do not depend on each other directly: removing both would delete them at the same time", a.Name, b.Name)))
				}
			}
		}
	}
	return errs
}

// lock is the writes in flight on one serialisation key.
type lock struct {
	exclusive string // id of the write that holds it alone
	shared    int    // writes that only need it not to change
}

// lockKey is one serialisation key an operation takes, alone or shared.
type lockKey struct {
	key       string
	exclusive bool
}

// locksOf are the serialisation keys of an operation and the rule that refuses an overlap. A
// subnet write changes its VNet (a VNet write as far as ARM is concerned) and the subnet;
// an endpoint or NIC placed in a subnet needs that subnet not to change while it is made.
func locksOf(o *op) ([]lockKey, *Rule) {
	id := strings.ToLower(o.obj.ID)
	switch o.obj.Key {
	case "network:VirtualNetwork":
		return []lockKey{{id, true}}, ruleNetworkSerialised
	case "network:Subnet":
		return []lockKey{{parentID(id, 2), true}, {id, true}}, ruleNetworkSerialised
	case "network:PrivateEndpoint":
		if sub := o.obj.Str("subnet.id"); sub != "" {
			return []lockKey{{strings.ToLower(sub), false}}, ruleNetworkSerialised
		}
	case "network:NetworkInterface":
		if sub := o.obj.Str("ipConfigurations.0.subnet.id"); sub != "" {
			return []lockKey{{strings.ToLower(sub), false}}, ruleNetworkSerialised
		}
	case "machinelearningservices:ManagedNetworkSettingsRule":
		return []lockKey{{parentID(id, 2), true}}, ruleManagedNetworkSerialised
	case "machinelearningservices:Workspace":
		if o.kind != opDelete {
			return []lockKey{{id, true}}, ruleManagedNetworkSerialised
		}
	case "machinelearningservices:Compute":
		if o.kind == opCreate {
			return []lockKey{{parentID(id, 2), false}}, ruleManagedNetworkSerialised
		}
	}
	return nil, nil
}

// holdsLock reports whether an operation takes a serialisation lock.
func holdsLock(o *op) bool {
	keys, _ := locksOf(o)
	return len(keys) > 0
}

// acquire takes an operation's locks, or refuses it when another write holds one. The release
// function is nil for operations Azure does not serialise.
func (c *Cloud) acquire(o *op, w *world) (func(), error) {
	if c.opts.Timing == nil {
		return nil, nil
	}
	keys, r := locksOf(o)
	if len(keys) == 0 {
		return nil, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, k := range keys {
		l := c.locks[k.key]
		if l == nil {
			continue
		}
		switch {
		case l.exclusive != "":
			if !k.exclusive && r == ruleNetworkSerialised {
				return nil, r.errorf("ReferencedResourceNotProvisioned: Cannot proceed with operation because resource %s used by resource %s is not in Succeeded state. Resource is in Updating state and the last operation that updated/is updating the resource is %s.", k.key, o.obj.ID, l.exclusive)
			}
			return nil, r.errorf("Another operation on this or dependent resource is in progress: %s is being written (%s) while %s %s runs.", k.key, l.exclusive, o.kind, o.obj.ID)
		case k.exclusive && l.shared > 0:
			return nil, r.errorf("Another operation on this or dependent resource is in progress: %d operation(s) depend on %s while %s %s runs.", l.shared, k.key, o.kind, o.obj.ID)
		}
	}
	for _, k := range keys {
		l := c.locks[k.key]
		if l == nil {
			l = &lock{}
			c.locks[k.key] = l
		}
		if k.exclusive {
			l.exclusive = o.obj.ID
		} else {
			l.shared++
		}
	}
	return func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		for _, k := range keys {
			l := c.locks[k.key]
			if k.exclusive {
				l.exclusive = ""
			} else {
				l.shared--
			}
		}
	}, nil
}

// parentID strips the last n segments of an ARM id.
func parentID(id string, n int) string {
	parts := strings.Split(id, "/")
	if len(parts) <= n {
		return ""
	}
	return strings.Join(parts[:len(parts)-n], "/")
}
