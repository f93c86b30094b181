// Package dims counts the elements of a tensor shape, once for every file
// format inferbench reads (ONNX, safetensors) and the GPT-2 weight specs:
// a negative dimension or a product beyond int64 is an error, never a
// wrapped-around count that a later allocation trusts.
package dims
