package harness

import (
	"os"
	"sync"
	"testing"

	"github.com/inferbench/inferbench/internal/envstate"
)

// Env records the machine's state over one timed loop (package envstate):
// StartEnv before the loop, ReportEnv with its Stop after.
type Env struct {
	s   *envstate.Sampler
	gpu envstate.GPUReader
}

// openEnvGPU opens the GPU reader of StartEnv; tests replace it with a
// scripted one.
var openEnvGPU = openGPUReader

// StartEnv starts recording: GPU 0 through NVML in accelerator builds,
// the CPU through /proc and /sys.
func StartEnv() *Env {
	gpu, absent := openEnvGPU()
	return &Env{gpu: gpu, s: envstate.Start(envstate.Options{GPU: gpu, GPUAbsent: absent})}
}

// Stop ends the recording.
func (e *Env) Stop() envstate.Reading {
	r := e.s.Stop()
	if e.gpu != nil {
		e.gpu.Close()
	}
	return r
}

var absentOnce sync.Map // reason → logged

// ReportEnv adds the reading's metrics to b's result and, when the
// environment disturbed it (envstate.Judge with envstate.Default), the
// marker metric env-disturbed=1, logging the reasons. Readings that could
// not be made are left out and their reasons logged once per process,
// from runs of more than one iteration: the testing package's first,
// one-iteration run is a probe too short for some readings (a loop under
// a clock tick moves no /proc/stat counter) and reports no result.
func ReportEnv(b *testing.B, r envstate.Reading) {
	for _, m := range r.Metrics {
		b.ReportMetric(m.Value, m.Unit)
	}
	for _, a := range r.Absent {
		if b.N == 1 {
			break
		}
		if _, seen := absentOnce.LoadOrStore(a, true); !seen {
			b.Logf("environment: %s", a)
		}
	}
	if why := r.Disturbed(envstate.Default); len(why) > 0 {
		b.ReportMetric(1, envstate.DisturbedUnit)
		b.Logf("environment disturbed this result: %s", envstate.Summary(why))
	}
}

// EnvConfig is the configuration of the machine's clock policy: the CPU
// frequency governor and nominal frequency (or why they cannot be read),
// and in accelerator builds each GPU's clock policy (GPU).
func EnvConfig() Config {
	var c Config
	for _, kv := range envstate.CPUStatic(os.DirFS("/")) {
		c.Add(kv[0], kv[1])
	}
	return c
}
