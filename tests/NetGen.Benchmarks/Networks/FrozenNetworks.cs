namespace NetGen.Benchmarks.Networks;

// Frozen networks (weights compiled in, static Forward/Predict) and trainable networks with the same weights, for
// Suite/FrozenBenchmarks.cs. The model files are tools/pytorch/export_mlp.py's PyTorch exports in
// tests/NetGen.Generator.Tests/TestData/onnx, listed as AdditionalFiles in NetGen.Benchmarks.csproj; NetGen's build step
// (src/NetGen.Build) hands them to the generator.

/// <summary>mnist_mlp.onnx, 784-128(ReLU)-10(Softmax), 101,770 parameters, frozen: static members over compiled-in weights.</summary>
[OnnxNetwork("TestData/onnx/mnist_mlp.onnx")]
public static partial class FrozenMnistMlp { }

/// <summary>The same PyTorch weights (mnist_mlp.ngw, bit-identical to the ONNX export's), as a trainable network.</summary>
[Network(784, Loss = Loss.CrossEntropy)]
[Dense(128, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
[WeightsFile("TestData/onnx/mnist_mlp.ngw", Frozen = false)]
public sealed partial class TrainableMnistMlp { }

/// <summary>relu_sigmoid.onnx, 4-8(ReLU)-3(Sigmoid), 67 parameters, frozen.</summary>
[OnnxNetwork("TestData/onnx/relu_sigmoid.onnx")]
public static partial class FrozenReluSigmoid { }

/// <summary>The same file as a trainable network.</summary>
[OnnxNetwork("TestData/onnx/relu_sigmoid.onnx", Frozen = false)]
public sealed partial class TrainableReluSigmoid { }
