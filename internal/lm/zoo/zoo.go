package zoo

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/lm/gpt2"
)

// ErrUnknownModel reports a name the zoo does not know.
var ErrUnknownModel = errors.New("unknown model")

// ErrUnknownArch reports a declared architecture name the zoo does not
// know: a typo must not switch the parameter-count check off.
var ErrUnknownArch = errors.New("unknown architecture")

// Default is the model used when -model is not given.
const Default = "gpt2-tiny"

// FilePrefix introduces a path in a model name.
const FilePrefix = "file:"

// Seed is the seed of every seeded zoo model.
const Seed = 20260101

// Declared parameter counts of the architectures the zoo names, as Hugging
// Face's num_parameters() reports them. They are literals on purpose: the
// weights' actual count is checked against them, not derived from them.
var declared = map[string]int64{
	"gpt2-tiny": 3449280,
	"gpt2-124m": 124439808,
	"gpt2-355m": 354823168,
}

type entry struct {
	arch string
	desc string
	load func(cacheDir string) (gpt2.Config, *gpt2.Weights, source, error)
}

// source says where weights came from.
type source struct {
	kind   model.WeightsKind
	sha256 string // of the weights file, or of the seeded tensors' bytes
	origin string // embedded path, file path or "seeded:seed=N"
	extra  map[string]string
}

var entries = map[string]entry{
	"gpt2-tiny":        {"gpt2-tiny", "embedded default, 4×64, trained", loadTiny},
	"gpt2-tiny-seeded": {"gpt2-tiny", "gpt2-tiny's shape, seeded weights (latency only; an untrained control)", seeded(TinyConfig)},
	"gpt2-124m-arch":   {"gpt2-124m", "GPT-2 small shapes, seeded weights (latency only)", seeded(gpt2.Small)},
	"gpt2-355m-arch":   {"gpt2-355m", "GPT-2 medium shapes, seeded weights (latency only)", seeded(gpt2.Medium)},
}

// Names lists the zoo's model names (file:PATH aside).
func Names() []string {
	var out []string
	for n := range entries {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// DeclaredParams returns the parameter count an architecture name (such as
// "gpt2-124m") declares, and whether the zoo knows the name.
func DeclaredParams(arch string) (int64, bool) {
	n, ok := declared[arch]
	return n, ok
}

// Architectures lists the architecture names Options.Architecture (the
// -arch flag) accepts, sorted.
func Architectures() []string {
	out := make([]string, 0, len(declared))
	for a := range declared {
		out = append(out, a)
	}
	sort.Strings(out)
	return out
}

// checkArch refuses a declared architecture the zoo does not know, with
// the known list (and the lower-case spelling when that is known).
func checkArch(arch string) error {
	if _, ok := declared[arch]; ok || arch == "" {
		return nil
	}
	hint := ""
	if _, ok := declared[strings.ToLower(arch)]; ok {
		hint = fmt.Sprintf(" (did you mean %q? names are lower-case)", strings.ToLower(arch))
	}
	return fmt.Errorf("zoo: %w %q%s: known architectures are %s", ErrUnknownArch, arch, hint, strings.Join(Architectures(), ", "))
}

// Describe returns a one-line description of a zoo name.
func Describe(name string) string { return entries[name].desc }

// Options configure resolution.
type Options struct {
	// CacheDir holds built ONNX files; default $XDG_CACHE_HOME/inferbench/models.
	CacheDir string
	// Architecture, if set, declares the architecture the model must have
	// (one of Architectures, e.g. "gpt2-124m"): a file: model whose weights
	// hold another parameter count, a zoo model of another architecture or
	// an unknown name is an error.
	Architecture string
}

func (o Options) cacheDir() (string, error) {
	if o.CacheDir != "" {
		return o.CacheDir, nil
	}
	if d := os.Getenv("INFERBENCH_CACHE"); d != "" {
		return filepath.Join(d, "models"), nil
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("zoo: no cache directory: %w", err)
	}
	return filepath.Join(d, "inferbench", "models"), nil
}

// Resolve turns a model name into a model with a built ONNX file and a
// validated identity.
func Resolve(name string, opt Options) (*model.Model, error) {
	dir, err := opt.cacheDir()
	if err != nil {
		return nil, err
	}
	if err := checkArch(opt.Architecture); err != nil {
		return nil, err
	}
	sweep(dir)
	if path, ok := strings.CutPrefix(name, FilePrefix); ok {
		return resolveFile(name, path, dir, opt)
	}
	e, ok := entries[name]
	if !ok {
		return nil, fmt.Errorf("zoo: %w %q (known: %s, or file:PATH)", ErrUnknownModel, name, strings.Join(Names(), ", "))
	}
	if opt.Architecture != "" && opt.Architecture != e.arch {
		return nil, fmt.Errorf("zoo: %w: architecture %s declared for zoo model %s, which is %s (a declared architecture is checked, never ignored; leave it unset for zoo models)",
			model.ErrIdentityMismatch, opt.Architecture, name, e.arch)
	}
	cfg, w, src, err := e.load(dir)
	if err != nil {
		return nil, fmt.Errorf("zoo: %s: %w", name, err)
	}
	return fromWeights(name, e.arch, cfg, w, src, dir)
}

// fromWeights identifies weights, checks the declared architecture and
// builds (or finds) the ONNX file.
func fromWeights(name, arch string, cfg gpt2.Config, w *gpt2.Weights, src source, dir string) (*model.Model, error) {
	id := model.Identity{
		Name:           name,
		Architecture:   arch,
		DeclaredParams: declaredParams(arch, cfg),
		Params:         w.Params(),
		WeightsSHA256:  src.sha256,
		Weights:        src.kind,
		Precision:      model.FP32,
		Extra:          map[string]string{"weights-source": src.origin, "config": configString(cfg)},
	}
	for k, v := range src.extra {
		id.Extra[k] = v
	}
	if err := id.Validate(); err != nil {
		return nil, fmt.Errorf("zoo: %w", err)
	}
	gs := &gpt2.Source{Config: cfg, Weights: w}
	m := &model.Model{Identity: id, Vocab: cfg.VocabSize, Positions: cfg.NPositions, Source: gs, CacheDir: dir}
	if err := buildONNX(m, gs); err != nil {
		return nil, fmt.Errorf("zoo: %s: %w", name, err)
	}
	return m, nil
}

// declaredParams returns the literal count for a named architecture, or
// the count the configuration implies for an ad-hoc one.
func declaredParams(arch string, cfg gpt2.Config) int64 {
	if n, ok := declared[arch]; ok {
		return n
	}
	return cfg.ParamCount()
}

func configString(c gpt2.Config) string {
	return fmt.Sprintf("n_layer=%d,n_head=%d,n_embd=%d,n_positions=%d,vocab=%d", c.NLayer, c.NHead, c.NEmbd, c.NPositions, c.VocabSize)
}

// FromWeights identifies in-memory weights (hashing their tensors), checks
// them against the configuration and builds their ONNX file in the cache.
// Tests use it to derive models, e.g. with perturbed weights; arch "" means
// an ad-hoc architecture whose declared count is cfg's.
func FromWeights(name, arch string, cfg gpt2.Config, w *gpt2.Weights, kind model.WeightsKind, opt Options) (*model.Model, error) {
	dir, err := opt.cacheDir()
	if err != nil {
		return nil, err
	}
	if arch == "" {
		arch = "gpt2-custom"
	}
	src := source{kind: kind, sha256: hashTensors(w), origin: "memory:" + name}
	return fromWeights(name, arch, cfg, w, src, dir)
}
