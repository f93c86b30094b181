package ort

import (
	"errors"
	"fmt"
	"slices"

	ortgo "github.com/yalue/onnxruntime_go"

	"github.com/inferbench/inferbench/internal/lm/gpt2/calib"
)

// Calibrator returns the calib.Runner that runs calibration graphs in ONNX
// Runtime on the CPU with threads intra-op threads (a backend's resolved
// count, backends.Options.EffectiveThreads; it must be at least 1), one
// inter-op thread and every graph optimisation. If the library is missing
// the runner's error wraps backends.ErrUnavailable.
func Calibrator(threads int) calib.Runner {
	return func(graph []byte, outputs []string, batches [][][]int64, observe func(int, []float32) error) error {
		if threads < 1 {
			return fmt.Errorf("ort: calibration with %d threads (resolve 0 with backends.Options.EffectiveThreads)", threads)
		}
		if err := Init(); err != nil {
			return err
		}
		so, err := ortgo.NewSessionOptions()
		if err != nil {
			return fmt.Errorf("ort: calibration session options: %w", err)
		}
		defer so.Destroy()
		if err := errors.Join(so.SetIntraOpNumThreads(threads), so.SetInterOpNumThreads(1),
			so.SetGraphOptimizationLevel(ortgo.GraphOptimizationLevelEnableAll)); err != nil {
			return fmt.Errorf("ort: calibration session options: %w", err)
		}
		sess, err := ortgo.NewDynamicAdvancedSessionWithONNXData(graph, inputNames, outputs, so)
		if err != nil {
			return fmt.Errorf("ort: loading the calibration graph: %w", err)
		}
		defer sess.Destroy()
		for _, rows := range batches {
			if err := calibrationBatch(sess, rows, len(outputs), observe); err != nil {
				return err
			}
		}
		return nil
	}
}

// calibrationBatch runs one batch of equally long windows and observes
// every output.
func calibrationBatch(sess *ortgo.DynamicAdvancedSession, rows [][]int64, outputs int, observe func(int, []float32) error) error {
	if len(rows) == 0 {
		return nil
	}
	n, seq := len(rows), len(rows[0])
	shape := ortgo.NewShape(int64(n), int64(seq))
	ids, err := ortgo.NewTensor(shape, slices.Concat(rows...))
	if err != nil {
		return fmt.Errorf("ort: calibration input tensor: %w", err)
	}
	defer ids.Destroy()
	ones := make([]int64, n*seq)
	for i := range ones {
		ones[i] = 1
	}
	mask, err := ortgo.NewTensor(shape, ones)
	if err != nil {
		return fmt.Errorf("ort: calibration mask tensor: %w", err)
	}
	defer mask.Destroy()
	outs := make([]ortgo.Value, outputs) // nil: ONNX Runtime allocates
	defer func() {
		for _, o := range outs {
			if o != nil {
				o.Destroy()
			}
		}
	}()
	if err := sess.Run([]ortgo.Value{ids, mask}, outs); err != nil {
		return fmt.Errorf("ort: running %d calibration windows of %d tokens: %w", n, seq, err)
	}
	for i, o := range outs {
		t, ok := o.(*ortgo.Tensor[float32])
		if !ok {
			return fmt.Errorf("ort: calibration output %d is %T, want a float32 tensor", i, o)
		}
		if err := observe(i, t.GetData()); err != nil {
			return err
		}
	}
	return nil
}
