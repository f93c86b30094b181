package cpu

import (
	ortgo "github.com/yalue/onnxruntime_go"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/backends/ort"
	"github.com/inferbench/inferbench/internal/backends/ort/variant"
	"github.com/inferbench/inferbench/internal/lm/zoo"
)

// Registry keys.
const (
	Name     = "ort-cpu"
	NameFP16 = "ort-cpu-fp16"
	NameINT8 = "ort-cpu-int8"
	// NameFused runs the fp32 fused graph (zoo.Fused: ONNX Runtime's
	// contrib operators), the CPU check of what the GPU fused variants run.
	NameFused = "ort-cpu-fused"
)

var names = ort.PrecisionNames{Name, NameFP16, NameINT8}

func init() {
	for _, p := range ort.Precisions {
		backends.Register(Backend{precision: p})
	}
	backends.Register(Fused())
}

// Backend is ONNX Runtime's CPU execution provider computing in one
// precision: fp32 on the model itself, fp16 and int8 on its variants. The
// zero value is the fp32 backend.
type Backend struct {
	precision model.Precision
	fused     bool
}

// New returns the backend of precision p (fp32, fp16 or int8).
func New(p model.Precision) Backend { return Backend{precision: p} }

// Fused returns the fp32 backend on the fused graph, ort-cpu-fused.
func Fused() Backend { return Backend{precision: model.FP32, fused: true} }

// Name implements backends.Backend.
func (b Backend) Name() string {
	if b.fused {
		return NameFused
	}
	return names.For(b.precision)
}

// Precision implements backends.Backend.
func (b Backend) Precision() model.Precision {
	if b.precision == "" {
		return model.FP32
	}
	return b.precision
}

// Device implements backends.Backend.
func (Backend) Device() string { return "cpu" }

// Options returns the session options every ort-cpu backend uses for opts.
// With opts.Overlapped the intra-op threads do not spin while waiting for
// work, which on a machine with as many busy Go threads as cores would
// take their time.
func Options(opts backends.Options) ort.Options {
	spin := "1"
	if opts.Overlapped {
		spin = "0"
	}
	return ort.Options{
		IntraOpThreads:    opts.EffectiveThreads(),
		InterOpThreads:    1,
		ExecutionMode:     ortgo.ExecutionModeSequential,
		GraphOptimization: ortgo.GraphOptimizationLevelEnableAll,
		CPUMemArena:       true,
		MemPattern:        true,
		Entries:           [][2]string{{"session.intra_op.allow_spinning", spin}},
		ProfileDir:        opts.ProfileDir,
		Decoder:           zoo.Decoder,
		Rows:              zoo.Rows,
	}
}

// Open implements backends.Backend, with Options(opts) for every
// precision. fp32 opens m itself; the session is an *ort.Session. fp16 and
// int8 open m's variant (m itself if it has that precision, else
// zoo.Variant's, built and cached on first use; int8 calibrated on the
// train part of Opticks with opts' threads); the session is a
// *variant.Session, degraded if its probe finds the MatMuls running in
// float32 (JudgeFP16) or the quantized MatMuls in float (JudgeINT8).
// ort-cpu-fused opens the fused graph of m (variant.OpenFused), degraded
// if its probe did not run every fused node as its contrib kernel.
func (b Backend) Open(m *model.Model, opts backends.Options) (backends.Session, error) {
	var (
		s   backends.Session
		err error
	)
	switch {
	case b.fused:
		s, err = variant.OpenFused(b.Name(), b.Precision(), m, Options(opts), noJudge)
	case b.Precision() == model.FP16:
		s, err = variant.Open(b.Name(), model.FP16, m, Options(opts), JudgeFP16)
	case b.Precision() == model.INT8:
		s, err = variant.Open(b.Name(), model.INT8, m, Options(opts), JudgeINT8)
	default:
		s, err = ort.Open(b.Name(), m, Options(opts))
	}
	if err != nil {
		return nil, err
	}
	return s, nil
}

// noJudge is the fp32 fused backend's precision judge: fp32 has no
// precision to prove (variant.JudgeFused proves the fusion).
func noJudge(*variant.Profile, *model.Model) ([][2]string, string) { return nil, "" }
