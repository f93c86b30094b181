package calib

import (
	"errors"
	"fmt"

	"github.com/inferbench/inferbench/internal/lm/gpt2"
	"github.com/inferbench/inferbench/internal/lm/gpt2/graph"
	"github.com/inferbench/inferbench/internal/vocab"
)

// Batch is how many windows one Runner call runs at most.
const Batch = 4

// ErrNoRunner reports Options without a Runner.
var ErrNoRunner = errors.New("no calibration runner (Options.Run)")

// Runner executes a calibration graph: graph is an fp32 ONNX model with
// inputs input_ids and attention_mask (int64 [batch, seq]) whose outputs
// include the float32 tensors named in outputs. Runner loads it once, runs
// each batch (rows of equally long windows, all-ones mask) and passes the
// values of outputs[i] for that batch to observe(i, values), in order.
//
// The runner lives with the engine (ort.Calibrator in internal/backends/ort), so
// that this package, below the backends, drives no inference engine.
type Runner func(graph []byte, outputs []string, batches [][][]int64, observe func(output int, values []float32) error) error

// Result is a calibration: the range of every quantization point and how
// it was obtained.
type Result struct {
	// Options are the resolved options (defaults filled in).
	Options Options
	// Ranges are keyed by tensor name, ready for graph.Options.Ranges.
	Ranges map[string]graph.Range
	// Points lists the quantization points in graph order, with what was
	// observed there.
	Points []Point
}

// Point is one quantization point's observation.
type Point struct {
	Tensor   string
	Count    int64
	Min, Max float32
	Range    graph.Range
}

// Calibrate runs the fp32 model of c and w with opt.Run over the
// calibration windows of opt, with every quantization point exposed as an
// output (graph.Options.ExposeActivations), and reduces what each point
// saw to a range. Errors of the runner (an engine that is missing, say)
// are wrapped.
func Calibrate(c gpt2.Config, w *gpt2.Weights, opt Options) (*Result, error) {
	opt, err := opt.Resolve(c.NPositions)
	if err != nil {
		return nil, err
	}
	if opt.Run == nil {
		return nil, fmt.Errorf("calib: %w", ErrNoRunner)
	}
	toks, err := opt.Corpus.Tokens()
	if err != nil {
		return nil, fmt.Errorf("calib: %w", err)
	}
	wins, err := Windows(toks, opt.Windows, opt.Length)
	if err != nil {
		return nil, err
	}
	if err := vocab.Check(toks, c.VocabSize); err != nil {
		return nil, fmt.Errorf("calib: %w: corpus %s: %w", ErrOptions, opt.Corpus.Name, err)
	}
	g, err := graph.Build(c, w, graph.Options{ExposeActivations: true})
	if err != nil {
		return nil, fmt.Errorf("calib: %w", err)
	}
	names := make([]string, 0, len(g.Graph.Outputs)-1)
	for _, o := range g.Graph.Outputs[1:] {
		names = append(names, o.Name)
	}
	obs := make([]*Observer, len(names))
	for i := range obs {
		obs[i] = NewObserver(opt.Method == Percentile)
	}
	var batches [][][]int64
	for start := 0; start < len(wins); start += Batch {
		batches = append(batches, wins[start:min(start+Batch, len(wins))])
	}
	observe := func(i int, v []float32) error {
		if i < 0 || i >= len(obs) {
			return fmt.Errorf("calib: runner observed output %d of %d", i, len(obs))
		}
		return obs[i].Observe(v)
	}
	if err := opt.Run(g.Marshal(), names, batches, observe); err != nil {
		return nil, fmt.Errorf("calib: %w", err)
	}
	res := &Result{Options: opt, Ranges: map[string]graph.Range{}}
	for i, o := range obs {
		r, err := o.Range(opt.Method, opt.Percentile)
		if err != nil {
			return nil, fmt.Errorf("%w (tensor %s)", err, names[i])
		}
		res.Ranges[names[i]] = r
		res.Points = append(res.Points, Point{Tensor: names[i], Count: o.Count(), Min: o.Min(), Max: o.Max(), Range: r})
	}
	return res, nil
}

// Windows cuts n windows of length tokens from toks, the first at the
// start, the last at the end and the others evenly spaced between (they
// overlap when the text is short).
func Windows(toks []int64, n, length int) ([][]int64, error) {
	if n < 1 || length < 1 || len(toks) < length {
		return nil, fmt.Errorf("calib: %w: %d windows of %d tokens from %d tokens", ErrOptions, n, length, len(toks))
	}
	out := make([][]int64, n)
	span := len(toks) - length
	for i := range out {
		start := 0
		if n > 1 {
			start = i * span / (n - 1)
		}
		out[i] = toks[start : start+length]
	}
	return out, nil
}
