package fakeazure

import (
	"fmt"
	"hash/fnv"
)

// Faults make chosen engine operations fail the ways Azure fails (rule 11 of the catalogue).
// Each operation of a resource is considered once per cloud: the first time it runs, a seeded
// hash of its URN and kind decides whether it fails and how; when the same operation runs
// again (the next `pulumi up`), it goes through, as a retried Azure call does.
type Faults struct {
	Seed int64
	// Rate is the share of operations that fail (0-1).
	Rate float64
}

// Kinds of fault.
const (
	// FaultThrottled: ARM throttles the request (429, Retry-After); nothing happens.
	FaultThrottled = "throttled"
	// FaultServerError: ARM answers 500; nothing happens.
	FaultServerError = "server-error"
	// FaultLostAnswer: Azure does the operation but its answer is lost (a timeout, a dropped
	// connection): the engine records a failure for what exists.
	FaultLostAnswer = "lost-answer"
)

var (
	ruleThrottled = rule(Rule{ID: "fault-throttled", Code: "TooManyRequests", Status: 429, Where: AtEngine,
		Source:    "https://learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling",
		Behaviour: "a fault: ARM throttles the request and answers 429 with Retry-After; nothing changes"})
	ruleServerError = rule(Rule{ID: "fault-server-error", Code: "InternalServerError", Status: 500, Where: AtEngine,
		Source:    "https://learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling (retry guidance for transient errors)",
		Behaviour: "a fault: a transient server error; nothing changes"})
	ruleLostAnswer = rule(Rule{ID: "fault-lost-answer", Code: "ResponseLost", Status: 0, Where: AtEngine,
		Source:    "pulumi/pulumi-azure-native#1123 (a create whose answer is lost leaves the resource in Azure and not in the state)",
		Behaviour: "a fault: Azure completes the operation but the answer never arrives; a lost create leaves the resource in Azure without a record in the state"})
)

// fault decides the fault of an operation's first run, or "".
func (c *Cloud) fault(o *op) string {
	f := c.opts.Faults
	if f == nil || f.Rate <= 0 {
		return ""
	}
	key := string(o.kind) + " " + o.obj.URN
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.faulted[key] {
		return ""
	}
	c.faulted[key] = true
	h := fnv.New64a()
	fmt.Fprintf(h, "%d %s", f.Seed, key)
	x := h.Sum64()
	if float64(x%10000)/10000 >= f.Rate {
		return ""
	}
	return []string{FaultThrottled, FaultServerError, FaultLostAnswer}[(x/10000)%3]
}

// SetFaults replaces the cloud's faults (nil: none).
func (c *Cloud) SetFaults(f *Faults) {
	c.mu.Lock()
	c.opts.Faults = f
	c.mu.Unlock()
}

// faultBefore fails an operation before it does anything.
func (c *Cloud) faultBefore(o *op) error {
	switch k := c.peekFault(o); k {
	case FaultThrottled:
		return ruleThrottled.errorf("Number of requests for subscription '%s' and operation '%s' exceeded the backend storage limit. Please try again after '6' seconds.", SubscriptionID, o.kind)
	case FaultServerError:
		return ruleServerError.errorf("The server encountered an internal error while %sing %s.", o.kind, o.obj.ID)
	}
	return nil
}

// faultAfter fails an operation that happened.
func (c *Cloud) faultAfter(o *op) error {
	if c.peekFault(o) == FaultLostAnswer {
		return ruleLostAnswer.errorf("the answer to %s %s was lost (context deadline exceeded)", o.kind, o.obj.ID)
	}
	return nil
}

// peekFault returns the operation's fault, deciding it on first use within this operation.
func (c *Cloud) peekFault(o *op) string {
	if o.fault == nil {
		f := c.fault(o)
		o.fault = &f
	}
	return *o.fault
}

// Faulted lists the operations that failed by a fault, as "<kind> <urn> <fault>".
func (c *Cloud) Faulted() []OpRecord {
	var out []OpRecord
	for _, r := range c.Log() {
		if r.Failed != "" && (containsRule(r.Failed, ruleThrottled) || containsRule(r.Failed, ruleServerError) || containsRule(r.Failed, ruleLostAnswer)) {
			out = append(out, r)
		}
	}
	return out
}

func containsRule(msg string, r *Rule) bool {
	return len(msg) > 0 && contains(msg, "fake Azure rule "+r.ID+";")
}
