package corpus_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inferbench/inferbench/tools/internal/corpus"
)

func TestParse(t *testing.T) {
	c, err := corpus.Parse("x.case", []byte("# about\nargs: $DIR/a.txt -v\nexit: 2\nwant: a.txt:2\nsub: a.txt b\\tc => d\\n\nnonl: a.txt\nbefore: clear\n-- a.txt --\nline 1\nb\tc\n"))
	require.NoError(t, err)
	assert.Equal(t, []string{"$DIR/a.txt", "-v"}, c.Args)
	assert.Equal(t, 2, c.Exit)
	dir := t.TempDir()
	args, err := c.Materialize(dir)
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(dir, "a.txt"), args[0])
	data, err := os.ReadFile(args[0])
	require.NoError(t, err)
	assert.Equal(t, "line 1\nd\n", string(data), "sub, then the last newline stripped")

	for _, bad := range []string{
		"exit: 1\nwant: x\n",               // no args
		"args: a\nwant: x\n",               // no exit
		"args: a\nexit: 1\n",               // no want
		"args: a\nexit: x\nwant: y\n",      // exit not a number
		"args: a\nexit: 1\nwant: y\nfoo\n", // not key: value
		"args: a\nexit: 1\nwant: y\n-- f --\n-- f --\n",
	} {
		_, err := corpus.Parse("bad.case", []byte(bad))
		assert.Error(t, err, bad)
	}
}

// Every committed case parses and records how the code before the corpus
// behaved, in one of the census classes.
func TestCommittedCases(t *testing.T) {
	classes := []string{"clear", "crash", "hang", "silent-wrong", "data-safety"}
	n := 0
	for _, dir := range []string{"../../benchgate/testdata/hostile", "../../report/testdata/hostile"} {
		cases, err := corpus.Load(dir)
		require.NoError(t, err)
		for _, c := range cases {
			n++
			assert.True(t, slices.Contains(classes, c.Before), "%s: before: %q, want one of %s", c.Path, c.Before, strings.Join(classes, ", "))
		}
	}
	assert.GreaterOrEqual(t, n, 60, "the corpus holds at least 60 cases")
}
