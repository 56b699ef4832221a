package fakeazure

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
)

// ruleCase shows one rule of the catalogue at work: on each path where the rule is enforced, a
// fragment that breaks it is refused with that rule, and a near-identical fragment that obeys it
// is accepted, so that the case cannot pass by refusing (or accepting) everything.
type ruleCase struct {
	// plan runs both fragments on the plan path (Monitor under pulumi.WithMocks: its
	// registration checks, Violations, or UpdateRefusal on two plans) and returns what each
	// ended with.
	plan func(t *testing.T) (refused, accepted error)
	// engine runs both fragments as operations on a Cloud.
	engine func(t *testing.T) (refused, accepted error)
	// engineState stands in for engine when, at operation time, Azure refuses nothing but leaves
	// a state behind (a managed private endpoint left Inactive); it asserts that state for both
	// fragments itself.
	engineState func(t *testing.T)
}

// ruleCases is every rule's case, by rule id. A rule added to the catalogue without a case here
// fails TestEveryRuleHasACase.
var ruleCases = map[string]ruleCase{
	// Names and required inputs (names_test.go).
	"name-resource-group":     nameCase(fixRGName),
	"name-storage-account":    nameCase(fixStorageName),
	"name-key-vault":          nameCase(fixVaultName),
	"name-container-registry": nameCase(fixRegistryName),
	"name-log-analytics":      nameCase(fixLogAnalyticsName),
	"name-app-insights":       nameCase(fixAppInsightsName),
	"name-identity":           nameCase(fixIdentityName),
	"name-network":            nameCase(fixVNetName, fixZoneName),
	"name-virtual-machine":    nameCase(fixVMAdminName, fixVMComputerName),
	"name-storage-child":      nameCase(fixContainerName, fixBlobServiceName),
	"name-ml":                 nameCase(fixWorkspaceName, fixDatastoreName),
	"name-ml-compute":         nameCase(fixComputeName),
	"name-sql":                nameCase(fixSQLServerName, fixSQLDatabaseName),
	"required-inputs":         nameCase(fixRequired),
	"name-taken":              {engine: engineNameTaken},
	"already-exists":          {engine: engineAlreadyExists},

	// References and delete integrity (integrity_test.go).
	"reference-exists":        {plan: planReferenceExists, engine: engineReferenceExists},
	"delete-subnet-in-use":    {engine: engineDeleteSubnetInUse},
	"delete-nsg-in-use":       {engine: engineDeleteNSGInUse},
	"delete-zone-with-links":  {engine: engineDeleteZoneWithLinks},
	"delete-public-ip-in-use": {engine: engineDeletePublicIPInUse},
	"delete-nic-in-use":       {engine: engineDeleteNICInUse},

	// Data-plane paths (dataplane_test.go).
	"blob-needs-network-path": {plan: planBlobNetwork, engine: engineBlobNetwork},
	"blob-needs-shared-key":   {plan: planBlobSharedKey, engine: engineBlobSharedKey},

	// Role assignments (roles_test.go).
	"principal-not-found":     {plan: planPrincipalNotFound, engine: enginePrincipalNotFound},
	"principal-type-mismatch": {plan: planPrincipalType, engine: enginePrincipalType},
	"role-assignment-exists":  {plan: planAssignmentExists, engine: engineAssignmentExists},

	// The managed network (managednet_test.go).
	"managed-endpoint-approval":           {plan: planApproval, engineState: engineApprovalState},
	"compute-needs-active-rules":          {plan: planComputeRulesCase, engine: engineComputeRulesCase},
	"outbound-rule-duplicate-destination": {plan: planDuplicateDestination, engine: engineDuplicateDestination},
	"fqdn-rules-need-approved-outbound":   {plan: planFQDNMode, engine: engineFQDNMode},
	"outbound-rules-one-method":           {plan: planOneMethodCase},

	// What Azure cannot change in place (immutable_test.go).
	"compute-instance-immutable":    immutableCase(immComputeInstance),
	"isolation-mode-one-way":        immutableCase(immIsolationMode, immIsolationLoosen),
	"workspace-dependencies-fixed":  immutableCase(immWorkspaceStorage),
	"purge-protection-irreversible": immutableCase(immPurgeProtection, immSoftDeleteRetention),
	"storage-hns-immutable":         immutableCase(immHNS),
	"sql-admin-login-immutable":     immutableCase(immSQLAdmin),
	"role-assignment-immutable":     immutableCase(immRoleAssignment),
	"vm-os-profile-immutable":       immutableCase(immVMComputerName),

	// Soft delete (softdelete_test.go).
	"soft-deleted-key-vault":     {engine: engineSoftDeletedVault},
	"soft-deleted-workspace":     {engine: engineSoftDeletedWorkspace},
	"soft-deleted-log-analytics": {engine: engineSoftDeletedLogs},
	"purge-protection":           {engine: enginePurgeProtection},

	// Serialised writes (serial_test.go).
	"network-one-write-at-a-time":         {engine: engineNetworkSerialised},
	"managed-network-one-write-at-a-time": {plan: planManagedNetworkSerialised, engine: engineManagedNetworkSerialised},

	// Faults (faults_test.go).
	"fault-throttled":    {engine: engineFault(FaultThrottled)},
	"fault-server-error": {engine: engineFault(FaultServerError)},
	"fault-lost-answer":  {engine: engineFault(FaultLostAnswer)},
}

// TestEveryRuleHasACase fails when a rule of the catalogue has no case, or a case does not
// exercise each path the rule says it is enforced on (and only those).
func TestEveryRuleHasACase(t *testing.T) {
	t.Parallel()
	for _, r := range Catalogue() {
		if r.Where != AtPlan && r.Where != AtEngine && r.Where != AtBoth {
			t.Errorf("rule %s: Where is %q, not AtPlan, AtEngine or AtBoth", r.ID, r.Where)
		}
		c, ok := ruleCases[r.ID]
		if !ok {
			t.Errorf("rule %s has no case in ruleCases (rules_test.go): add one showing the fake refusing a fragment that breaks it and accepting a near-identical one that obeys it", r.ID)
			continue
		}
		atPlan, atEngine := strings.Contains(r.Where, AtPlan), strings.Contains(r.Where, AtEngine)
		if atPlan != (c.plan != nil) {
			t.Errorf("rule %s is enforced at %q, but its case has plan=%v", r.ID, r.Where, c.plan != nil)
		}
		if atEngine != (c.engine != nil || c.engineState != nil) {
			t.Errorf("rule %s is enforced at %q, but its case has engine=%v", r.ID, r.Where, c.engine != nil || c.engineState != nil)
		}
		if c.engine != nil && c.engineState != nil {
			t.Errorf("rule %s: a case has engine or engineState, not both", r.ID)
		}
	}
	for id := range ruleCases {
		if RuleByID(id) == nil {
			t.Errorf("case %s names no rule of the catalogue", id)
		}
	}
}

// TestCatalogueRules runs every rule's case on each path the rule is enforced on.
func TestCatalogueRules(t *testing.T) {
	t.Parallel()
	for _, r := range Catalogue() {
		c, ok := ruleCases[r.ID]
		if !ok {
			continue // TestEveryRuleHasACase reports it
		}
		t.Run(r.ID, func(t *testing.T) {
			t.Parallel()
			if c.plan != nil {
				t.Run("plan", func(t *testing.T) {
					t.Parallel()
					refused, accepted := c.plan(t)
					expectRule(t, r.ID, refused, accepted)
				})
			}
			if c.engine != nil {
				t.Run("engine", func(t *testing.T) {
					t.Parallel()
					refused, accepted := c.engine(t)
					expectRule(t, r.ID, refused, accepted)
				})
			}
			if c.engineState != nil {
				t.Run("engine", func(t *testing.T) {
					t.Parallel()
					c.engineState(t)
				})
			}
		})
	}
}

// expectRule checks that refused is (or joins) refusals by rule id alone, and that accepted is
// nil.
func expectRule(t *testing.T, id string, refused, accepted error) {
	t.Helper()
	if t.Failed() {
		return // the case reported why already
	}
	if refused == nil {
		t.Errorf("the fragment that breaks %s was accepted", id)
	} else {
		var ae *AzureError
		if !errors.As(refused, &ae) {
			t.Errorf("the fragment that breaks %s was refused with %v, not an *AzureError", id, refused)
		} else if ae.Rule.ID != id {
			t.Errorf("the fragment that breaks %s was refused by rule %s: %v", id, ae.Rule.ID, refused)
		}
		found, foreign := azureErrors(refused)
		for _, e := range found {
			if e.Rule.ID != id {
				t.Errorf("the fragment that breaks %s also breaks %s: %v", id, e.Rule.ID, e)
			}
		}
		for _, e := range foreign {
			t.Errorf("the fragment that breaks %s failed outside the catalogue: %v", id, e)
		}
	}
	if accepted != nil {
		t.Errorf("the fragment that obeys %s was refused: %v", id, accepted)
	}
}

// azureErrors returns the refusals an error joins or wraps, and the leaves that are not
// refusals.
func azureErrors(err error) (found []*AzureError, foreign []error) {
	var walk func(error)
	walk = func(e error) {
		if e == nil {
			return
		}
		if ae, ok := e.(*AzureError); ok {
			found = append(found, ae)
			return
		}
		switch u := e.(type) {
		case interface{ Unwrap() []error }:
			for _, x := range u.Unwrap() {
				walk(x)
			}
		case interface{ Unwrap() error }:
			walk(u.Unwrap())
		default:
			foreign = append(foreign, e)
		}
	}
	walk(err)
	return found, foreign
}

// TestCatalogueTable renders the catalogue as the README's Markdown table, one row per rule
// sorted by id; with FAKEAZURE_CATALOGUE_TABLE set to a path, it writes the table there.
func TestCatalogueTable(t *testing.T) {
	t.Parallel()
	table := catalogueTable()
	if rows := strings.Count(table, "\n") - 2; rows != len(Catalogue()) {
		t.Errorf("%d rows for %d rules", rows, len(Catalogue()))
	}
	for _, r := range Catalogue() {
		if r.Behaviour == "" {
			t.Logf("rule %s has no Behaviour", r.ID)
		}
		if r.Source == "" {
			t.Errorf("rule %s has no Source", r.ID)
		}
	}
	if path := os.Getenv("FAKEAZURE_CATALOGUE_TABLE"); path != "" {
		if err := os.WriteFile(path, []byte(table), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// catalogueTable is the catalogue as a Markdown table: Rule | What Azure does | Azure
// error | Enforced | Source.
func catalogueTable() string {
	var b strings.Builder
	b.WriteString("| Rule | What Azure does | Azure error | Enforced | Source |\n")
	b.WriteString("|---|---|---|---|---|\n")
	for _, r := range Catalogue() {
		status := fmt.Sprintf("%d", r.Status)
		if r.Status == 0 {
			status = "no HTTP error"
		}
		fmt.Fprintf(&b, "| `%s` | %s | `%s` (%s) | %s | %s |\n", r.ID, mdCell(r.Behaviour), r.Code, status, r.Where, mdCell(r.Source))
	}
	return b.String()
}

// mdCell escapes text for a Markdown table cell.
func mdCell(s string) string {
	return strings.NewReplacer(`\`, `\\`, "|", `\|`, "<", "&lt;", ">", "&gt;", "*", `\*`, "_", `\_`, "`", "\\`").Replace(s)
}
