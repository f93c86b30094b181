package sequential

import (
	"math"
	"math/rand/v2"
	"strconv"
)

// Noise is a model of per-process measurement noise on the log scale,
// fitted to process-to-process variation of a shared machine: each
// process draws one contention level shared by all its benchmarks, and
// each benchmark its own normal noise.
type Noise struct {
	// CV is the standard deviation of a benchmark's log value between
	// processes, from its own noise; CVs, if set, gives each row its own.
	CV  float64
	CVs []float64
	// Spike is the probability that a process runs during a burst of
	// contention, which slows all its benchmarks by an exponentially
	// distributed fraction with mean SpikeMean.
	Spike, SpikeMean float64
}

func (n Noise) contention(r *rand.Rand) float64 {
	if n.Spike > 0 && r.Float64() < n.Spike {
		return math.Log1p(n.SpikeMean * r.ExpFloat64())
	}
	return 0
}

// Sim is one seeded comparison: a family of rows whose true changes are
// Delta (fractions, worse positive), measured in rounds of one old and
// one new process until the tracker is done or MaxRounds are spent.
type Sim struct {
	Options   Options
	Noise     Noise
	Delta     []float64
	MaxRounds int
}

// SimResult is the outcome of one simulated comparison.
type SimResult struct {
	Exit   int // 0 pass, 1 confirmed regression, 3 open rows (budget spent)
	Rounds int
}

// Run simulates one comparison with r: the same Tracker tools/compare
// runs on real processes, on modelled ones.
func (s Sim) Run(r *rand.Rand) SimResult {
	names := make([]string, len(s.Delta))
	for i := range names {
		names[i] = strconv.Itoa(i)
	}
	t, err := NewTracker(s.Options, names)
	if err != nil {
		panic(err)
	}
	rounds := 0
	for rounds < s.MaxRounds && !t.Done() {
		rounds++
		cOld, cNew := s.Noise.contention(r), s.Noise.contention(r)
		for i, row := range t.Rows() {
			if !row.Measured() {
				continue
			}
			cv := s.Noise.CV
			if s.Noise.CVs != nil {
				cv = s.Noise.CVs[i%len(s.Noise.CVs)]
			}
			old := cOld + cv*r.NormFloat64()
			new := math.Log1p(s.Delta[i]) + cNew + cv*r.NormFloat64()
			t.Observe(row.Name, new-old)
		}
		t.Update()
	}
	switch t.Outcome() {
	case Regression:
		return SimResult{Exit: 1, Rounds: rounds}
	case Within:
		return SimResult{Exit: 0, Rounds: rounds}
	}
	return SimResult{Exit: 3, Rounds: rounds}
}
