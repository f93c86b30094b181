package accuracy

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/accuracy/eval"
	"github.com/inferbench/inferbench/internal/backends/suite"
	"github.com/inferbench/inferbench/internal/lm/gpt2"
	"github.com/inferbench/inferbench/internal/lm/zoo"
)

// perturbNoise is the standard deviation of the noise added to one
// layer's weights, relative to the tensor's RMS.
const perturbNoise = 0.05

// perturbTokens is how many corpus tokens the perturbation test scores: two
// windows of gpt2-tiny.
const perturbTokens = 768

// TestGateCatchesPerturbedWeights proves that the fp32 gate can fail. The
// candidate is the reference backend on a copy of the model whose middle
// block's MLP input weights carry Gaussian noise (perturbNoise × their RMS),
// built through the zoo like any model; the gate must judge it FAIL. As a
// control, the reference on an unperturbed copy built the same way must
// PASS, so the failure comes from the noise alone.
func TestGateCatchesPerturbedWeights(t *testing.T) {
	in, err := sharedInputs()
	if err != nil {
		t.Fatal(err)
	}
	m := in.model
	src, ok := gpt2.Of(m)
	if !ok {
		t.Skipf("model %s has no Go weights to perturb (foreign ONNX file)", m.Identity.Name)
	}
	if m.Identity.Weights == model.Seeded {
		t.Skipf("model %s is seeded: perturbing random weights proves nothing (the gates refuse it anyway)", m.Identity.Name)
	}
	layer := len(src.Weights.Blocks) / 2
	noisy := cloneWeights(src.Config, src.Weights)
	rms := addNoise(noisy.Blocks[layer].FCW.Data, perturbNoise, 1)
	t.Logf("h.%d.mlp.c_fc.weight: RMS %.4g, added noise σ = %.4g", layer, rms, perturbNoise*rms)

	perturbed := derive(t, m, src.Config, "perturbed", noisy)
	control := derive(t, m, src.Config, "copy", cloneWeights(src.Config, src.Weights))
	if perturbed.Identity.WeightsSHA256 == control.Identity.WeightsSHA256 {
		t.Fatalf("perturbed and unperturbed copies share weights sha256 %s", control.Identity.WeightsSHA256)
	}

	base := openBaseline(t, m)
	defer base.Session.Close()
	ref, err := backends.Lookup(Reference)
	if err != nil {
		t.Fatal(err)
	}
	ps, err := ref.Open(perturbed, backends.Options{})
	if err != nil {
		t.Fatal(err)
	}
	cs, err := ref.Open(control, backends.Options{})
	if err != nil {
		t.Fatal(err)
	}
	toks := in.tokens[:min(len(in.tokens), perturbTokens)]
	res, err := eval.Evaluate(m, toks, base, []eval.Run{{Name: "perturbed", Session: ps}, {Name: "copy", Session: cs}}, eval.Options{Window: *flagWindow})
	if err != nil {
		t.Fatal(err)
	}
	th, _ := ThresholdsFor(model.FP32)
	want := map[string]Status{"perturbed": Fail, "copy": Pass}
	for _, c := range res.Candidates {
		v := Judge(res.Baseline.Perplexity, c.Perplexity, c.Divergence, th)
		r := Result{Backend: Reference + "/" + c.Name, Precision: "fp32", Device: "cpu-go", Thresholds: th, Verdict: v}
		fill(&r, res.Baseline.Perplexity, c)
		var tab strings.Builder
		r.WriteTable(&tab)
		t.Logf("test fixture (%s weights, expected verdict %s): baseline %s on %s\n%s", c.Name, want[c.Name], base.Name, m.Identity.Name, tab.String())
		if v.Status != want[c.Name] {
			t.Errorf("%s: verdict %s, want %s: %v", c.Name, v.Status, want[c.Name], v.Reasons)
		}
	}
}

// openBaseline opens ort-cpu on m, or the reference where ort-cpu cannot
// run.
func openBaseline(t *testing.T, m *model.Model) eval.Run {
	t.Helper()
	for _, name := range []string{FallbackBaseline, Reference} {
		b, err := backends.Lookup(name)
		if err != nil {
			continue
		}
		s, err := b.Open(m, suite.Flags.Options())
		if err == nil {
			return eval.Run{Name: name, Session: s}
		}
		t.Logf("baseline %s: %v", name, err)
	}
	t.Fatalf("neither %s nor %s can run %s", FallbackBaseline, Reference, m.Identity.Name)
	return eval.Run{}
}

// derive builds a model from weights through the zoo, as the zoo builds
// its own.
func derive(t *testing.T, m *model.Model, cfg gpt2.Config, suffix string, w *gpt2.Weights) *model.Model {
	t.Helper()
	d, err := zoo.FromWeights(m.Identity.Name+"+"+suffix, "", cfg, w, m.Identity.Weights, zoo.Options{CacheDir: m.CacheDir})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// cloneWeights deep-copies w.
func cloneWeights(c gpt2.Config, w *gpt2.Weights) *gpt2.Weights {
	out := gpt2.NewWeights(c)
	src, dst := w.Tensors(), out.Tensors()
	for i := range src {
		copy(dst[i].T.Data, src[i].T.Data)
	}
	return out
}

// addNoise adds Gaussian noise of rel × RMS(data) from a fixed seed and
// returns the RMS.
func addNoise(data []float32, rel float64, seed uint64) float64 {
	var ss float64
	for _, v := range data {
		ss += float64(v) * float64(v)
	}
	rms := math.Sqrt(ss / float64(len(data)))
	r := rand.New(rand.NewPCG(seed, 0x6e6f697365)) // "noise"
	for i := range data {
		data[i] += float32(r.NormFloat64() * rel * rms)
	}
	return rms
}
