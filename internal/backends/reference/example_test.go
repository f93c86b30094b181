package reference_test

import (
	"fmt"

	"github.com/inferbench/inferbench/internal/backends/reference"
	"github.com/inferbench/inferbench/internal/lm/gpt2"
)

func ExampleForward() {
	c := gpt2.Config{NLayer: 2, NHead: 2, NEmbd: 16, NPositions: 32, VocabSize: 50, LayerNormEpsilon: 1e-5}
	w := gpt2.Seeded(c, 1)
	tokens := []int64{3, 1, 4, 1, 5, 9} // batch 2 × seq 3
	logits := make([]float32, len(tokens)*c.VocabSize)
	if err := reference.Forward(c, w, tokens, nil, 2, 3, logits); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(logits), "logits")
	err := reference.Forward(c, w, tokens, nil, 2, 3, logits[:10])
	fmt.Println(err)
	// Output:
	// 300 logits
	// reference: logits buffer holds 10 values, batch 2 × seq 3 × vocab 50 needs 300: bad input shape
}
