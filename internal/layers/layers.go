package layers

import (
	"fmt"
	"slices"
	"strings"
)

// Module is the module path the rules are written against.
const Module = "github.com/inferbench/inferbench"

// Rule forbids packages under From (a module-relative directory) to import
// packages under any of Not.
type Rule struct {
	From string
	Not  []string
}

// Rules are the forbidden arrows.
var Rules = []Rule{
	{"fixtures", []string{"backends", "benchmarks", "accuracy", "tools"}},
	{"backends", []string{"benchmarks", "accuracy", "tools"}},
	{"benchmarks", []string{"accuracy"}},
	{"tools", []string{"benchmarks"}},
	{"internal", []string{"fixtures", "backends", "benchmarks", "accuracy", "tools"}},
}

// Tags are the build-tag sets whose imports are checked: the default
// build and every accelerator and worker backend at once.
var Tags = []string{"", "cuda,tensorrt,webgpu,torch"}

// Package is one package's imports, as go list reports them.
type Package struct {
	ImportPath string
	// Imports are production imports; TestImports those of its _test.go
	// files in the package, XTestImports those of the external test
	// package.
	Imports, TestImports, XTestImports []string
}

// Violation is one forbidden arrow.
type Violation struct {
	From, To string
	Kind     string // "import", "test import" or "external test import"
	Rule     Rule
}

func (v Violation) String() string {
	return fmt.Sprintf("%s: %s of %s (%s ↛ %s)", rel(v.From), v.Kind, rel(v.To), v.Rule.From, strings.Join(v.Rule.Not, ", "))
}

// Check returns every import of pkgs that a rule forbids, sorted.
func Check(pkgs []Package, rules []Rule) []Violation {
	var out []Violation
	for _, p := range pkgs {
		for _, r := range rules {
			if !under(rel(p.ImportPath), r.From) {
				continue
			}
			for _, imp := range []struct {
				kind string
				list []string
			}{{"import", p.Imports}, {"test import", p.TestImports}, {"external test import", p.XTestImports}} {
				for _, to := range imp.list {
					if !strings.HasPrefix(to, Module+"/") {
						continue
					}
					for _, not := range r.Not {
						if under(rel(to), not) {
							out = append(out, Violation{From: p.ImportPath, To: to, Kind: imp.kind, Rule: r})
						}
					}
				}
			}
		}
	}
	slices.SortFunc(out, func(a, b Violation) int { return strings.Compare(a.String(), b.String()) })
	return slices.CompactFunc(out, func(a, b Violation) bool { return a.String() == b.String() })
}

// rel strips the module path.
func rel(path string) string { return strings.TrimPrefix(strings.TrimPrefix(path, Module), "/") }

// under reports whether the module-relative path is dir or below it.
func under(path, dir string) bool { return path == dir || strings.HasPrefix(path, dir+"/") }
