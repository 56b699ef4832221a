package azureml

import "testing"

func TestValidRuleName(t *testing.T) {
	for name, ok := range map[string]bool{
		"lake-dfs": true, "sql-server": true, "a_b": true, "ab": false, "-lake": false,
		"lake.dfs": false, "x23456789012345678901234567890123": true, "x234567890123456789012345678901234": false,
	} {
		if ValidRuleName(name) != ok {
			t.Errorf("ValidRuleName(%q) = %v", name, !ok)
		}
	}
}
