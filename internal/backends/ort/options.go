package ort

import (
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"

	ortgo "github.com/yalue/onnxruntime_go"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/model"
)

// Options are the ONNX Runtime session options a backend sets. Nothing is
// left to ORT's defaults: Open applies every field and records it in
// Session.Config, so a result says exactly how it was produced.
type Options struct {
	// IntraOpThreads and InterOpThreads size the session's thread pools;
	// both must be at least 1.
	IntraOpThreads int
	InterOpThreads int
	// ExecutionMode is ortgo.ExecutionModeSequential or ExecutionModeParallel.
	ExecutionMode ortgo.ExecutionMode
	// GraphOptimization is one of ortgo.GraphOptimizationLevel*.
	GraphOptimization ortgo.GraphOptimizationLevel
	// CPUMemArena and MemPattern switch ORT's CPU arena allocator and
	// memory-pattern planning.
	CPUMemArena bool
	MemPattern  bool
	// Entries are session configuration entries
	// (SessionOptions.AddSessionConfigEntry), e.g.
	// {"session.intra_op.allow_spinning", "1"}, recorded as
	// "ort-config-KEY: VALUE".
	Entries [][2]string
	// Providers are appended in order; ORT's CPU provider is always the
	// last fallback and is recorded as such.
	Providers []Provider
	// ProfileDir, when set, turns ORT profiling on; the profile is written
	// there when the session closes (Session.ProfilePath). Backends copy it
	// from backends.Options.ProfileDir.
	ProfileDir string
	// RebindInputs re-binds the input tensors before every run. ORT copies
	// a bound input to the device its consumer runs on when it is bound, so
	// backends whose provider reads the inputs from another device (CUDA,
	// TensorRT, WebGPU) need it; it costs a few allocations per run. CPU
	// sessions leave it off.
	RebindInputs bool
	// Decoder resolves a model's decoder with a KV cache for generation
	// (Session.NewDecoder); backends pass zoo.Decoder, which package ort
	// cannot import. nil: the backend's sessions do not generate. It is not
	// an ORT option and is not recorded.
	Decoder func(*model.Model) (*model.Decoder, error)
	// Rows resolves the path of a model's row-prefill graph (logits of
	// the last rows only, Session.PrefillRows); backends pass zoo.Rows.
	// nil: PrefillRows is unavailable. It is not an ORT option and is not
	// recorded.
	Rows func(*model.Model) (string, error)
}

// Provider is an execution provider a backend appends to its sessions.
type Provider struct {
	// Name is ORT's name for it, e.g. "CUDAExecutionProvider".
	Name string
	// Append adds the provider to so, e.g. via AppendExecutionProviderCUDA;
	// it must destroy whatever provider options it creates. Open reports
	// its error as a *ProviderError, which makes the backend unavailable.
	Append func(so *ortgo.SessionOptions) error
	// Config records the provider's options, e.g. {"ort-cuda-device-id", "0"}.
	Config [][2]string
}

const cpuProvider = "CPUExecutionProvider"

// ProviderError is ORT refusing an execution provider: a library built
// without it, or no usable device (no GPU, no WebGPU adapter). It is the
// one error type of every provider; UnavailableReason reads it.
type ProviderError struct {
	Provider string
	Err      error
}

func (e *ProviderError) Error() string {
	return "appending " + e.Provider + ": " + e.Err.Error()
}

func (e *ProviderError) Unwrap() error { return e.Err }

// UnavailableReason returns why err, from opening an ORT session, means
// the backend cannot run here (no ONNX Runtime library, or ORT refusing a
// provider, in ORT's words); "" for other errors.
func UnavailableReason(err error) string {
	if r := backends.Reason(err); r != "" {
		return r
	}
	var pe *ProviderError
	if errors.As(err, &pe) {
		return pe.Error()
	}
	return ""
}

// validate rejects values that would silently fall back to ORT's defaults.
func (o *Options) validate() error {
	if o.IntraOpThreads < 1 || o.InterOpThreads < 1 {
		return fmt.Errorf("ort: intra-op threads %d and inter-op threads %d must both be at least 1 (0 would mean ORT's default)",
			o.IntraOpThreads, o.InterOpThreads)
	}
	if limit := backends.MaxThreads(); o.IntraOpThreads > limit || o.InterOpThreads > limit {
		return fmt.Errorf("ort: %w: intra-op threads %d and inter-op threads %d must be at most %d (%d per core × %d cores)",
			backends.ErrOptions, o.IntraOpThreads, o.InterOpThreads, limit, backends.MaxThreadsPerCore, runtime.NumCPU())
	}
	switch o.ExecutionMode {
	case ortgo.ExecutionModeSequential, ortgo.ExecutionModeParallel:
	default:
		return fmt.Errorf("ort: unknown execution mode %d", int(o.ExecutionMode))
	}
	switch o.GraphOptimization {
	case ortgo.GraphOptimizationLevelDisableAll, ortgo.GraphOptimizationLevelEnableBasic,
		ortgo.GraphOptimizationLevelEnableExtended, ortgo.GraphOptimizationLevelEnableAll:
	default:
		return fmt.Errorf("ort: unknown graph optimization level %d", int(o.GraphOptimization))
	}
	for _, p := range o.Providers {
		if p.Name == "" || p.Append == nil {
			return fmt.Errorf("ort: provider %q needs a name and an Append function", p.Name)
		}
	}
	return nil
}

// apply sets every option on so.
func (o *Options) apply(so *ortgo.SessionOptions) error {
	if err := o.validate(); err != nil {
		return err
	}
	steps := []struct {
		what string
		do   func() error
	}{
		{"intra-op threads", func() error { return so.SetIntraOpNumThreads(o.IntraOpThreads) }},
		{"inter-op threads", func() error { return so.SetInterOpNumThreads(o.InterOpThreads) }},
		{"execution mode", func() error { return so.SetExecutionMode(o.ExecutionMode) }},
		{"graph optimization", func() error { return so.SetGraphOptimizationLevel(o.GraphOptimization) }},
		{"CPU memory arena", func() error { return so.SetCpuMemArena(o.CPUMemArena) }},
		{"memory pattern", func() error { return so.SetMemPattern(o.MemPattern) }},
	}
	for _, st := range steps {
		if err := st.do(); err != nil {
			return fmt.Errorf("ort: setting %s: %w", st.what, err)
		}
	}
	for _, e := range o.Entries {
		if err := so.AddSessionConfigEntry(e[0], e[1]); err != nil {
			return fmt.Errorf("ort: session config entry %s=%s: %w", e[0], e[1], err)
		}
	}
	for _, p := range o.Providers {
		if err := p.Append(so); err != nil {
			var pe *ProviderError
			if !errors.As(err, &pe) {
				err = &ProviderError{Provider: p.Name, Err: err}
			}
			return fmt.Errorf("ort: %w", err)
		}
	}
	return nil
}

// config renders the options as benchfmt key/value pairs.
func (o *Options) config() [][2]string {
	names := make([]string, 0, len(o.Providers)+1)
	for _, p := range o.Providers {
		names = append(names, p.Name)
	}
	names = append(names, cpuProvider)
	c := [][2]string{
		{"ort-intra-op-threads", strconv.Itoa(o.IntraOpThreads)},
		{"ort-inter-op-threads", strconv.Itoa(o.InterOpThreads)},
		{"ort-execution-mode", o.ExecutionMode.String()},
		{"ort-graph-optimization", o.GraphOptimization.String()},
		{"ort-cpu-mem-arena", onOff(o.CPUMemArena)},
		{"ort-mem-pattern", onOff(o.MemPattern)},
		{"ort-providers", strings.Join(names, ",")},
		{"ort-io-binding", "on"},
		{"ort-rebind-inputs", onOff(o.RebindInputs)},
	}
	for _, e := range o.Entries {
		c = append(c, [2]string{"ort-config-" + e[0], e[1]})
	}
	for _, p := range o.Providers {
		c = append(c, p.Config...)
	}
	return c
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}
