package main

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/inferbench/inferbench/internal/lm/corpus"
	"github.com/inferbench/inferbench/internal/lm/tokenizer"
)

// prompts seed the greedy sample continuations logged after training.
var prompts = []string{
	"The Rays of Light",
	"When the Sun shines into a dark Chamber",
	"The Colours of",
	"The city of",
}

// Source describes one training text.
type Source struct {
	Name        string `json:"name"`
	Bytes       int    `json:"bytes"`
	SHA256      string `json:"sha256"`
	Tokens      int    `json:"tokens"`
	TrainTokens int    `json:"train_tokens"`
	ValTokens   int    `json:"val_tokens"`
}

// Heldout describes the evaluation text.
type Heldout struct {
	Name   string `json:"name"`
	Bytes  int    `json:"bytes"`
	SHA256 string `json:"sha256"`
	Tokens int    `json:"tokens"`
}

// File describes one written token file.
type File struct {
	Tokens int    `json:"tokens"`
	SHA256 string `json:"sha256"`
}

// Prompt is an encoded sample prompt.
type Prompt struct {
	Text string  `json:"text"`
	IDs  []int64 `json:"ids"`
}

// Data is data.json.
type Data struct {
	Tokenizer   string          `json:"tokenizer"`
	Vocab       int             `json:"vocab_size"`
	EndOfText   int64           `json:"eot"`
	ValFraction float64         `json:"val_fraction"`
	Sources     []Source        `json:"sources"`
	Heldout     Heldout         `json:"heldout"`
	Files       map[string]File `json:"files"`
	Prompts     []Prompt        `json:"prompts"`
}

func main() {
	out := flag.String("out", ".carry/gpt2tiny", "output directory")
	wiki := flag.String("wikitext", "", "WikiText-2 validation split, wiki.valid.tokens or valid.txt (training text; required)")
	val := flag.Float64("val", 0.05, "share of each source's tokens (its tail) kept for early stopping")
	flag.Parse()
	if *wiki == "" {
		fmt.Fprintln(os.Stderr, "tokenize: -wikitext names the WikiText-2 validation split (required)")
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*out, *wiki, *val); err != nil {
		log.Fatalf("tokenize: %v", err)
	}
}

func run(out, wikiPath string, valFrac float64) error {
	if valFrac <= 0 || valFrac >= 0.5 {
		return fmt.Errorf("-val %v outside (0, 0.5)", valFrac)
	}
	opticks, err := corpus.Opticks()
	if err != nil {
		return err
	}
	train, heldout, err := opticks.Split(corpus.TrainFraction)
	if err != nil {
		return err
	}
	wiki, err := corpus.Load(wikiPath)
	if err != nil {
		return err
	}
	wiki.Name = "wikitext-2/valid.txt"

	d := Data{Tokenizer: "r50k_base", Vocab: tokenizer.Vocab, EndOfText: tokenizer.EndOfText,
		ValFraction: valFrac, Files: map[string]File{}}
	var trainIDs, valIDs []int64
	for i, c := range []*corpus.Corpus{train, wiki} {
		ids, err := c.Tokens()
		if err != nil {
			return err
		}
		tr, va := SplitTail(ids, valFrac)
		if i > 0 {
			trainIDs = append(trainIDs, tokenizer.EndOfText)
			valIDs = append(valIDs, tokenizer.EndOfText)
		}
		trainIDs = append(trainIDs, tr...)
		valIDs = append(valIDs, va...)
		d.Sources = append(d.Sources, Source{Name: c.Name, Bytes: c.Bytes, SHA256: c.SHA256,
			Tokens: len(ids), TrainTokens: len(tr), ValTokens: len(va)})
	}
	heldIDs, err := heldout.Tokens()
	if err != nil {
		return err
	}
	d.Heldout = Heldout{Name: heldout.Name, Bytes: heldout.Bytes, SHA256: heldout.SHA256, Tokens: len(heldIDs)}
	for _, p := range prompts {
		ids, err := tokenizer.Encode(p)
		if err != nil {
			return err
		}
		d.Prompts = append(d.Prompts, Prompt{Text: p, IDs: ids})
	}

	if err := os.MkdirAll(out, 0o755); err != nil {
		return fmt.Errorf("output: %w", err)
	}
	for name, ids := range map[string][]int64{"train.bin": trainIDs, "val.bin": valIDs, "heldout.bin": heldIDs} {
		b, err := EncodeUint16(ids)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if err := os.WriteFile(filepath.Join(out, name), b, 0o644); err != nil {
			return fmt.Errorf("output: %w", err)
		}
		sum := sha256.Sum256(b)
		d.Files[name] = File{Tokens: len(ids), SHA256: hex.EncodeToString(sum[:])}
	}
	j, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return fmt.Errorf("data.json: %w", err)
	}
	if err := os.WriteFile(filepath.Join(out, "data.json"), append(j, '\n'), 0o644); err != nil {
		return fmt.Errorf("output: %w", err)
	}
	fmt.Printf("%s\n", j)
	return nil
}

// SplitTail cuts ids into a head and its last frac (at least one token each
// where len(ids) >= 2).
func SplitTail(ids []int64, frac float64) (head, tail []int64) {
	n := int(float64(len(ids)) * frac)
	if n < 1 && len(ids) >= 2 {
		n = 1
	}
	return ids[:len(ids)-n], ids[len(ids)-n:]
}

// EncodeUint16 packs token ids as uint16 little-endian.
func EncodeUint16(ids []int64) ([]byte, error) {
	b := make([]byte, 2*len(ids))
	for i, id := range ids {
		if id < 0 || id > 0xffff {
			return nil, fmt.Errorf("token %d at position %d does not fit uint16", id, i)
		}
		binary.LittleEndian.PutUint16(b[2*i:], uint16(id))
	}
	return b, nil
}
