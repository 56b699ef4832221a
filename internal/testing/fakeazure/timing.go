package fakeazure

import (
	"time"
)

// Timing makes the cloud's operations take time, so that the real engine's parallelism
// overlaps them as it would on Azure: an operation of d simulated minutes (durations.go) lasts
// d × Scale of real time.
type Timing struct {
	// Scale is the real time of one simulated minute (10 ms makes an hour of Azure 600 ms).
	Scale time.Duration
	// MinHold is the least real time a write that Azure serialises holds its lock, so that two
	// overlapping writes meet even when both are quick.
	MinHold time.Duration
	// Propagation is how many simulated minutes a role assignment takes to become effective
	// (Microsoft Learn: "up to 10 minutes"; see durations.go).
	Propagation float64
}

// DefaultTiming is what the engine tests run with: one simulated minute in 10 ms.
func DefaultTiming() *Timing {
	return &Timing{Scale: 10 * time.Millisecond, MinHold: 20 * time.Millisecond, Propagation: defaultPropagation}
}

func (t *Timing) real(minutes float64) time.Duration {
	if t == nil {
		return 0
	}
	return time.Duration(minutes * float64(t.Scale))
}

// minutes converts real time back into simulated minutes.
func (t *Timing) minutes(d time.Duration) float64 {
	if t == nil || t.Scale == 0 {
		return 0
	}
	return float64(d) / float64(t.Scale)
}

// OpRecord is one operation the cloud ran, with its real start and end.
type OpRecord struct {
	Kind  string // create, update, delete
	Key   string // type key
	ID    string
	URN   string
	Start time.Time
	End   time.Time
	// Minutes is the simulated duration the model gave the operation.
	Minutes float64
	// Failed is the error the operation ended with, or "".
	Failed string
	// Refs, Approvals and Locks are what the operation needed from the rest of the cloud
	// (needs.go): what had to exist, the managed endpoints it made and the grants that approve
	// them, the serialisation keys it held.
	Refs      []Ref
	Approvals []Approval
	Locks     []LockHold
}

// Log returns the operations run so far, in the order they ended.
func (c *Cloud) Log() []OpRecord {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]OpRecord(nil), c.log...)
}

// ResetLog forgets the operations run so far.
func (c *Cloud) ResetLog() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.log = nil
}

// Timing is the cloud's timing, nil when operations are instant.
func (c *Cloud) Timing() *Timing { return c.opts.Timing }
