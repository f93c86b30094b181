package zoo

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/lm/gpt2"
	"github.com/inferbench/inferbench/internal/lm/gpt2/graph"
	"github.com/inferbench/inferbench/internal/lm/onnx"
)

// decoderMu serialises decoder builds in a process.
var decoderMu sync.Mutex

// Decoder returns the decoder with a KV cache for m (see package
// gpt2/graph, kv.go).
//
// For a model with Go weights (a zoo model, a Hugging Face directory,
// FromWeights, or a Variant of one) it is built at m's precision on first
// use and cached next to m's ONNX file, whose directory's key already
// covers the weights, the configuration, the precision and, for int8, the
// calibration; the file name carries graph.KVVersion. An int8 decoder
// reuses the calibration recorded beside the variant (calibration.json):
// its quantization points are the prefill graph's.
//
// A foreign ONNX file is its own decoder if it has the KV-cache signature
// (input_ids, attention_mask, position_ids, past_key_values.N.key/.value
// of rank 4 with static heads and head_dim; logits, present.N.key/.value);
// otherwise the error wraps model.ErrNoKVCache and says what is missing.
func Decoder(m *model.Model) (*model.Decoder, error) {
	src, ok := gpt2.Of(m)
	if !ok {
		return foreignDecoder(m)
	}
	c := src.Config
	d := &model.Decoder{ // beside m's ONNX file: a fused model's is in its own folder
		Path:   filepath.Join(filepath.Dir(m.ONNXPath), "decoder_with_past.kv"+graph.KVVersion+".onnx"),
		Layers: c.NLayer, Heads: c.NHead, HeadDim: c.NEmbd / c.NHead,
	}
	decoderMu.Lock()
	defer decoderMu.Unlock()
	sum, err := cached(d.Path)
	if err != nil {
		opt := graph.Options{Precision: m.Identity.Precision, WithPast: true}
		if opt.Precision == model.INT8 {
			if opt.Ranges, opt.WeightBits, err = recordedCalibration(m); err != nil {
				return nil, fmt.Errorf("zoo: int8 decoder of %s: %w", m.Identity.Name, err)
			}
		}
		g, err := buildGraph(src, opt, IsFused(m))
		if err != nil {
			return nil, fmt.Errorf("zoo: decoder of %s: %w", m.Identity.Name, err)
		}
		if sum, err = writeCached(d.Path, g); err != nil {
			return nil, err
		}
	}
	d.SHA256 = sum
	return d, nil
}

// foreign remembers the signature checks of foreign files, by path and
// sha256: Inspect reads the whole file.
var foreign = map[[2]string]*model.Decoder{}

func foreignDecoder(m *model.Model) (*model.Decoder, error) {
	key := [2]string{m.ONNXPath, m.Identity.ONNXSHA256}
	decoderMu.Lock()
	defer decoderMu.Unlock()
	if d, ok := foreign[key]; ok {
		return d, nil
	}
	info, err := onnx.Inspect(m.ONNXPath)
	if err != nil {
		return nil, fmt.Errorf("zoo: %s: %w", m.Identity.Name, err)
	}
	d, err := KVSignature(info.Inputs, info.Outputs)
	if err != nil {
		return nil, fmt.Errorf("zoo: %s: %w", m.Identity.Name, err)
	}
	d.Path, d.SHA256 = m.ONNXPath, m.Identity.ONNXSHA256
	foreign[key] = d
	return d, nil
}

var weightBitsRE = regexp.MustCompile(`-(\d+)bit$`)

// recordedCalibration reads the ranges writeRanges recorded beside an int8
// variant, and its weight bits from the variant's identity.
func recordedCalibration(m *model.Model) (map[string]graph.Range, int, error) {
	path := filepath.Join(filepath.Dir(m.ONNXPath), "calibration.json")
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, 0, fmt.Errorf("%w: %w", graph.ErrCalibration, err)
	}
	var doc struct {
		Points []struct {
			Tensor   string  `json:"tensor"`
			RangeMin float32 `json:"range_min"`
			RangeMax float32 `json:"range_max"`
		} `json:"points"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, 0, fmt.Errorf("%w: %s: %w", graph.ErrCalibration, path, err)
	}
	ranges := map[string]graph.Range{}
	for _, p := range doc.Points {
		ranges[p.Tensor] = graph.Range{Min: p.RangeMin, Max: p.RangeMax}
	}
	sub := weightBitsRE.FindStringSubmatch(m.Identity.Extra["quant-weights"])
	if sub == nil {
		return nil, 0, fmt.Errorf("%w: variant %s records no weight bits (quant-weights %q)", graph.ErrPrecision, m.Identity.Name, m.Identity.Extra["quant-weights"])
	}
	bits, _ := strconv.Atoi(sub[1])
	return ranges, bits, nil
}

// KVSignature checks graph inputs and outputs for the KV-cache signature
// (Hugging Face/optimum naming) and returns the cache's shape; Path and
// SHA256 are left empty. The error wraps model.ErrNoKVCache and names what
// is missing.
func KVSignature(inputs, outputs []onnx.ValueInfo) (*model.Decoder, error) {
	find := func(vs []onnx.ValueInfo, name string) (onnx.ValueInfo, bool) {
		for _, v := range vs {
			if v.Name == name {
				return v, true
			}
		}
		return onnx.ValueInfo{}, false
	}
	var missing []string
	for _, n := range []string{model.InputIDs, model.AttentionMask, model.PositionIDs} {
		if _, ok := find(inputs, n); !ok {
			missing = append(missing, "input "+n)
		}
	}
	if _, ok := find(outputs, model.Logits); !ok {
		missing = append(missing, "output "+model.Logits)
	}
	d := &model.Decoder{}
	for n := 0; ; n++ {
		k, ok := find(inputs, model.PastKey(n))
		if !ok {
			break
		}
		if len(k.Dims) != 4 || k.Dims[1].Value <= 0 || k.Dims[3].Value <= 0 || k.ElemType != onnx.Float {
			return nil, fmt.Errorf("%w: input %s has type %v and dims %v; want float32 [batch, n_head, past_sequence, head_dim] with static n_head and head_dim",
				model.ErrNoKVCache, k.Name, k.ElemType, k.Dims)
		}
		if n == 0 {
			d.Heads, d.HeadDim = int(k.Dims[1].Value), int(k.Dims[3].Value)
		}
		d.Layers++
		if _, ok := find(inputs, model.PastValue(n)); !ok {
			missing = append(missing, "input "+model.PastValue(n))
		}
		for _, name := range []string{model.PresentKey(n), model.PresentValue(n)} {
			if _, ok := find(outputs, name); !ok {
				missing = append(missing, "output "+name)
			}
		}
	}
	if d.Layers == 0 {
		missing = append(missing, "input "+model.PastKey(0))
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%w: the file lacks %s (a decoder with a KV cache takes input_ids, attention_mask, position_ids and past_key_values.N.key/.value and returns logits and present.N.key/.value)",
			model.ErrNoKVCache, strings.Join(missing, ", "))
	}
	return d, nil
}
