// Package orttest holds test helpers for ONNX Runtime backends: Require,
// which skips a test when the library is unavailable, and tiny hand-built
// ONNX models with the causal-LM signature (input_ids, attention_mask →
// logits) whose outputs are known exactly.
package orttest
