// Package reference is the pure-Go GPT-2 forward pass every other backend is
// checked against, and registers it as the backend "reference" (fp32
// weights, float64 activations and accumulation, device "cpu-go").
//
// Forward follows Hugging Face's GPT2LMHeadModel: token plus learned
// position embeddings (position ids 0 … seq-1, whatever the mask),
// pre-LayerNorm blocks, scaled dot-product attention under a causal mask
// combined with the attention mask, gelu_new (the tanh approximation), the
// final ln_f and the output projection tied to wte.
//
// Masked keys get the score MaskedScore (float32's most negative finite
// value, Hugging Face's finfo.min). A query whose every key is masked (a
// padded position with no attended token at or before it) therefore sees
// equal scores everywhere and attends uniformly to all seq positions, as the
// ONNX graph of package gpt2/graph does; such rows are finite, never NaN,
// and carry no meaning.
//
// Its sessions implement backends.Generator: a float64 KV cache per layer,
// filled by a prefill and extended one position per step, each call
// computing only its new positions with Forward's arithmetic in Forward's
// order, so every step's logits equal Forward's over the whole prefix bit
// for bit (decode.go).
//
// The pass is written for clarity, not speed; it spreads rows and vocabulary
// slices over goroutines so that small models run in a few milliseconds.
package reference
