package deploytime

import (
	"sort"
	"strings"
)

// stateIndex answers what orders the engine's operations from an exported state.
type stateIndex struct {
	resources []StateResource
	byURN     map[string]int
	children  map[string][]int // component (or any parent) URN -> its descendants' indexes
}

func index(resources []StateResource) *stateIndex {
	s := &stateIndex{resources: resources, byURN: map[string]int{}, children: map[string][]int{}}
	for i, r := range resources {
		s.byURN[r.URN] = i
		for p := r.Parent; p != ""; {
			s.children[p] = append(s.children[p], i)
			j, ok := s.byURN[p]
			if !ok {
				break
			}
			p = resources[j].Parent
		}
	}
	return s
}

// dep is one resource an operation waited for, and why.
type dep struct {
	urn, why string
}

// dependencies are what the engine made a create or update wait for: the resources its inputs
// come from (propertyDependencies), its explicit dependsOn, a custom parent; a component
// stands for its children, as the SDKs expand it.
func (s *stateIndex) dependencies(urn string) []dep {
	i, ok := s.byURN[urn]
	if !ok {
		return nil
	}
	r := s.resources[i]
	why := map[string]string{}
	for prop, urns := range r.PropertyDependencies {
		for _, u := range urns {
			if _, seen := why[u]; !seen {
				why[u] = "dependency: input " + prop
			}
		}
	}
	for _, u := range r.Dependencies {
		if _, seen := why[u]; !seen {
			why[u] = "dependency: dependsOn"
		}
	}
	if j, ok := s.byURN[r.Parent]; ok && s.resources[j].Custom {
		why[r.Parent] = "dependency: parent"
	}
	var out []dep
	for u, w := range why {
		out = append(out, dep{u, w})
		if j, ok := s.byURN[u]; ok && !s.resources[j].Custom {
			for _, c := range s.children[u] {
				if c != i && s.resources[c].Custom {
					out = append(out, dep{s.resources[c].URN, w + " (a child of " + logicalName(u) + ")"})
				}
			}
		}
	}
	sort.Slice(out, func(a, b int) bool { return out[a].urn < out[b].urn })
	return out
}

// dependenciesOf is the engine's DependencyGraph.DependenciesOf: provider, parent,
// dependencies, property dependencies, and the children of a component dependency that come
// before the resource (pulumi/pulumi pkg/resource/graph/dependency_graph.go).
func (s *stateIndex) dependenciesOf(i int) map[int]bool {
	r := s.resources[i]
	urns := map[string]bool{}
	for _, u := range r.Dependencies {
		urns[u] = true
	}
	for _, us := range r.PropertyDependencies {
		for _, u := range us {
			urns[u] = true
		}
	}
	if r.Provider != "" {
		// A provider reference is "<urn>::<id>".
		if k := strings.LastIndex(r.Provider, "::"); k > 0 {
			urns[r.Provider[:k]] = true
		}
	}
	out := map[int]bool{}
	for j := i - 1; j >= 0; j-- {
		c := s.resources[j]
		if urns[c.URN] {
			out[j] = true
			if !c.Custom {
				for _, k := range s.children[c.URN] {
					if k < i {
						out[k] = true
					}
				}
			}
		}
		if c.URN == r.Parent {
			out[j] = true
		}
	}
	return out
}

// scheduleDeletes is the engine's ScheduleDeletes: the condemned resources in waves, each an
// antichain of the dependency graph, the ones nothing condemned depends on first.
func (s *stateIndex) scheduleDeletes(condemned []string) [][]string {
	left := map[int]bool{}
	for _, u := range condemned {
		if i, ok := s.byURN[u]; ok {
			left[i] = true
		}
	}
	deps := map[int]map[int]bool{}
	for i := range left {
		deps[i] = s.dependenciesOf(i)
	}
	var waves [][]string
	for len(left) > 0 {
		var wave []int
		for i := range left {
			free := true
			for j := range deps[i] {
				free = free && !left[j]
			}
			if free {
				wave = append(wave, i)
			}
		}
		if len(wave) == 0 {
			break // a cycle; the engine's state never has one
		}
		var urns []string
		for _, i := range wave {
			delete(left, i)
			urns = append(urns, s.resources[i].URN)
		}
		sort.Strings(urns)
		waves = append(waves, urns)
	}
	for a, b := 0, len(waves)-1; a < b; a, b = a+1, b-1 {
		waves[a], waves[b] = waves[b], waves[a]
	}
	return waves
}

// dependentsOf are the resources that depend directly on urn.
func (s *stateIndex) dependentsOf(urn string) map[string]bool {
	out := map[string]bool{}
	i, ok := s.byURN[urn]
	if !ok {
		return out
	}
	for j := range s.resources {
		if j != i && s.dependenciesOf(j)[i] {
			out[s.resources[j].URN] = true
		}
	}
	return out
}
