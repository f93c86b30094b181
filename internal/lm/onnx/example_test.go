package onnx_test

import (
	"fmt"
	"log"

	"github.com/inferbench/inferbench/internal/lm/onnx"
)

func Example() {
	// y = x·W + b for x of shape [batch, 2].
	m := &onnx.Model{
		IRVersion:    8,
		Opsets:       []onnx.OpsetID{{Domain: "", Version: 17}},
		ProducerName: "inferbench",
		Graph: onnx.Graph{
			Name: "linear",
			Nodes: []onnx.Node{
				{OpType: "MatMul", Inputs: []string{"x", "W"}, Outputs: []string{"xW"}},
				{OpType: "Add", Inputs: []string{"xW", "b"}, Outputs: []string{"y"}},
			},
			Initializers: []onnx.Tensor{
				onnx.FloatTensor("W", []int64{2, 3}, []float32{1, 2, 3, 4, 5, 6}),
				onnx.FloatTensor("b", []int64{3}, []float32{0, 0, 1}),
			},
			Inputs:  []onnx.ValueInfo{onnx.TensorInfo("x", onnx.Float, "batch", 2)},
			Outputs: []onnx.ValueInfo{onnx.TensorInfo("y", onnx.Float, "batch", 3)},
		},
	}
	b := m.Marshal()

	got, err := onnx.Unmarshal(b)
	if err != nil {
		log.Fatal(err)
	}
	info, err := got.Summary()
	if err != nil {
		log.Fatal(err)
	}
	opset, _ := info.Opset("")
	fmt.Println(len(b), "bytes, IR", info.IRVersion, "opset", opset, "by", info.Producer)
	for _, in := range info.Inputs {
		fmt.Println("input", in.Name, in.ElemType, in.Dims)
	}
	for _, out := range info.Outputs {
		fmt.Println("output", out.Name, out.ElemType, out.Dims)
	}
	fmt.Println(info.Initializers, "initializers,", info.Params, "parameters")
	// Output:
	// 178 bytes, IR 8 opset 17 by inferbench
	// input x FLOAT [batch 2]
	// output y FLOAT [batch 3]
	// 2 initializers, 9 parameters
}
