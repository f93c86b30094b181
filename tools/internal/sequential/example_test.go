package sequential_test

import (
	"fmt"

	"github.com/inferbench/inferbench/tools/internal/sequential"
)

// Rounds are added until every benchmark is decided: an unchanged one
// is shown within the 5% threshold, a 20% slower one is flagged, then
// confirmed on fresh rounds.
func Example() {
	t, _ := sequential.NewTracker(sequential.DefaultOptions, []string{"Prefill/fast", "Prefill/slow"})
	noise := []float64{0.004, -0.006, 0.002, -0.001, 0.005, -0.004, 0.003, -0.002}
	for round := 0; !t.Done(); round++ {
		e := noise[round%len(noise)]
		t.Observe("Prefill/fast", e)
		t.Observe("Prefill/slow", 0.182+e) // log(1.2)
		t.Update()
	}
	for _, r := range t.Rows() {
		fmt.Printf("%s: %s after %d rounds (%+.0f%%)\n", r.Name, r.Verdict, r.Rounds, r.First.Change)
	}
	// Output:
	// Prefill/fast: within threshold after 5 rounds (+0%)
	// Prefill/slow: regression after 11 rounds (+20%)
}
