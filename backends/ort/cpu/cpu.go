package cpu

import (
	ortgo "github.com/yalue/onnxruntime_go"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/ort"
	"github.com/inferbench/inferbench/fixtures/model"
)

// Name is the registry key.
const Name = "ort-cpu"

func init() { backends.Register(Backend{}) }

// Backend is ONNX Runtime on the CPU execution provider, fp32.
type Backend struct{}

// Name implements backends.Backend.
func (Backend) Name() string { return Name }

// Precision implements backends.Backend.
func (Backend) Precision() model.Precision { return model.FP32 }

// Device implements backends.Backend.
func (Backend) Device() string { return "cpu" }

// Options returns the session options ort-cpu uses for opts.
func Options(opts backends.Options) ort.Options {
	return ort.Options{
		IntraOpThreads:    opts.EffectiveThreads(),
		InterOpThreads:    1,
		ExecutionMode:     ortgo.ExecutionModeSequential,
		GraphOptimization: ortgo.GraphOptimizationLevelEnableAll,
		CPUMemArena:       true,
		MemPattern:        true,
		Entries:           [][2]string{{"session.intra_op.allow_spinning", "1"}},
		ProfileDir:        opts.ProfileDir,
	}
}

// Open implements backends.Backend. The session is an *ort.Session.
func (Backend) Open(m *model.Model, opts backends.Options) (backends.Session, error) {
	s, err := ort.Open(Name, m, Options(opts))
	if err != nil {
		return nil, err
	}
	return s, nil
}
