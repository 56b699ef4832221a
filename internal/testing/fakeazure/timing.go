package fakeazure

import "time"

// Timing makes the cloud's operations take time (see durations.go): a simulated minute of
// Azure lasts Scale of real time.
type Timing struct {
	Scale time.Duration
}

// OpRecord is one operation the cloud ran, with its real start and end.
type OpRecord struct {
	Kind       string
	Key        string
	ID, URN    string
	Start, End time.Time
}
