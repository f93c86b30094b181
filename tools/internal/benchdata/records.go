package benchdata

import (
	"errors"
	"os"
	"regexp"
	"strings"

	"golang.org/x/perf/benchfmt"
)

// A Record is one benchmark result line as read, with the configuration in
// effect for it, for tools that need more than an A/B series: a report
// across backends, a history across commits.
type Record struct {
	// Result is the parsed line; Result.Config holds every configuration
	// line in effect, Result.Pos() the file and line.
	*benchfmt.Result
	// Run is the index of the record's run (process) in Records.Runs,
	// told apart as Collection.Read does (see the package documentation).
	Run int
	// Degraded lists why the result is degraded, if it is (see the
	// package documentation); the "degraded" marker metric stays in
	// Result.Values.
	Degraded []string
	// Disturbed lists why the machine's state disturbed the result, if
	// it did (Disturbed); the environment metrics stay in Result.Values.
	Disturbed []string
}

// A Skip is a "# skip <benchmark>: <reason>" line: a benchmark that did
// not run, and why.
type Skip struct {
	File      string
	Benchmark string
	Reason    string
}

// Records are the results of one or more files.
type Records struct {
	Records []Record
	// Runs lists the runs of all files in order of appearance.
	Runs []Run
	// Units is the unit metadata of every file; later files override.
	Units benchfmt.UnitMetadataMap
	// Skips are the benchmarks the files say were skipped, in order.
	Skips []Skip
}

// ReadRecords reads every result of the named files, in order. It is as
// strict as Collection.Read: malformed lines, non-finite values and
// negative values of units that cannot be negative are returned together,
// naming file and line, wrapped in ErrSyntax, and a file without results
// gives ErrNoResults.
func ReadRecords(paths ...string) (*Records, error) {
	rs := &Records{Units: make(benchfmt.UnitMetadataMap)}
	var errs []error
	for _, p := range paths {
		errs = append(errs, rs.readFile(p))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return rs, nil
}

// ParseRecords is ReadRecords for one input already read, named name in
// errors.
func ParseRecords(name string, data []byte) (*Records, error) {
	rs := &Records{Units: make(benchfmt.UnitMetadataMap)}
	if err := rs.parse(name, data); err != nil {
		return nil, err
	}
	return rs, nil
}

func (rs *Records) readFile(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return rs.parse(path, data)
}

func (rs *Records) parse(path string, data []byte) error {
	runs := newRunState(data)
	err := scan(data, path, func(m *benchfmt.UnitMetadata) { rs.Units[m.UnitMetadataKey] = m }, func(res *benchfmt.Result) error {
		if err := check(res); err != nil {
			return err
		}
		run := runs.of(res, func(label string, line int) int {
			rs.Runs = append(rs.Runs, Run{File: path, Label: label, Line: line})
			return len(rs.Runs) - 1
		})
		rs.Records = append(rs.Records, Record{Result: res.Clone(), Run: run, Degraded: degraded(res), Disturbed: Disturbed(res)})
		return nil
	})
	if err != nil {
		return err
	}
	rs.readSkips(path, data)
	return nil
}

// readSkips collects the "# skip" lines benchfmt passes over.
func (rs *Records) readSkips(path string, data []byte) {
	for _, line := range strings.Split(string(data), "\n") {
		rest, ok := strings.CutPrefix(strings.TrimSuffix(line, "\r"), "# skip ")
		if !ok {
			continue
		}
		name, reason, _ := strings.Cut(rest, ": ")
		rs.Skips = append(rs.Skips, Skip{File: path, Benchmark: strings.TrimPrefix(name, "Benchmark"), Reason: reason})
	}
}

// machineKey matches configuration keys that describe the machine.
// The clock policy (each GPU's, the CPU's frequency governor and nominal
// frequency) counts: locked and unlocked clocks are different machines.
var machineKey = regexp.MustCompile(`^(goos|goarch|cpu|cores|mem-total-bytes|gpu|gpu-count|gpu\d+|gpu\d+-memory-bytes|gpu\d+-clock-policy|cpu-governor|cpu-nominal-mhz|nvidia-driver|.*driver.*)$`)

// IsMachineKey reports whether a configuration key describes the machine
// (as the testing package and the benchmarks' harness print it): results
// that differ in one come from different machines and are not comparable.
func IsMachineKey(key string) bool { return machineKey.MatchString(key) }
