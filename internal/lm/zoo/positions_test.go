package zoo

import (
	"path/filepath"
	"testing"

	"github.com/inferbench/inferbench/internal/lm/gpt2"
	"github.com/inferbench/inferbench/internal/lm/gpt2/graph"
	"github.com/inferbench/inferbench/internal/lm/onnx"
)

// TestFileONNXPositions: a foreign ONNX file's context length is the row
// count of its learned position embedding (the table gathered by the
// position ids and added to the token embedding), so evaluation windows
// and long scenarios are bounded before ONNX Runtime sees them; a graph
// without one leaves it unknown (0).
func TestFileONNXPositions(t *testing.T) {
	c := small
	c.NPositions = 48 // not the vocabulary, not a power of two
	m, err := Resolve(FilePrefix+dynamoLike(t, t.TempDir(), c, gpt2.Seeded(c, 3)), Options{CacheDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if m.Positions != 48 || m.Identity.Extra["n-positions-from"] != "wpe.weight" {
		t.Errorf("positions %d from %q, want 48 from wpe.weight", m.Positions, m.Identity.Extra["n-positions-from"])
	}

	// The same graph with the position embedding dropped from the sum.
	g, err := graph.Build(c, gpt2.Seeded(c, 3), graph.Options{})
	if err != nil {
		t.Fatal(err)
	}
	pos, ok := g.Graph.PositionEmbedding(onnx.TokenInput)
	if !ok || pos.Name != "wpe.weight" || pos.Rows != 48 {
		t.Fatalf("PositionEmbedding = %+v, %v", pos, ok)
	}
	dropped := false
	for i, n := range g.Graph.Nodes {
		if n.OpType == "Add" && len(n.Inputs) == 2 && producedBy(g, n.Inputs[1], "Gather") && producedBy(g, n.Inputs[0], "Gather") {
			g.Graph.Nodes[i] = onnx.Node{Name: n.Name, OpType: "Identity", Inputs: n.Inputs[:1], Outputs: n.Outputs}
			dropped = true
		}
	}
	if !dropped {
		t.Fatal("no embedding Add found to drop")
	}
	path := filepath.Join(t.TempDir(), "nopos.onnx")
	if err := g.WriteFile(path); err != nil {
		t.Fatal(err)
	}
	m, err = Resolve(FilePrefix+path, Options{CacheDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if m.Positions != 0 {
		t.Errorf("no position embedding: positions %d, want 0 (unknown)", m.Positions)
	}
}

func producedBy(m *onnx.Model, name, op string) bool {
	for _, n := range m.Graph.Nodes {
		for _, o := range n.Outputs {
			if o == name {
				return n.OpType == op
			}
		}
	}
	return false
}
