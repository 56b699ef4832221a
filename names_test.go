package main

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"azure-ml-security/internal/testing/fakeazure"
)

// TestDerivedNamesKeepAzureRules (F5): every name the program derives, for every resource of
// both stacks, passes its type's Azure name rule (the fake refuses a name Azure refuses) with
// adversarial name suffixes (all digits, a compute name would end in -<digits>; all letters;
// mixed) and with random ones, and with the longest and shortest workloads.
func TestDerivedNamesKeepAzureRules(t *testing.T) {
	suffixes := []string{"000000", "123456", "999999", "0a0000", "00000a", "a00000", "aaaaaa", "zzzzzz", "9z9z9z"}
	rng := rand.New(rand.NewPCG(1, 2))
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	for range 12 {
		b := make([]byte, 6)
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		suffixes = append(suffixes, string(b))
	}
	workloads := []string{"amlsec", "abcdefghij", "ml2"}
	for _, name := range stacks {
		for i, suffix := range suffixes {
			workload := workloads[i%len(workloads)]
			t.Run(fmt.Sprintf("%s/%s/%s", name, workload, suffix), func(t *testing.T) {
				cfg := loadStack(t, name)
				if err := cfg.Set("workload", workload, false); err != nil {
					t.Fatal(err)
				}
				if err := cfg.Set("computeInstanceSshPublicKey", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB7test u@example", false); err != nil {
					t.Fatal(err)
				}
				m, err := plan(t, name, cfg, fakeazure.Options{RandomString: func(string, int) string { return suffix }})
				if err != nil {
					t.Fatalf("suffix %q: %v", suffix, err)
				}
				if err := m.Err(); err != nil {
					t.Fatalf("suffix %q: %v", suffix, err)
				}
			})
		}
	}
}
