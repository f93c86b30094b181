package suite

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/internal/lm/workload"
	"github.com/inferbench/inferbench/internal/lm/zoo"
)

// Settings are what a suite run is configured by (see the package doc for
// the flags and variables that set them).
type Settings struct {
	Model     string // zoo name or file:PATH ("": zoo.Default)
	Arch      string // declared architecture of a file: model
	Corpus    string // text file ("": the held-out part of Go's Opticks)
	Threads   int    // intra-op threads per session (0: all cores)
	Backends  string // comma-separated backend names ("": every registered backend)
	Scenarios string // comma-separated scenarios, all, report or long ("": all)
	// GenScenarios are comma-separated generation scenarios, or all ("":
	// all).
	GenScenarios string

	// envErr records a variable that did not parse.
	envErr error
	// fs is the flag set the settings are registered on (OnCommandLine),
	// env the names set by their variable.
	fs  *flag.FlagSet
	env map[string]bool
}

// Environment variables of the settings, by flag name.
var Env = map[string]string{
	"model":     "INFERBENCH_MODEL",
	"arch":      "INFERBENCH_ARCH",
	"corpus":    "INFERBENCH_CORPUS",
	"threads":   "INFERBENCH_THREADS",
	"backends":  "INFERBENCH_BACKENDS",
	"scenarios": "INFERBENCH_SCENARIOS",

	"gen-scenarios": "INFERBENCH_GEN_SCENARIOS",
}

// Flags are this process' settings: the INFERBENCH_* variables over the
// defaults, and the command line once a test binary registers them
// (Register, Main, inferbench.RegisterFlags). Importing the package
// registers no flag: a module whose tests define -model of their own
// imports it without a clash.
var Flags = FromEnv(os.Getenv)

// FromEnv returns settings holding the variables' values, or the defaults
// where a variable is empty.
func FromEnv(getenv func(string) string) *Settings {
	s := &Settings{}
	s.loadEnv(getenv)
	return s
}

// loadEnv sets every field from its variable, or its default.
func (s *Settings) loadEnv(getenv func(string) string) {
	s.env, s.envErr = map[string]bool{}, nil
	env := func(name, def string) string {
		if v := getenv(Env[name]); v != "" {
			s.env[name] = true
			return v
		}
		return def
	}
	s.Model = env("model", zoo.Default)
	s.Arch = env("arch", "")
	s.Corpus = env("corpus", "")
	s.Backends = env("backends", "")
	s.Scenarios = env("scenarios", "all")
	s.GenScenarios = env("gen-scenarios", "all")
	s.Threads = 0
	if v := env("threads", ""); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			s.envErr = fmt.Errorf("%s=%q: want a thread count ≥ 0", Env["threads"], v)
		} else {
			s.Threads = n
		}
	}
}

// Register reads the settings from getenv (os.Getenv for a test binary)
// and defines their flags on fs, each defaulting to its variable's value:
// a flag given on the command line wins over the variable.
func (s *Settings) Register(fs *flag.FlagSet, getenv func(string) string) {
	s.loadEnv(getenv)
	s.fs = fs
	fs.StringVar(&s.Model, "model", s.Model, "model: "+strings.Join(zoo.Names(), ", ")+", or file:PATH (.onnx file or Hugging Face GPT-2 directory) [$"+Env["model"]+"]")
	fs.StringVar(&s.Arch, "arch", s.Arch, "declared architecture of a file: model (e.g. gpt2-124m); a parameter-count mismatch is an error [$"+Env["arch"]+"]")
	fs.StringVar(&s.Corpus, "corpus", s.Corpus, "UTF-8 text whose tokens feed the runs (default: the held-out part of Go's Opticks) [$"+Env["corpus"]+"]")
	fs.IntVar(&s.Threads, "threads", s.Threads, "intra-op threads per session (0: all cores) [$"+Env["threads"]+"]")
	fs.StringVar(&s.Backends, "backends", s.Backends, "comma-separated backends (default: every registered backend) [$"+Env["backends"]+"]")
	fs.StringVar(&s.Scenarios, "scenarios", s.Scenarios, "comma-separated scenarios, or all, report, long [$"+Env["scenarios"]+"]")
	fs.StringVar(&s.GenScenarios, "gen-scenarios", s.GenScenarios, "comma-separated generation scenarios (gen_<batch>x<prompt>+<new>), or all [$"+Env["gen-scenarios"]+"]")
}

// Main is the TestMain of a test package whose tests read Flags: it
// registers the flags on the command line and runs the tests.
func Main(m *testing.M) {
	Flags.Register(flag.CommandLine, os.Getenv)
	os.Exit(m.Run())
}

// OnCommandLine reports whether a flag name ("model", "threads", …) was
// given on the command line of a parsed flag set the settings are
// registered on.
func (s *Settings) OnCommandLine(name string) bool {
	given := false
	if s.fs != nil && s.fs.Parsed() {
		s.fs.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	}
	return given
}

// Check reports a variable that did not parse, settings out of range and
// names -backends or -scenarios do not know. Load calls it first, so a
// bad setting fails before any model is built or session created (for
// whichever benchmark runs first, BenchmarkOverhead included).
func (s *Settings) Check() error {
	if s.envErr != nil {
		return s.envErr
	}
	if err := s.Options().Check(); err != nil {
		return fmt.Errorf("-threads: %w", err)
	}
	if _, err := s.SelectBackends(); err != nil {
		return err
	}
	if _, err := s.SelectScenarios(); err != nil {
		return err
	}
	return nil
}

// Options are the session options of the settings.
func (s *Settings) Options() backends.Options { return backends.Options{Threads: s.Threads} }

// BackendNames returns the names -backends lists, trimmed, or nil for
// "every registered backend".
func (s *Settings) BackendNames() []string {
	if strings.TrimSpace(s.Backends) == "" {
		return nil
	}
	var out []string
	for _, n := range strings.Split(s.Backends, ",") {
		if n = strings.TrimSpace(n); n != "" {
			out = append(out, n)
		}
	}
	return out
}

// SelectBackends returns the backends -backends names, in its order, or
// every registered backend (sorted by name) when it names none. An unknown
// name is an error listing the registered ones.
func (s *Settings) SelectBackends() ([]backends.Backend, error) {
	names := s.BackendNames()
	if names == nil {
		return backends.All(), nil
	}
	var out []backends.Backend
	for _, n := range names {
		b, err := backends.Lookup(n)
		if err != nil {
			return nil, fmt.Errorf("-backends: %w", err)
		}
		out = append(out, b)
	}
	return out, nil
}

// SelectScenarios returns the scenarios -scenarios names.
func (s *Settings) SelectScenarios() ([]workload.Scenario, error) {
	sc, err := workload.Select(s.Scenarios)
	if err != nil {
		return nil, fmt.Errorf("-scenarios: %w", err)
	}
	return sc, nil
}

// SelectGenScenarios returns the generation scenarios -gen-scenarios names.
func (s *Settings) SelectGenScenarios() ([]workload.GenScenario, error) {
	sc, err := workload.SelectGeneration(s.GenScenarios)
	if err != nil {
		return nil, fmt.Errorf("-gen-scenarios: %w", err)
	}
	return sc, nil
}
