package main

import (
	"fmt"
	"os"
	"time"

	"github.com/inferbench/inferbench/accuracy/eval"
	"github.com/inferbench/inferbench/backends"
	_ "github.com/inferbench/inferbench/backends/reference"
	"github.com/inferbench/inferbench/fixtures/corpus"
	"github.com/inferbench/inferbench/fixtures/gpt2"
	"github.com/inferbench/inferbench/fixtures/model"
)

func main() {
	cfg := gpt2.Config{NLayer: 4, NHead: 4, NEmbd: 64, NPositions: 512, VocabSize: 50257, LayerNormEpsilon: 1e-5}
	w := gpt2.Seeded(cfg, 1)
	m := &model.Model{Identity: model.Identity{Name: "t", Params: w.Params()}, Vocab: 50257, Positions: 512, Config: &cfg, Weights: w}
	c, _ := corpus.Heldout()
	toks, _ := c.Tokens()
	toks = toks[:2048]
	be, _ := backends.Lookup("reference")
	s, err := be.Open(m, backends.Options{})
	if err != nil {
		panic(err)
	}
	s2, _ := be.Open(m, backends.Options{})
	t := time.Now()
	res, err := eval.Evaluate(m, toks, eval.Run{Name: "ref", Session: s}, []eval.Run{{Name: "ref2", Session: s2}}, eval.Options{Progress: os.Stderr, Label: "x"})
	if err != nil {
		panic(err)
	}
	fmt.Println(time.Since(t), res.Baseline.Perplexity.PPL(), res.Baseline.Forward, res.Candidates[0].Forward, len(res.Windows), w.Params())
}
