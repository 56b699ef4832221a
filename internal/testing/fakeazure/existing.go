package fakeazure

import (
	"regexp"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// existingTypes map the ARM id shapes a landing zone hands the program to the fake's type keys.
var existingTypes = []struct {
	re  *regexp.Regexp
	key string
}{
	{regexp.MustCompile(`(?i)/providers/Microsoft\.Network/virtualNetworks/[^/]+/subnets/[^/]+$`), "network:Subnet"},
	{regexp.MustCompile(`(?i)/providers/Microsoft\.Network/virtualNetworks/[^/]+$`), "network:VirtualNetwork"},
	{regexp.MustCompile(`(?i)/providers/Microsoft\.Network/privateDnsZones/[^/]+$`), "network:PrivateZone"},
}

// Preexisting returns the resources a landing zone has before the program runs, for
// Options.Existing: one object per id (a subnet also brings its VNet), as the platform team
// made them. Ids of other shapes are skipped.
func Preexisting(ids ...string) []*Object {
	var out []*Object
	seen := map[string]bool{}
	add := func(id, key string) {
		if seen[strings.ToLower(id)] {
			return
		}
		seen[strings.ToLower(id)] = true
		name := id[strings.LastIndex(id, "/")+1:]
		out = append(out, &Object{ID: id, Key: key, Name: name,
			Inputs:  resource.PropertyMap{},
			Outputs: resource.NewPropertyMapFromMap(map[string]any{"id": id, "name": name})})
	}
	for _, id := range ids {
		for _, t := range existingTypes {
			if !t.re.MatchString(id) {
				continue
			}
			if t.key == "network:Subnet" {
				add(id[:strings.Index(strings.ToLower(id), "/subnets/")], "network:VirtualNetwork")
			}
			add(id, t.key)
			break
		}
	}
	return out
}
