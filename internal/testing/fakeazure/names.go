package fakeazure

import (
	"fmt"
	"regexp"
	"strings"
)

// nameRule is a resource type's naming rule: the Rule it belongs to (code and source), a check
// that returns why a name is refused, and how far the name must be unique.
type nameRule struct {
	rule  *Rule
	check func(name string) string
	// scope is where the name must be unique: "global" (a DNS name), or "" (its parent, which
	// the ARM id already makes unique).
	scope string
}

func (n *nameRule) refuse(name string) *AzureError {
	if n == nil {
		return nil
	}
	if why := n.check(name); why != "" {
		return n.rule.errorf("%s", why)
	}
	return nil
}

func pattern(re string, why string) func(string) string {
	r := regexp.MustCompile(re)
	return func(name string) string {
		if r.MatchString(name) {
			return ""
		}
		return fmt.Sprintf("%q: %s", name, why)
	}
}

var (
	resourceGroupName = &nameRule{rule: ruleNameResourceGroup,
		check: func(n string) string {
			if len(n) < 1 || len(n) > 90 || strings.HasSuffix(n, ".") || !regexp.MustCompile(`^[-\w._()]+$`).MatchString(n) {
				return fmt.Sprintf("Resource group name %q is invalid: 1-90 letters, digits, underscores, hyphens, periods and parentheses, not ending in a period.", n)
			}
			return ""
		}}
	storageAccountName = &nameRule{rule: ruleNameStorageAccount, scope: "global",
		check: func(n string) string {
			if !regexp.MustCompile(`^[a-z0-9]{3,24}$`).MatchString(n) {
				return fmt.Sprintf("%s is not a valid storage account name. Storage account name must be between 3 and 24 characters in length and use numbers and lower-case letters only.", n)
			}
			return ""
		}}
	keyVaultName = &nameRule{rule: ruleNameKeyVault, scope: "global",
		check: func(n string) string {
			if !regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$`).MatchString(n) || strings.Contains(n, "--") {
				return fmt.Sprintf("The vault name '%s' is invalid. A vault's name must be between 3-24 alphanumeric characters. The name must begin with a letter, end with a letter or digit, and not contain consecutive hyphens.", n)
			}
			return ""
		}}
	registryName = &nameRule{rule: ruleNameRegistry, scope: "global",
		check: pattern(`^[a-zA-Z0-9]{5,50}$`, "registry names are 5-50 letters and digits")}
	logAnalyticsName = &nameRule{rule: ruleNameLogAnalytics,
		check: func(n string) string {
			if len(n) < 4 || len(n) > 63 || !regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9-]+[A-Za-z0-9]$`).MatchString(n) {
				return "Workspace name must start and end with an alphanumeric character, and may contain only alphanumeric and hyphen characters (4-63)."
			}
			return ""
		}}
	appInsightsName = &nameRule{rule: ruleNameAppInsights,
		check: func(n string) string {
			if len(n) < 1 || len(n) > 260 || strings.ContainsAny(n, `%&\?/`) || strings.HasSuffix(n, ".") || strings.HasSuffix(n, " ") {
				return fmt.Sprintf("%q: 1-260 characters without %%&\\?/, not ending in a space or period", n)
			}
			return ""
		}}
	identityName = &nameRule{rule: ruleNameIdentity,
		check: pattern(`^[a-zA-Z0-9][a-zA-Z0-9_-]{2,127}$`, "identity names are 3-128 letters, digits, hyphens and underscores, starting with a letter or digit")}
	privateZoneName = &nameRule{rule: ruleNameNetwork,
		check: func(n string) string {
			labels := strings.Split(n, ".")
			if len(n) > 63 || len(labels) < 2 || len(labels) > 34 {
				return fmt.Sprintf("%q: a private DNS zone name has 2-34 labels and at most 63 characters", n)
			}
			for _, l := range labels {
				if !regexp.MustCompile(`^[a-zA-Z0-9_-]{1,63}$`).MatchString(l) {
					return fmt.Sprintf("%q: label %q has characters other than letters, digits, _ and -", n, l)
				}
			}
			return ""
		}}
	vmName = &nameRule{rule: ruleNameVM,
		check: pattern(`^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,63}$`, "virtual machine names are 1-64 characters")}
	containerName = &nameRule{rule: ruleNameStorageChild,
		check: func(n string) string {
			if !regexp.MustCompile(`^[a-z0-9][a-z0-9-]{2,62}$`).MatchString(n) || strings.Contains(n, "--") {
				return fmt.Sprintf("%q: container names are 3-63 lower-case letters, digits and single hyphens, starting with a letter or digit", n)
			}
			return ""
		}}
	// mlName is the REST spec's pattern of workspace, connection and outbound-rule names.
	mlName = &nameRule{rule: ruleNameML,
		check: pattern(`^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$`, "does not match ^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$")}
	// computeName is ^[a-zA-Z](?![a-zA-Z0-9-]*-\d+$)[a-zA-Z0-9\-]{2,23}$; Go's regexp has no
	// look-ahead, so the "not ending in -<digits>" part is a second test.
	computeName = &nameRule{rule: ruleNameCompute,
		check: func(n string) string {
			if !regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9-]{2,23}$`).MatchString(n) || regexp.MustCompile(`-[0-9]+$`).MatchString(n) {
				return fmt.Sprintf("Compute name '%s' is not available. Reason: Invalid. Message: A name for an Azure ML Compute Instance must be between 3 and 24 characters in length and must use only numbers, letters and minus symbol (-),must start with letters. Numbers cannot be the ending of the name if the previous character is a minus symbol (-).", n)
			}
			return ""
		}}
	datastoreName = &nameRule{rule: ruleNameML,
		check: pattern(`^[a-z0-9_]{1,255}$`, "datastore names are lower-case letters, digits and underscores")}
	sqlServerName = &nameRule{rule: ruleNameSQLServer, scope: "global",
		check: func(n string) string {
			if !regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,61}[a-z0-9]$|^[a-z0-9]$`).MatchString(n) {
				return fmt.Sprintf("%q: server names are 1-63 lower-case letters, digits and hyphens, not starting or ending with a hyphen", n)
			}
			return ""
		}}
	sqlChildName = &nameRule{rule: ruleNameSQLServer,
		check: func(n string) string {
			if len(n) < 1 || len(n) > 128 || strings.ContainsAny(n, `<>*%&:\/?;`) || strings.HasSuffix(n, ".") || strings.HasSuffix(n, " ") {
				return fmt.Sprintf("%q: 1-128 characters without <>*%%&:\\/?;, not ending in a period or space", n)
			}
			return ""
		}}
)

// networkName is the Microsoft.Network rule: letters, digits, _ . -, starting with a letter or
// digit and ending with a letter, digit or _, within the type's length.
func networkName(minLen, maxLen int) *nameRule {
	re := regexp.MustCompile(`^[a-zA-Z0-9]([a-zA-Z0-9_.-]*[a-zA-Z0-9_])?$`)
	return &nameRule{rule: ruleNameNetwork, check: func(n string) string {
		if len(n) < minLen || len(n) > maxLen || !re.MatchString(n) {
			return fmt.Sprintf("Resource name %s is invalid. The name can be up to %d characters long. It must begin with a word character, and it must end with a word character or with '_'. The name may contain word characters or '.', '-', '_'.", n, maxLen)
		}
		return ""
	}}
}

func fixedName(want string) *nameRule {
	return &nameRule{rule: ruleNameStorageChild, check: func(n string) string {
		if n != want {
			return fmt.Sprintf("the name must be %q, not %q", want, n)
		}
		return ""
	}}
}

// windowsComputerName is the rule of osProfile.computerName on a Windows VM.
func windowsComputerName(n string) string {
	if len(n) < 1 || len(n) > 15 || strings.ContainsAny(n, "~!@#$%^&*()=+_[]{}\\|;:.'\",<>/? ") || strings.HasSuffix(n, "-") {
		return fmt.Sprintf("computerName %q: a Windows computer name is 1-15 characters, without spaces, periods or ~!@#$%%^&*()=+_[]{}\\|;:'\",<>/?, not ending in -", n)
	}
	return ""
}

// reservedAdminNames are the admin user names Azure refuses on a VM (compute API,
// OSProfile.adminUsername).
var reservedAdminNames = map[string]bool{
	"administrator": true, "admin": true, "user": true, "user1": true, "test": true, "user2": true,
	"test1": true, "user3": true, "admin1": true, "1": true, "123": true, "a": true, "actuser": true,
	"adm": true, "admin2": true, "aspnet": true, "backup": true, "console": true, "david": true,
	"guest": true, "john": true, "owner": true, "root": true, "server": true, "sql": true,
	"support": true, "support_388945a0": true, "sys": true, "test2": true, "test3": true,
	"user4": true, "user5": true,
}
