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
)

var names = ort.PrecisionNames{Name, NameFP16, NameINT8}

func init() {
	for _, p := range ort.Precisions {
		backends.Register(Backend{p})
	}
}

// Backend is ONNX Runtime's CPU execution provider computing in one
// precision: fp32 on the model itself, fp16 and int8 on its variants. The
// zero value is the fp32 backend.
type Backend struct {
	precision model.Precision
}

// New returns the backend of precision p (fp32, fp16 or int8).
func New(p model.Precision) Backend { return Backend{p} }

// Name implements backends.Backend.
func (b Backend) Name() string { return names.For(b.precision) }

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
func (b Backend) Open(m *model.Model, opts backends.Options) (backends.Session, error) {
	var (
		s   backends.Session
		err error
	)
	switch b.Precision() {
	case model.FP16:
		s, err = variant.Open(b.Name(), model.FP16, m, Options(opts), JudgeFP16)
	case model.INT8:
		s, err = variant.Open(b.Name(), model.INT8, m, Options(opts), JudgeINT8)
	default:
		s, err = ort.Open(b.Name(), m, Options(opts))
	}
	if err != nil {
		return nil, err
	}
	return s, nil
}
