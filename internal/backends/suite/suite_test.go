package suite

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/lm/corpus"
	"github.com/inferbench/inferbench/internal/lm/gpt2"
	"github.com/inferbench/inferbench/internal/lm/zoo"
)

// parse registers fresh settings with env as the environment and parses
// args.
func parse(t *testing.T, env map[string]string, args ...string) *Settings {
	t.Helper()
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	s := &Settings{}
	s.Register(fs, func(k string) string { return env[k] })
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestFlagsDefaultToEnvironment(t *testing.T) {
	def := parse(t, nil)
	if def.Model != zoo.Default || def.Scenarios != "all" || def.GenScenarios != "all" || def.Threads != 0 || def.Corpus != "" || def.Backends != "" {
		t.Errorf("defaults %+v", def)
	}
	env := map[string]string{
		"INFERBENCH_MODEL": "gpt2-124m-arch", "INFERBENCH_ARCH": "gpt2-124m", "INFERBENCH_CORPUS": "/x.txt",
		"INFERBENCH_THREADS": "3", "INFERBENCH_BACKENDS": "ort-cpu", "INFERBENCH_SCENARIOS": "report",
		"INFERBENCH_GEN_SCENARIOS": "gen_1x32+128",
	}
	s := parse(t, env)
	got := [...]any{s.Model, s.Arch, s.Corpus, s.Threads, s.Backends, s.Scenarios, s.GenScenarios}
	want := [...]any{"gpt2-124m-arch", "gpt2-124m", "/x.txt", 3, "ort-cpu", "report", "gen_1x32+128"}
	if got != want {
		t.Errorf("from the environment: %v, want %v", got, want)
	}
	for name := range Env {
		if !s.env[name] || s.OnCommandLine(name) {
			t.Errorf("%s set by %s: from the variable %v, from the command line %v", name, Env[name], s.env[name], s.OnCommandLine(name))
		}
	}
	if def.env["model"] || def.OnCommandLine("model") {
		t.Error("the default model counts as set")
	}
	if len(Env) != 7 {
		t.Errorf("Env has %d variables, want one per flag (7)", len(Env))
	}
	s = parse(t, env, "-threads", "5", "-model", "gpt2-tiny")
	if s.Threads != 5 || s.Model != "gpt2-tiny" || s.Corpus != "/x.txt" {
		t.Errorf("flags must win over the environment: %+v", *s)
	}
	if c := parse(t, nil, "-model", "gpt2-tiny"); !c.OnCommandLine("model") || c.OnCommandLine("corpus") {
		t.Errorf("-model on the command line: OnCommandLine(model) %v, OnCommandLine(corpus) %v", c.OnCommandLine("model"), c.OnCommandLine("corpus"))
	}
}

func TestBadEnvironmentIsAnError(t *testing.T) {
	s := parse(t, map[string]string{"INFERBENCH_THREADS": "many"})
	if _, err := s.Load(); err == nil || !strings.Contains(err.Error(), "INFERBENCH_THREADS") {
		t.Errorf("Load with INFERBENCH_THREADS=many: %v, want an error naming the variable", err)
	}
	if err := (&Settings{Threads: -1}).Check(); err == nil {
		t.Error("-threads -1 accepted")
	}
}

// TestBadNamesFailLoad: unknown -scenarios and -backends names fail Check,
// hence Load, which every benchmark and gate calls before building a model
// or creating a session — not only the benchmarks that use them.
func TestBadNamesFailLoad(t *testing.T) {
	for _, tt := range []struct {
		s    Settings
		flag string
	}{
		{Settings{Scenarios: "single_micro,nonsense"}, "-scenarios"},
		{Settings{Backends: "reference,no-such-backend"}, "-backends"},
	} {
		if _, err := tt.s.Load(); err == nil || !strings.HasPrefix(err.Error(), tt.flag) {
			t.Errorf("%+v: Load error %v, want one naming %s", tt.s, err, tt.flag)
		}
	}
}

func TestSelect(t *testing.T) {
	s := &Settings{Backends: " reference , ort-cpu", Scenarios: "single_micro"}
	bs, err := s.SelectBackends()
	if err != nil || len(bs) != 2 || bs[0].Name() != "reference" || bs[1].Name() != "ort-cpu" {
		t.Errorf("SelectBackends = %v, %v", bs, err)
	}
	if all, err := (&Settings{}).SelectBackends(); err != nil || len(all) < 8 {
		t.Errorf("every registered backend: %d, %v", len(all), err)
	}
	if _, err := (&Settings{Backends: "ort-tpu"}).SelectBackends(); err == nil || !strings.Contains(err.Error(), "-backends") {
		t.Errorf("unknown backend: %v", err)
	}
	sc, err := s.SelectScenarios()
	if err != nil || len(sc) != 1 || sc[0].Seq != 8 {
		t.Errorf("SelectScenarios = %v, %v", sc, err)
	}
	if _, err := (&Settings{Scenarios: "huge"}).SelectScenarios(); err == nil || !strings.Contains(err.Error(), "-scenarios") {
		t.Errorf("unknown scenario: %v", err)
	}
	gen, err := (&Settings{GenScenarios: "gen_8x128+128"}).SelectGenScenarios()
	if err != nil || len(gen) != 1 || gen[0].Batch != 8 || gen[0].Positions() != 256 {
		t.Errorf("SelectGenScenarios = %v, %v", gen, err)
	}
	if _, err := (&Settings{GenScenarios: "single_micro"}).SelectGenScenarios(); err == nil || !strings.Contains(err.Error(), "-gen-scenarios") {
		t.Errorf("unknown generation scenario: %v", err)
	}
}

// TestIdentityMismatchFails: a checkpoint declared as GPT-2 124M whose
// weights are gpt2-tiny's shape is an error, not a model to run.
func TestIdentityMismatchFails(t *testing.T) {
	dir := hfDir(t, zoo.TinyConfig)
	_, err := (&Settings{Model: zoo.FilePrefix + dir, Arch: "gpt2-124m", Corpus: text(t, "Of light.")}).Load()
	if !errors.Is(err, model.ErrIdentityMismatch) || !strings.Contains(err.Error(), "124439808") || !strings.Contains(err.Error(), "-model") {
		t.Errorf("tiny weights declared gpt2-124m: err %v, want %v naming -model and the declared count", err, model.ErrIdentityMismatch)
	}
}

// hfDir writes a Hugging Face GPT-2 directory of seeded weights shaped by
// c.
func hfDir(t *testing.T, c gpt2.Config) string {
	t.Helper()
	dir := t.TempDir()
	cfg, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "config.json"), cfg, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := gpt2.WriteSafetensors(filepath.Join(dir, "model.safetensors"), gpt2.Seeded(c, 1), false, nil); err != nil {
		t.Fatal(err)
	}
	return dir
}

func text(t *testing.T, s string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "text.txt")
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestCorpusErrors(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.txt")
	blank := filepath.Join(dir, "blank.txt")
	binary := filepath.Join(dir, "binary.txt")
	for path, data := range map[string]string{empty: "", blank: " \n\t\n", binary: "\xff\xfe text"} {
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		path string
		want error
	}{
		{empty, corpus.ErrEmpty},
		{blank, corpus.ErrEmpty},
		{binary, corpus.ErrNotUTF8},
		{filepath.Join(dir, "missing.txt"), os.ErrNotExist},
	}
	for _, tt := range tests {
		_, err := (&Settings{Corpus: tt.path}).Load()
		if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), "-corpus") || !strings.Contains(err.Error(), filepath.Base(tt.path)) {
			t.Errorf("%s: err %v, want %v naming -corpus and the file", filepath.Base(tt.path), err, tt.want)
		}
	}
}

// TestAnyTextCorpus: any UTF-8 text is a corpus; its identity travels with
// the fixture.
func TestAnyTextCorpus(t *testing.T) {
	f, err := (&Settings{Corpus: text(t, "Ünïcödé text, 日本語 too: any UTF-8 is accepted.\n")}).Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Tokens) == 0 || f.Corpus.Name != "text.txt" || f.Corpus.SHA256 == "" || f.Model.Identity.Name != zoo.Default {
		t.Errorf("%d tokens, corpus %+v, model %s", len(f.Tokens), f.Corpus, f.Model.Identity.Name)
	}
	lines := map[string]bool{}
	for _, kv := range f.ConfigLines() {
		lines[kv[0]] = true
	}
	if !lines["model"] || !lines["corpus-sha256"] {
		t.Errorf("config lines %v lack the model or the corpus identity", f.ConfigLines())
	}
}

// TestTokensOutsideVocabulary: a model whose vocabulary is smaller than the
// tokenizer's cannot take the corpus; Load says which token.
func TestTokensOutsideVocabulary(t *testing.T) {
	small := gpt2.Config{NLayer: 1, NHead: 2, NEmbd: 8, NPositions: 16, VocabSize: 50, LayerNormEpsilon: 1e-5}
	dir := hfDir(t, small)
	_, err := (&Settings{Model: zoo.FilePrefix + dir, Corpus: text(t, "The prism refracts light.")}).Load()
	if !errors.Is(err, model.ErrBadToken) || !strings.Contains(err.Error(), "outside vocabulary [0, 50)") {
		t.Errorf("Load = %v, want %v naming the vocabulary", err, model.ErrBadToken)
	}
}

func TestSharedLoadsOnce(t *testing.T) {
	s := &Settings{Corpus: text(t, "Of the refraction of light.")}
	a, err := s.Shared()
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.Shared()
	if err != nil || a != b {
		t.Errorf("second Shared = %p, %v; first %p", b, err, a)
	}
}

// TestHostileThreads: thread counts a typo or a script can produce fail
// Check with a message naming the setting and this machine's limit, before
// any session allocates a pool of that size.
func TestHostileThreads(t *testing.T) {
	limit := backends.MaxThreads()
	for _, tt := range []struct {
		threads int
		ok      bool
	}{
		{0, true}, {1, true}, {limit, true},
		{limit + 1, false}, {100000, false}, {math.MaxInt32, false}, {-1, false},
	} {
		err := (&Settings{Threads: tt.threads}).Check()
		if tt.ok {
			if err != nil {
				t.Errorf("-threads %d: %v", tt.threads, err)
			}
			continue
		}
		want := fmt.Sprintf("-threads: invalid session options: threads %d: want 0 (all cores) to %d", tt.threads, limit)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("-threads %d: %v, want %q", tt.threads, err, want)
		}
	}
	s := parse(t, map[string]string{"INFERBENCH_THREADS": "100000"})
	if err := s.Check(); err == nil || !strings.Contains(err.Error(), "threads 100000") {
		t.Errorf("INFERBENCH_THREADS=100000: %v", err)
	}
}

// TestImportRegistersNoFlag: importing the package (and every backend,
// which it imports) defines no flag on the command line; a test package
// registers them itself (Main, inferbench.RegisterFlags).
func TestImportRegistersNoFlag(t *testing.T) {
	for name := range Env {
		if f := flag.Lookup(name); f != nil {
			t.Errorf("flag -%s is defined at import time (%s)", name, f.Usage)
		}
	}
}
