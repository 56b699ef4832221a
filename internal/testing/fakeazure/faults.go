package fakeazure

// Faults makes chosen engine operations fail the ways Azure fails (faults.go).
type Faults struct{}
