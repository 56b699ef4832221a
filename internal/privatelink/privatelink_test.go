package privatelink

import (
	"slices"
	"testing"
)

func TestZonesFor(t *testing.T) {
	got, err := ZonesFor(GroupWorkspace, GroupBlob, GroupBlob, GroupSQLServer)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"privatelink.api.azureml.ms", "privatelink.blob.core.windows.net", "privatelink.database.windows.net", "privatelink.notebooks.azure.net"}
	if !slices.Equal(got, want) {
		t.Errorf("ZonesFor = %v, want %v (sorted, de-duplicated, both workspace zones)", got, want)
	}
	if _, err := ZonesFor("sqlserver"); err == nil {
		t.Error("a misspelt group id is accepted")
	}
}
