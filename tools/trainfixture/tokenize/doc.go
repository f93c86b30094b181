// Command tokenize prepares the gpt2-tiny fixture's training data on the
// development machine, where Go and the offline GPT-2 tokenizer are: the GPU
// machine that trains (tools/trainfixture/train_tiny.py) has neither.
//
// It reads the two training sources, the Opticks train part (corpus.Opticks
// split at corpus.TrainFraction) and the WikiText-2 validation split, and the
// Opticks held-out part, encodes them with r50k_base and writes, under -out:
//
//	train.bin    training tokens: the first 1-val of each source, joined by <|endoftext|>
//	val.bin      early-stopping tokens: the last val of each source, likewise
//	heldout.bin  the held-out part's tokens, for the final perplexity only
//	data.json    each source's name, bytes, sha256 and token counts, the
//	             files' sha256 and the encoded greedy-sample prompts
//
// Token files are uint16 little-endian. None of them may be committed.
//
// Usage:
//
//	go run ./tools/trainfixture/tokenize -out .carry/gpt2tiny
package main
