package interleave

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inferbench/inferbench/tools/internal/interleave/interleavetest"
)

// Unchanged code compared with itself: with Reproducible the two sides'
// binaries are identical, although built in different directories;
// without it their embedded paths make them differ.
func TestReproducibleBinaries(t *testing.T) {
	repo := interleavetest.NewRepo(t, 10, 10)
	interleavetest.WriteFile(t, filepath.Join(repo, "bench", "bench_test.go"), interleavetest.Source("old", 10))
	binaries := func(reproducible bool) [2][]byte {
		b, err := Build(context.Background(), Options{Dir: repo, Base: "HEAD", Pkg: interleavetest.Pkg, Reproducible: reproducible, RevisionVar: "example.com/tiny/bench.revisionVar"})
		require.NoError(t, err)
		defer b.Close()
		var out [2][]byte
		for i, s := range b.sides {
			out[i], err = os.ReadFile(s.bin)
			require.NoError(t, err)
		}
		return out
	}
	same := binaries(true)
	assert.True(t, bytes.Equal(same[0], same[1]), "reproducible builds of the same source differ")
	differ := binaries(false)
	assert.False(t, bytes.Equal(differ[0], differ[1]), "without -trimpath the directories should show in the binaries")
}
