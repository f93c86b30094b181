package sequential

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

func TestExplore(t *testing.T) {
	for _, g := range []float64{0.25, 0.5, 1} {
		for _, nz := range []Noise{{CV: 0.03}, {CV: 0.05}, {CV: 0.03, Spike: 0.1, SpikeMean: 0.1}, {CV: 0.08}, {CV: 0.16}} {
			for _, d := range []float64{0, 0.10, 0.07, 0.05, -0.05} {
				delta := make([]float64, 12)
				delta[0] = d
				o := DefaultOptions
				o.G = g
				s := Sim{Options: o, Noise: nz, Delta: delta, MaxRounds: 60}
				r := rand.New(rand.NewPCG(1, 2))
				var ex [4]int
				rounds := 0
				for range 400 {
					res := s.Run(r)
					ex[res.Exit]++
					rounds += res.Rounds
				}
				fmt.Printf("g=%.2f %+v d=%.2f exit0=%.3f exit1=%.3f exit3=%.3f rounds=%.1f\n", g, nz, d, float64(ex[0])/400, float64(ex[1])/400, float64(ex[3])/400, float64(rounds)/400)
			}
		}
	}
}
