namespace NetGen.Tests.Interop;

// Networks built from model files at compile time. The files are tools/pytorch/export_mlp.py's exports in
// tests/NetGen.Generator.Tests/TestData/onnx, listed as AdditionalFiles in NetGen.Tests.csproj and passed to the
// generator by NetGen's build step (src/NetGen.Build).

[OnnxNetwork("TestData/onnx/relu_sigmoid.onnx")]
public static partial class FrozenReluSigmoid { }

[OnnxNetwork("TestData/onnx/relu_sigmoid.onnx", Frozen = false, Loss = Loss.BinaryCrossEntropy)]
public partial class TunedReluSigmoid { }

[OnnxNetwork("TestData/onnx/flatten_tanh_softmax.onnx")]
public static partial class FrozenFlattenTanhSoftmax { }

[OnnxNetwork("TestData/onnx/leaky_dropout_identity.onnx")]
public static partial class FrozenLeakyDropoutIdentity { }

/// <summary>BatchNormalization folded into the dense layer before it.</summary>
[OnnxNetwork("TestData/onnx/batchnorm_relu.onnx")]
public static partial class FrozenBatchNormRelu { }

/// <summary>PyTorch exported this one without constant folding: BatchNormalization stays a node, NetGen folds it.</summary>
[OnnxNetwork("TestData/onnx/batchnorm_nofold.onnx")]
public static partial class FrozenBatchNormUnfolded { }

[OnnxNetwork("TestData/onnx/matmul_add.onnx")]
public static partial class FrozenMatMulAdd { }

[OnnxNetwork("TestData/onnx/tanh_leaky_softmax.onnx")]
public static partial class FrozenTanhLeakySoftmax { }

/// <summary>101,770 parameters: SIMD and kernel-loop layers over compiled-in weights.</summary>
[OnnxNetwork("TestData/onnx/mnist_mlp.onnx")]
public static partial class FrozenMnistFromOnnx { }

/// <summary>The same PyTorch model through NetGen's weight file and a declared architecture.</summary>
[Network(784, Loss = Loss.CrossEntropy)]
[Dense(128, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
[WeightsFile("TestData/onnx/mnist_mlp.ngw")]
public static partial class FrozenMnistFromWeightFile { }

[Network(784, Loss = Loss.CrossEntropy)]
[Dense(128, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
[WeightsFile("TestData/onnx/mnist_mlp.ngw", Frozen = false)]
public partial class TunedMnist { }

/// <summary>A weight file saved with a standardizer: the frozen type carries it as <c>InputStandardizer</c>.</summary>
[Network(3, Loss = Loss.MeanSquaredError)]
[Dense(6, Activation.Tanh)]
[Dense(5, Activation.LeakyReLU)]
[Dense(4, Activation.Identity)]
[Dense(3, Activation.Softmax)]
[WeightsFile("TestData/onnx/tanh_leaky_softmax.ngw")]
public static partial class FrozenWithStandardizer { }
