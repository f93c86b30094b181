package zoo

import (
	"fmt"
	"path/filepath"
	"sync"

	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/lm/gpt2"
	"github.com/inferbench/inferbench/internal/lm/gpt2/graph"
)

// rowsMu serialises row-prefill graph builds in a process.
var rowsMu sync.Mutex

// Rows returns the path of m's row-prefill graph (package gpt2/graph,
// rows.go): the prefill graph with input logits_from, whose logits are
// those of positions logits_from … sequence−1 only.
//
// Like Decoder's, it is built at m's precision on first use and cached
// next to m's ONNX file (whose directory's key covers the weights, the
// configuration, the precision and, for int8, the calibration); the file
// name carries graph.RowsVersion, and an int8 graph reuses the calibration
// recorded beside the variant. A model without Go weights (a foreign ONNX
// file) has none: the error wraps ErrNoWeights.
func Rows(m *model.Model) (string, error) {
	src, ok := gpt2.Of(m)
	if !ok {
		return "", fmt.Errorf("zoo: row-prefill graph of %s: %w (it is built from the weights; a foreign ONNX file is prefilled whole)", m.Identity.Name, ErrNoWeights)
	}
	path := filepath.Join(filepath.Dir(m.ONNXPath), "prefill_rows.rows"+graph.RowsVersion+".onnx")
	rowsMu.Lock()
	defer rowsMu.Unlock()
	if _, err := cached(path); err == nil {
		return path, nil
	}
	opt := graph.Options{Precision: m.Identity.Precision, LogitsFrom: true}
	if opt.Precision == model.INT8 {
		var err error
		if opt.Ranges, opt.WeightBits, err = recordedCalibration(m); err != nil {
			return "", fmt.Errorf("zoo: int8 row-prefill graph of %s: %w", m.Identity.Name, err)
		}
	}
	g, err := buildGraph(src, opt, IsFused(m))
	if err != nil {
		return "", fmt.Errorf("zoo: row-prefill graph of %s: %w", m.Identity.Name, err)
	}
	if _, err := writeCached(path, g); err != nil {
		return "", err
	}
	return path, nil
}
