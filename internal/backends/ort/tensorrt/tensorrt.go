//go:build tensorrt

package tensorrt

import (
	"fmt"

	ortgo "github.com/yalue/onnxruntime_go"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/backends/ort"
	"github.com/inferbench/inferbench/internal/backends/ort/cpu"
	"github.com/inferbench/inferbench/internal/backends/ort/cuda"
	"github.com/inferbench/inferbench/internal/backends/ort/variant"
)

// Built reports whether the package was built with -tags tensorrt.
const Built = true

// Options returns the session options b uses for m and opts: ort-cpu's,
// the TensorRT provider (ProviderOptions for b's precision, caches under
// CacheDir), the CUDA provider as package cuda sets it, and inputs
// re-bound before every run. Sessions do not generate: the engine's shape
// profiles cover prefill shapes, and a cache that grows every step would
// leave them (backends.NoGeneration).
func (b Backend) Options(m *model.Model, opts backends.Options) ort.Options {
	o := cpu.Options(opts)
	o.Providers = []ort.Provider{
		Provider(ProviderOptions(b.precision, cuda.DeviceID, CacheDir(b.Name(), m), m.Positions)),
		cuda.Provider(cuda.ProviderOptions(cuda.DeviceID, false)),
	}
	o.RebindInputs = true
	o.Decoder = nil
	return o
}

// Open implements backends.Backend. A library without the TensorRT or
// CUDA provider (the npm CPU build) or a machine without TensorRT or a GPU
// makes the backend unavailable with ORT's message.
func (b Backend) Open(m *model.Model, opts backends.Options) (backends.Session, error) {
	o := b.Options(m, opts)
	var (
		s   backends.Session
		err error
	)
	if b.precision == model.INT8 {
		if err := check(o); err != nil {
			return nil, b.unavailable(err)
		}
		s, err = variant.Open(b.Name(), model.INT8, m, o, Judge)
	} else {
		s, err = ort.Open(b.Name(), m, o)
	}
	if err != nil {
		return nil, b.unavailable(err)
	}
	return s, nil
}

// unavailable turns a missing provider into backends.Unavailable; other
// errors pass through.
func (b Backend) unavailable(err error) error {
	if r := cuda.UnavailableReason(err); r != "" {
		return backends.Unavailable(b.Name(), "%s", r)
	}
	return err
}

// check appends o's providers to throwaway session options, so that a
// library without them fails before the int8 variant is built.
func check(o ort.Options) error {
	if err := ort.Init(); err != nil {
		return err
	}
	so, err := ortgo.NewSessionOptions()
	if err != nil {
		return fmt.Errorf("tensorrt: session options: %w", err)
	}
	defer so.Destroy()
	for _, p := range o.Providers {
		if err := p.Append(so); err != nil {
			return err
		}
	}
	return nil
}

// Judge reports how many of the probe's kernels ran on each provider
// ("trt-kernels-by-provider"). A session where none ran on TensorRT is
// degraded: the int8 graph then runs on CUDA or CPU kernels.
func Judge(p *variant.Profile, _ *model.Model) ([][2]string, string) {
	by := map[string]int{}
	for _, k := range p.Kernels {
		by[k.Provider]++
	}
	lines := [][2]string{{"trt-kernels-by-provider", variant.FormatCounts(by)}}
	if by[ProviderName] == 0 {
		return lines, fmt.Sprintf("no kernel ran on %s (%s): the int8 variant does not run as a TensorRT engine", ProviderName, variant.FormatCounts(by))
	}
	return lines, ""
}
