package safetensors_test

import (
	"bytes"
	"fmt"
	"log"

	"github.com/inferbench/inferbench/internal/lm/safetensors"
)

func Example() {
	var buf bytes.Buffer
	err := safetensors.Write(&buf, []safetensors.Tensor{
		safetensors.Float32Tensor("ln_f.weight", []int64{4}, []float32{1, 1, 1, 1}),
		safetensors.Float16Tensor("wpe.weight", []int64{2, 2}, []float32{0.1, -0.2, 0.3, 65519}),
	}, map[string]string{"format": "pt"})
	if err != nil {
		log.Fatal(err)
	}

	f, err := safetensors.Parse("model.safetensors", buf.Bytes())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(f.Metadata["format"])
	for _, t := range f.Tensors {
		v, _, _ := f.Float32(t.Name)
		fmt.Println(t.Name, t.DType, t.Shape, t.Begin, t.End, v)
	}
	// Output:
	// pt
	// ln_f.weight F32 [4] 0 16 [1 1 1 1]
	// wpe.weight F16 [2 2] 16 24 [0.099975586 -0.19995117 0.30004883 65504]
}
