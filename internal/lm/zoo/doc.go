// Package zoo resolves model names to identified, runnable models.
//
//	gpt2-tiny        the embedded default: GPT-2 architecture and tokenizer,
//	                 4 layers × 64 wide, trained on text disjoint from the
//	                 default evaluation text (see fixtures/gpt2tiny).
//	gpt2-tiny-seeded gpt2-tiny's shape with seeded weights: an untrained
//	                 control (accuracy gates must refuse it).
//	gpt2-124m-arch   GPT-2 small's exact shapes with seeded weights.
//	gpt2-355m-arch   GPT-2 medium's exact shapes with seeded weights.
//	file:PATH        any .onnx file, or a directory holding config.json and
//	                 model.safetensors in the Hugging Face GPT-2 layout.
//
// Seeded models are valid for latency and memory only; their Identity says
// "seeded" and accuracy gates refuse them. Every resolved model's declared
// architecture is checked against its actual parameter count.
//
// Built ONNX files are cached by content: the cache key is the sha256 of the
// weights, the configuration and the builder version, so the same weights
// always map to the same, byte-identical file. Each file's sha256 is
// recorded beside it and checked on its first use in a process (and again
// when its size, modification time or inode change): a corrupt file is
// reported on stderr, removed and rebuilt (ErrCorrupt), so damage on disk
// is never run nor blamed on a backend. Temporaries left by a killed build
// are removed (their writer's PID is gone, or they are an hour old).
//
// A declared architecture (Options.Architecture, the -arch flag) must be
// one of Architectures and agree with the model: unknown names and
// contradictions are errors, never ignored.
//
// Decoder returns a model's decoder with a KV cache (Hugging Face/optimum
// naming, see package gpt2/graph): built at the model's precision next to
// its ONNX file, or, for a foreign .onnx file, the file itself when it has
// the past_key_values signature (KVSignature); otherwise the model is
// prefill-only and the error (model.ErrNoKVCache) says what the file lacks.
// Rows likewise returns its row-prefill graph (logits of the last rows
// only), for models with Go weights.
//
// Fused returns a model's fused graph (ONNX Runtime's contrib operators;
// package gpt2/graph, fused.go) at its precision, fp32 or fp16, in a
// folder of its own beside its ONNX file, with the fusion and its
// contrib-op counts in its identity; the Decoder and Rows of a fused model
// are fused too. The GPU backends' "-fused" variants run it.
package zoo
