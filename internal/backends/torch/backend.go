package torch

import (
	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/model"
)

// Registry keys of the two backends.
const (
	Eager   = "torch-eager"
	Compile = "torch-compile"
)

// Backend runs GPT-2 in a PyTorch worker process, in eager mode or under
// torch.compile(mode="reduce-overhead").
type Backend struct {
	// Mode is "eager" or "compile".
	Mode string
}

func init() {
	backends.Register(Backend{Mode: "eager"})
	backends.Register(Backend{Mode: "compile"})
}

// Name implements backends.Backend.
func (b Backend) Name() string {
	if b.Mode == "compile" {
		return Compile
	}
	return Eager
}

// Precision implements backends.Backend: the worker computes in fp32 with
// TF32 off.
func (Backend) Precision() model.Precision { return model.FP32 }

// Device implements backends.Backend: the worker picks cuda:0 when torch
// sees a GPU and the CPU otherwise; sessions record the device they got
// in their "torch-device" configuration line.
func (Backend) Device() string { return "auto" }

// ForwardTimer is backends.ForwardTimer: torch sessions report the
// worker's own synchronized forward time for the last call.
type ForwardTimer = backends.ForwardTimer
