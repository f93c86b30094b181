package metrics_test

import (
	"fmt"
	"math"

	"github.com/inferbench/inferbench/internal/metrics"
)

// A model over a 3-token vocabulary that always predicts [¼, ¼, ½], scored
// on 7 tokens with windows of 4: every position after the first is scored
// exactly once.
func Example() {
	tokens := []int{2, 0, 2, 1, 2, 2, 0}
	logits := []float32{0, 0, float32(math.Ln2)} // softmax: [¼, ¼, ½]

	windows, err := metrics.Windows(len(tokens), 4, metrics.Stride(4))
	if err != nil {
		panic(err)
	}
	var p metrics.Perplexity
	for _, w := range windows {
		fmt.Printf("window [%d, %d) scores [%d, %d)\n", w.Begin, w.End, w.Score, w.End)
		for t := w.Score; t < w.End; t++ {
			nll, err := metrics.NLL(logits, tokens[t])
			if err != nil {
				panic(err)
			}
			p.Add(nll)
		}
	}
	// Targets 0 2 1 2 2 0: NLL = 3·ln 4 + 3·ln 2 = 9 ln 2, mean 1.5 ln 2.
	fmt.Printf("tokens %d, mean NLL %.4f nats, PPL %.4f (2^1.5 = %.4f)\n",
		p.Tokens, p.MeanNLL(), p.PPL(), math.Pow(2, 1.5))
	// Output:
	// window [0, 4) scores [1, 4)
	// window [2, 6) scores [4, 6)
	// window [4, 7) scores [6, 7)
	// tokens 6, mean NLL 1.0397 nats, PPL 2.8284 (2^1.5 = 2.8284)
}
