package report

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"

	"golang.org/x/perf/benchfmt"

	"github.com/inferbench/inferbench/accuracy"
	"github.com/inferbench/inferbench/tools/internal/benchdata"
	"github.com/inferbench/inferbench/tools/internal/validity"
)

// Cell is one backend × scenario of BenchmarkPrefill.
type Cell struct {
	Backend, Scenario string
	// Samples per unit (tidied units: "sec/op", "p50-ms", "tok/s", …),
	// one value per result line, and the run (process) of each.
	Samples map[string][]float64
	Runs    map[string][]int
	// Tokens holds each result's tokens per call, tok/s × sec/op (exact:
	// the benchmarks' tok/s is tokens × iterations / elapsed time).
	Tokens []float64
	// Degraded lists the distinct reasons its results were degraded.
	Degraded []string
	// DisturbedN counts its results the machine's state disturbed
	// (benchdata.Disturbed), and Disturbed lists the distinct reasons.
	DisturbedN int
	Disturbed  []string
	// Unverified lists why its results' outputs were not checked.
	Unverified []string
	// Files the results came from.
	Files []string
}

// PerRun returns the unit's values one per run, in order of the runs:
// the median of the run's result lines (several with go test -count).
// The run, not the result line, is the unit of replication.
func (c *Cell) PerRun(unit string) []float64 {
	byRun := make(map[int][]float64)
	var order []int
	for i, v := range c.Samples[unit] {
		r := c.Runs[unit][i]
		if _, ok := byRun[r]; !ok {
			order = append(order, r)
		}
		byRun[r] = append(byRun[r], v)
	}
	out := make([]float64, len(order))
	for i, r := range order {
		out[i] = median(byRun[r])
	}
	return out
}

// Latency returns the per-run samples the comparison uses, in
// milliseconds, and the unit they came from: p50-ms, or sec/op when
// p50-ms is absent.
func (c *Cell) Latency() ([]float64, string) {
	if v := c.PerRun("p50-ms"); len(v) > 0 {
		return v, "p50-ms"
	}
	ms := c.PerRun("sec/op")
	for i := range ms {
		ms[i] *= 1e3
	}
	return ms, "sec/op"
}

// Data is everything read from the inputs.
type Data struct {
	Files  []string
	Cells  map[string]map[string]*Cell // backend → scenario
	Build  map[string][]float64        // backend → SessionCreate sec/op samples
	Model  []float64                   // ModelBuild sec/op samples
	Config map[string][]Value          // key → distinct values in order
	Skips  []benchdata.Skip
	// Invalid names every result marked invalid (its timed outputs are
	// wrong) and why; none of them is in Cells, Build or Model.
	Invalid  []string
	Accuracy []*AccuracyFile
	Units    benchfmt.UnitMetadataMap
}

// Value is one configuration value and the files that had it.
type Value struct {
	Value string
	Files []string
}

// AccuracyFile is one -accuracy-out JSON file.
type AccuracyFile struct {
	Path string
	*accuracy.Report
}

// Load reads benchmark files and accuracy JSON files.
func Load(bench, acc []string) (*Data, error) {
	if len(bench) == 0 {
		return nil, fmt.Errorf("report: no benchmark files")
	}
	rs, err := benchdata.ReadRecords(bench...)
	if err != nil {
		return nil, err
	}
	d := &Data{
		Files: bench, Cells: make(map[string]map[string]*Cell), Build: make(map[string][]float64),
		Config: make(map[string][]Value), Skips: rs.Skips, Units: rs.Units,
	}
	for _, r := range rs.Records {
		d.add(r)
	}
	if len(d.Cells) == 0 {
		if len(d.Invalid) > 0 {
			return nil, fmt.Errorf("report: %s: every BenchmarkPrefill result is INVALID: %s", strings.Join(bench, ", "), strings.Join(d.Invalid, "; "))
		}
		return nil, fmt.Errorf("report: %s: no BenchmarkPrefill/backend=…/scenario=… results", strings.Join(bench, ", "))
	}
	for _, p := range acc {
		a, err := readAccuracy(p)
		if err != nil {
			return nil, err
		}
		d.Accuracy = append(d.Accuracy, a)
	}
	return d, nil
}

func readAccuracy(path string) (*AccuracyFile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	return parseAccuracy(path, data)
}

// parseAccuracy parses an -accuracy-out report read from path.
func parseAccuracy(path string, data []byte) (*AccuracyFile, error) {
	var r accuracy.Report
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("report: %s: not an -accuracy-out report: %w", path, err)
	}
	if r.Baseline.Backend == "" && len(r.Backends) == 0 {
		return nil, fmt.Errorf("report: %s: not an -accuracy-out report: no baseline and no backends", path)
	}
	return &AccuracyFile{Path: path, Report: &r}, nil
}

func (d *Data) add(r benchdata.Record) {
	file, _ := r.Pos()
	for _, c := range r.Config {
		if c.Key == "degraded" {
			continue
		}
		d.addConfig(c.Key, string(c.Value), file)
	}
	if why := validity.Invalid(r.Result); why != "" {
		_, line := r.Pos()
		d.Invalid = append(d.Invalid, fmt.Sprintf("Benchmark%s (%s:%d): %s", r.Name.Full(), file, line, why))
		return
	}
	base, parts := r.Name.Parts()
	keys := make(map[string]string)
	for _, p := range parts {
		if k, v, ok := strings.Cut(strings.TrimPrefix(string(p), "/"), "="); ok {
			keys[k] = v
		}
	}
	value := func(unit string) []float64 {
		var out []float64
		for _, v := range r.Values {
			if v.Unit == unit {
				out = append(out, v.Value)
			}
		}
		return out
	}
	switch string(base) {
	case "Prefill":
		b, s := keys["backend"], keys["scenario"]
		if b == "" || s == "" {
			return
		}
		if d.Cells[b] == nil {
			d.Cells[b] = make(map[string]*Cell)
		}
		c := d.Cells[b][s]
		if c == nil {
			c = &Cell{Backend: b, Scenario: s, Samples: make(map[string][]float64), Runs: make(map[string][]int)}
			d.Cells[b][s] = c
		}
		for _, v := range r.Values {
			if v.Unit != benchdata.DegradedUnit {
				c.Samples[v.Unit] = append(c.Samples[v.Unit], v.Value)
				c.Runs[v.Unit] = append(c.Runs[v.Unit], r.Run)
			}
		}
		if sec, tps := value("sec/op"), value("tok/s"); len(sec) == 1 && len(tps) == 1 {
			c.Tokens = append(c.Tokens, sec[0]*tps[0])
		}
		for _, why := range r.Degraded {
			if !slices.Contains(c.Degraded, why) {
				c.Degraded = append(c.Degraded, why)
			}
		}
		c.addDisturbed(r.Disturbed)
		if why := validity.Unverified(r.Result); why != "" && !slices.Contains(c.Unverified, why) {
			c.Unverified = append(c.Unverified, why)
		}
		if !slices.Contains(c.Files, file) {
			c.Files = append(c.Files, file)
		}
	case "SessionCreate":
		if b := keys["backend"]; b != "" {
			d.Build[b] = append(d.Build[b], value("sec/op")...)
		}
	case "ModelBuild":
		d.Model = append(d.Model, value("sec/op")...)
	}
}

func (d *Data) addConfig(key, value, file string) {
	vs := d.Config[key]
	for i := range vs {
		if vs[i].Value == value {
			if !slices.Contains(vs[i].Files, file) {
				vs[i].Files = append(vs[i].Files, file)
			}
			return
		}
	}
	d.Config[key] = append(vs, Value{Value: value, Files: []string{file}})
}

// Get returns the configuration value of key when it has exactly one.
func (d *Data) Get(key string) string {
	if vs := d.Config[key]; len(vs) == 1 {
		return vs[0].Value
	}
	return ""
}

// values returns the distinct values of key, and of the per-backend keys
// that end in "."+key ("ort-cuda.ort-version": the harness prints each
// backend's session options under its name), in order of appearance.
func (d *Data) values(key string) []Value {
	var keys []string
	for k := range d.Config {
		if k == key || strings.HasSuffix(k, "."+key) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	var out []Value
	seen := map[string]bool{}
	for _, k := range keys {
		for _, v := range d.Config[k] {
			if !seen[v.Value] {
				seen[v.Value] = true
				out = append(out, v)
			}
		}
	}
	return out
}
