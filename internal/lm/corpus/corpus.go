package corpus

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/inferbench/inferbench/internal/filehash"
	"github.com/inferbench/inferbench/internal/lm/tokenizer"
)

var (
	// ErrEmpty reports a corpus with no text.
	ErrEmpty = errors.New("corpus is empty")
	// ErrNotUTF8 reports a corpus that is not UTF-8 text.
	ErrNotUTF8 = errors.New("corpus is not valid UTF-8")
	// ErrNoDefault reports that the Go installation's Opticks text was not found.
	ErrNoDefault = errors.New("default corpus not found")
)

// OpticksFile is the default corpus' path relative to GOROOT.
const OpticksFile = "src/testdata/Isaac.Newton-Opticks.txt"

// TrainFraction is the share of the default corpus the fixture trained on.
const TrainFraction = 0.9

// Corpus is a text and its identity.
type Corpus struct {
	Name   string // e.g. "Isaac.Newton-Opticks.txt[heldout]"
	Path   string // file it came from
	Text   string
	Bytes  int
	SHA256 string // of Text's bytes
}

// New wraps text read from path under name.
func New(name, path, text string) (*Corpus, error) {
	if strings.TrimSpace(text) == "" {
		return nil, fmt.Errorf("corpus %s: %w", path, ErrEmpty)
	}
	if !utf8.ValidString(text) {
		return nil, fmt.Errorf("corpus %s: %w", path, ErrNotUTF8)
	}
	return &Corpus{Name: name, Path: path, Text: text, Bytes: len(text), SHA256: filehash.Bytes([]byte(text))}, nil
}

// Load reads any UTF-8 text file.
func Load(path string) (*Corpus, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("corpus: %w", err)
	}
	return New(filepath.Base(path), path, string(data))
}

// OpticksPath locates the default corpus in the Go installation: $GOROOT,
// then `go env GOROOT`.
func OpticksPath() (string, error) {
	var roots []string
	if r := os.Getenv("GOROOT"); r != "" {
		roots = append(roots, r)
	}
	if out, err := exec.Command("go", "env", "GOROOT").Output(); err == nil {
		roots = append(roots, strings.TrimSpace(string(out)))
	}
	for _, r := range roots {
		p := filepath.Join(r, OpticksFile)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("%w: no %s under $GOROOT or `go env GOROOT` (searched %q); pass -corpus PATH", ErrNoDefault, OpticksFile, roots)
}

// Opticks loads the whole default corpus.
func Opticks() (*Corpus, error) {
	p, err := OpticksPath()
	if err != nil {
		return nil, err
	}
	return Load(p)
}

// Split cuts c at the first line boundary at or after frac of its bytes and
// returns the two parts, named "<name>[train]" and "<name>[heldout]".
func (c *Corpus) Split(frac float64) (train, heldout *Corpus, err error) {
	cut := int(float64(len(c.Text)) * frac)
	if i := strings.IndexByte(c.Text[cut:], '\n'); i >= 0 {
		cut += i + 1
	} else {
		cut = len(c.Text)
	}
	if train, err = New(c.Name+"[train]", c.Path, c.Text[:cut]); err != nil {
		return nil, nil, err
	}
	if heldout, err = New(c.Name+"[heldout]", c.Path, c.Text[cut:]); err != nil {
		return nil, nil, err
	}
	return train, heldout, nil
}

// Heldout is the default evaluation text: the part of Opticks the gpt2-tiny
// fixture never saw.
func Heldout() (*Corpus, error) {
	c, err := Opticks()
	if err != nil {
		return nil, err
	}
	_, h, err := c.Split(TrainFraction)
	return h, err
}

// Tokens encodes the corpus with GPT-2's tokenizer.
func (c *Corpus) Tokens() ([]int64, error) {
	ids, err := tokenizer.Encode(c.Text)
	if err != nil {
		return nil, fmt.Errorf("corpus %s: %w", c.Name, err)
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("corpus %s: %w", c.Name, ErrEmpty)
	}
	return ids, nil
}

// ConfigLines describes the corpus as benchfmt configuration pairs.
func (c *Corpus) ConfigLines() [][2]string {
	return [][2]string{
		{"corpus", c.Name},
		{"corpus-bytes", fmt.Sprint(c.Bytes)},
		{"corpus-sha256", c.SHA256},
	}
}
