package reference

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestForwardAnyWorkerCount: the forward pass splits rows, heads and
// vocabulary columns by worker count (GOMAXPROCS in Forward). Every worker
// count users' machines have gives bit-identical logits to one worker, for
// odd shapes where workers exceed rows, heads or columns; so does
// forwardRows, whose rows are the single-worker pass's last ones.
func TestForwardAnyWorkerCount(t *testing.T) {
	w := perturbed(smallConfig, 11)
	v := smallConfig.VocabSize
	for _, shape := range [][2]int{{1, 1}, {1, 3}, {3, 5}, {2, 16}} {
		batch, seq := shape[0], shape[1]
		tokens := randomTokens(rand.New(rand.NewPCG(9, uint64(seq))), batch*seq, v)
		want := make([]float32, batch*seq*v)
		if err := forward(smallConfig, w, tokens, nil, batch, seq, want, 1); err != nil {
			t.Fatal(err)
		}
		for _, workers := range []int{2, 3, 7, 16, 24, 64} {
			t.Run(fmt.Sprintf("%dx%d/workers=%d", batch, seq, workers), func(t *testing.T) {
				got := make([]float32, len(want))
				if err := forward(smallConfig, w, tokens, nil, batch, seq, got, workers); err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(got, want) {
					t.Error("logits differ from the single-worker pass")
				}
				from := seq / 2
				rows := make([]float32, batch*(seq-from)*v)
				if err := forwardRows(smallConfig, w, tokens, batch, seq, from, rows, workers); err != nil {
					t.Fatal(err)
				}
				for b := range batch {
					if !slices.Equal(rows[b*(seq-from)*v:][:(seq-from)*v], want[(b*seq+from)*v:(b+1)*seq*v]) {
						t.Errorf("forwardRows from %d: sequence %d differs from the single-worker pass", from, b)
					}
				}
			})
		}
	}
}
