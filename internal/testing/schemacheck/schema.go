// Package schemacheck checks the inputs a program registers for azure-native resources against
// the provider's published TypeScript type definitions (the npm package
// @pulumi/azure-native): the token's <Type>Args interface exists, every input key exists in it
// (recursively through nested objects, maps, arrays and discriminated unions), and every
// string given to an enum-typed field is one of the enum's values. The azure-native provider
// itself drops unknown keys silently and does not check enums, so this is where a typo in a
// hand-registered input is caught offline.
package schemacheck

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
)

// field is one property of an interface.
type field struct {
	name     string
	optional bool
	t        *typ
}

// iface is a parsed TypeScript interface.
type iface struct {
	name   string
	fields map[string]*field
}

// Schema reads type definitions from an unpacked package root (the folder with types/ and a
// folder per module) on demand.
type Schema struct {
	root string

	mu     sync.Mutex
	inputs map[string]*iface          // "storage.NetworkRuleSetArgs", "machinelearningservices.v20241001.XArgs"
	enums  map[string]map[string]bool // "storage.Bypass" -> values
	args   map[string]*iface          // token -> <Type>Args
	loaded bool
}

// Open returns a schema over root; it fails if root does not look like the package.
func Open(root string) (*Schema, error) {
	if _, err := os.Stat(filepath.Join(root, "types", "input.d.ts")); err != nil {
		return nil, fmt.Errorf("%s is not an unpacked @pulumi/azure-native package (no types/input.d.ts): %w", root, err)
	}
	return &Schema{root: root, enums: map[string]map[string]bool{}, args: map[string]*iface{}}, nil
}

var commentRe = regexp.MustCompile(`(?s)/\*.*?\*/`)

// parseFields parses the body of an interface (without braces).
func parseFields(body string) (map[string]*field, error) {
	body = commentRe.ReplaceAllString(body, "")
	fields := map[string]*field{}
	depth := 0
	start := 0
	for i := 0; i < len(body); i++ {
		switch body[i] {
		case '<', '{', '(':
			depth++
		case '>', '}', ')':
			depth--
		case ';':
			if depth != 0 {
				continue
			}
			decl := strings.TrimSpace(body[start:i])
			start = i + 1
			if decl == "" {
				continue
			}
			colon := strings.Index(decl, ":")
			if colon < 0 {
				return nil, fmt.Errorf("no type in declaration %q", decl)
			}
			name := strings.TrimSpace(decl[:colon])
			f := &field{name: strings.TrimSuffix(name, "?"), optional: strings.HasSuffix(name, "?")}
			t, err := parseType(decl[colon+1:])
			if err != nil {
				return nil, fmt.Errorf("field %s: %w", f.name, err)
			}
			f.t = t
			fields[f.name] = f
		}
	}
	return fields, nil
}

// block returns the text between the braces of the block opened on lines[i], and the index of
// the closing line, matching by indentation as tsc emits it.
func block(lines []string, i int) (string, int) {
	indent := len(lines[i]) - len(strings.TrimLeft(lines[i], " "))
	closing := strings.Repeat(" ", indent) + "}"
	var b strings.Builder
	for j := i + 1; j < len(lines); j++ {
		if strings.HasPrefix(lines[j], closing) && strings.TrimSpace(lines[j]) == "}" {
			return b.String(), j
		}
		b.WriteString(lines[j])
		b.WriteByte('\n')
	}
	return b.String(), len(lines)
}

func readLines(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	return lines, sc.Err()
}

var (
	nsTopRe    = regexp.MustCompile(`^export declare namespace (\w+) \{$`)
	nsVerRe    = regexp.MustCompile(`^    namespace (\w+) \{$`)
	ifaceRe    = regexp.MustCompile(`^\s*interface (\w+) \{$`)
	enumRe     = regexp.MustCompile(`^export declare const (\w+): \{$`)
	enumValRe  = regexp.MustCompile(`readonly \w+: "([^"]*)";`)
	argsFileRe = regexp.MustCompile(`^export interface (\w+Args) \{$`)
)

// loadInputs indexes every interface of types/input.d.ts by "module[.version].Name".
func (s *Schema) loadInputs() error {
	if s.loaded {
		return nil
	}
	lines, err := readLines(filepath.Join(s.root, "types", "input.d.ts"))
	if err != nil {
		return err
	}
	s.inputs = map[string]*iface{}
	module, version := "", ""
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if m := nsTopRe.FindStringSubmatch(l); m != nil {
			module, version = m[1], ""
			continue
		}
		if m := nsVerRe.FindStringSubmatch(l); m != nil {
			version = m[1]
			continue
		}
		if l == "    }" {
			version = ""
			continue
		}
		if m := ifaceRe.FindStringSubmatch(l); m != nil {
			body, end := block(lines, i)
			fields, err := parseFields(body)
			if err != nil {
				return fmt.Errorf("types/input.d.ts line %d, interface %s: %w", i+1, m[1], err)
			}
			key := module + "." + m[1]
			if version != "" {
				key = module + "." + version + "." + m[1]
			}
			s.inputs[key] = &iface{name: m[1], fields: fields}
			i = end
		}
	}
	s.loaded = true
	return nil
}

// enum returns the values of an enum referenced as enums.<module>[.<version>].<Name>.
func (s *Schema) enum(ref string) (map[string]bool, error) {
	if v, ok := s.enums[ref]; ok {
		return v, nil
	}
	parts := strings.Split(strings.TrimPrefix(ref, "enums."), ".")
	name := parts[len(parts)-1]
	path := filepath.Join(append(append([]string{s.root, "types", "enums"}, parts[:len(parts)-1]...), "index.d.ts")...)
	lines, err := readLines(path)
	if err != nil {
		return nil, fmt.Errorf("enum %s: %w", ref, err)
	}
	for i, l := range lines {
		if m := enumRe.FindStringSubmatch(l); m != nil && m[1] == name {
			body, _ := block(lines, i)
			vals := map[string]bool{}
			for _, v := range enumValRe.FindAllStringSubmatch(body, -1) {
				vals[v[1]] = true
			}
			s.enums[ref] = vals
			return vals, nil
		}
	}
	return nil, fmt.Errorf("enum %s not found in %s", ref, path)
}

// resourceArgs returns the <Type>Args interface of a token such as
// "azure-native:machinelearningservices/v20241001preview:Workspace".
func (s *Schema) resourceArgs(token string) (*iface, error) {
	if a, ok := s.args[token]; ok {
		return a, nil
	}
	parts := strings.Split(token, ":")
	if len(parts) != 3 || parts[0] != "azure-native" {
		return nil, fmt.Errorf("not an azure-native resource token: %s", token)
	}
	dir := filepath.Join(s.root, filepath.FromSlash(parts[1]))
	typeName := parts[2]
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("token %s: module folder: %w", token, err)
	}
	file := ""
	for _, e := range entries {
		if strings.EqualFold(e.Name(), typeName+".d.ts") {
			file = filepath.Join(dir, e.Name())
		}
	}
	if file == "" {
		return nil, fmt.Errorf("token %s: no %s.d.ts in %s", token, typeName, dir)
	}
	lines, err := readLines(file)
	if err != nil {
		return nil, err
	}
	for i, l := range lines {
		if m := argsFileRe.FindStringSubmatch(l); m != nil && m[1] == typeName+"Args" {
			body, _ := block(lines, i)
			fields, err := parseFields(body)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", file, err)
			}
			a := &iface{name: m[1], fields: fields}
			s.args[token] = a
			return a, nil
		}
	}
	return nil, fmt.Errorf("token %s: no interface %sArgs in %s", token, typeName, file)
}

// input resolves a reference inputs.<module>[.<version>].<Name>.
func (s *Schema) input(ref string) (*iface, error) {
	if err := s.loadInputs(); err != nil {
		return nil, err
	}
	i, ok := s.inputs[strings.TrimPrefix(ref, "inputs.")]
	if !ok {
		return nil, fmt.Errorf("interface %s not found in types/input.d.ts", ref)
	}
	return i, nil
}

// PackageRoot is where .ci/fetch-azure-native-types unpacks @pulumi/azure-native 2.90.0:
// $AZURE_NATIVE_TYPES, else its cache.
func PackageRoot() string {
	if root := os.Getenv("AZURE_NATIVE_TYPES"); root != "" {
		return root
	}
	home, _ := os.UserHomeDir()
	return filepath.Join(home, ".cache", "azure-ml-security", "azure-native-2.90.0", "package")
}

// OpenForTest opens the package for a test: the test is skipped when it is missing, and
// fails instead under CI=true, where .ci/run fetches it.
func OpenForTest(t testing.TB) *Schema {
	t.Helper()
	s, err := Open(PackageRoot())
	if err != nil {
		msg := "the @pulumi/azure-native 2.90.0 type definitions are needed: run `.ci/fetch-azure-native-types` " +
			"(npm pack into ~/.cache/azure-ml-security) or set AZURE_NATIVE_TYPES to an unpacked package: " + err.Error()
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return s
}

// Root is the package folder the schema reads.
func (s *Schema) Root() string { return s.root }

var apiVersionLine = regexp.MustCompile(`Uses Azure REST API version (\S+)\.`)

// DefaultAPIVersion is the REST API version a resource of the package's default modules is
// deployed with, as its type definition states it ("Uses Azure REST API version ...");
// file is relative to the package, such as "storage/storageAccount.d.ts".
func (s *Schema) DefaultAPIVersion(file string) (string, error) {
	src, err := os.ReadFile(filepath.Join(s.root, file))
	if err != nil {
		return "", err
	}
	m := apiVersionLine.FindSubmatch(src)
	if m == nil {
		return "", fmt.Errorf("%s states no API version", file)
	}
	return string(m[1]), nil
}
