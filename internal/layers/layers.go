package layers

import (
	"fmt"
	"slices"
	"strings"
)

// Module is the module path the rules are written against.
const Module = "github.com/inferbench/inferbench"

// Layer is one level of the module: the module-relative directories whose
// packages belong to it ("" is the root package alone).
type Layer struct {
	Name string
	Dirs []string
}

// Layers, lowest first. A package belongs to the layer with the longest
// directory containing it and may import its own layer and those below.
// "internal" catches the utilities (internal/memo, internal/vocab, …): a
// new package under internal/ is a utility that imports nothing above
// until it is listed in a higher layer.
var Layers = []Layer{
	{"internal utilities", []string{"internal"}},
	{"fixtures", []string{"fixtures", "backends/model", "internal/lm"}},
	{"backends", []string{"backends", "internal/backends"}},
	{"benchmarks and accuracy", []string{"internal/benchmarks", "accuracy", "internal/accuracy"}},
	{"root package, test suites and tools", []string{"", "benchmarks", "tools"}},
}

// Rule forbids packages under From (a module-relative directory) to import
// packages under any of Not, within a layer.
type Rule struct {
	From string
	Not  []string
}

// Apart are the forbidden arrows inside a layer: benchmarks and accuracy
// stay independent, and tools read benchmark output, not the harness.
var Apart = []Rule{
	{"internal/benchmarks", []string{"accuracy", "internal/accuracy"}},
	{"benchmarks", []string{"accuracy", "internal/accuracy"}},
	{"tools", []string{"benchmarks", "internal/benchmarks"}},
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

// Violation is one forbidden arrow, or a package in no layer (To empty).
type Violation struct {
	From, To string
	Kind     string // "import", "test import", "external test import" or "no layer"
	Why      string
}

func (v Violation) String() string {
	if v.To == "" {
		return fmt.Sprintf("%s: %s (%s)", show(v.From), v.Kind, v.Why)
	}
	return fmt.Sprintf("%s: %s of %s (%s)", show(v.From), v.Kind, show(v.To), v.Why)
}

// LayerOf returns the index in Layers of the package with the import path,
// or -1 when no layer holds it.
func LayerOf(path string) int {
	best, at := -1, -1
	for i, l := range Layers {
		for _, d := range l.Dirs {
			if under(rel(path), d) && len(d) > best {
				best, at = len(d), i
			}
		}
	}
	return at
}

// Check returns every import of pkgs that points to a higher layer or that
// an Apart rule forbids, and every package of the module in no layer,
// sorted.
func Check(pkgs []Package) []Violation {
	var out []Violation
	for _, p := range pkgs {
		from := LayerOf(p.ImportPath)
		if from < 0 {
			out = append(out, Violation{From: p.ImportPath, Kind: "no layer", Why: "add its directory to layers.Layers"})
			continue
		}
		for _, imp := range []struct {
			kind string
			list []string
		}{{"import", p.Imports}, {"test import", p.TestImports}, {"external test import", p.XTestImports}} {
			for _, to := range imp.list {
				if to != Module && !strings.HasPrefix(to, Module+"/") || to == p.ImportPath {
					continue
				}
				if l := LayerOf(to); l > from {
					out = append(out, Violation{From: p.ImportPath, To: to, Kind: imp.kind,
						Why: Layers[from].Name + " ↛ " + Layers[l].Name})
				}
				for _, r := range Apart {
					if !under(rel(p.ImportPath), r.From) {
						continue
					}
					for _, not := range r.Not {
						if under(rel(to), not) {
							out = append(out, Violation{From: p.ImportPath, To: to, Kind: imp.kind,
								Why: r.From + " ↛ " + strings.Join(r.Not, ", ")})
						}
					}
				}
			}
		}
	}
	slices.SortFunc(out, func(a, b Violation) int { return strings.Compare(a.String(), b.String()) })
	return slices.CompactFunc(out, func(a, b Violation) bool { return a.String() == b.String() })
}

// rel strips the module path: "" for the root package.
func rel(path string) string { return strings.TrimPrefix(strings.TrimPrefix(path, Module), "/") }

// show names a package for a message: its module-relative directory, or
// the module path for the root package.
func show(path string) string {
	if r := rel(path); r != "" {
		return r
	}
	return Module
}

// under reports whether the module-relative path is dir or below it; ""
// is the root package alone.
func under(path, dir string) bool {
	if dir == "" {
		return path == ""
	}
	return path == dir || strings.HasPrefix(path, dir+"/")
}
