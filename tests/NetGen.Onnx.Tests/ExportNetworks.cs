namespace NetGen.Onnx.Tests;

// Networks exported in OnnxExportTests. Together they cover every activation (Identity, Step, Sigmoid, Tanh, ReLU,
// LeakyReLU, Softmax), on hidden and output layers, every loss, one to four layers, and both unrolled layers and
// layers wide enough to be emitted as loops over the SIMD kernels.

/// <summary>A single Step neuron (perceptron).</summary>
[Network(5)]
[Dense(1, Activation.Step)]
public partial class OnnxStepNet { }

/// <summary>Linear regression: one Identity layer.</summary>
[Network(6)]
[Dense(3)]
public partial class OnnxIdentityNet { }

/// <summary>Tanh hidden layer, Sigmoid outputs, binary cross-entropy.</summary>
[Network(5, Loss = Loss.BinaryCrossEntropy)]
[Dense(7, Activation.Tanh)]
[Dense(3, Activation.Sigmoid)]
public partial class OnnxTanhSigmoidNet { }

/// <summary>ReLU hidden layer, Softmax outputs, cross-entropy (Iris-sized).</summary>
[Network(4, Loss = Loss.CrossEntropy)]
[Dense(8, Activation.ReLU)]
[Dense(3, Activation.Softmax)]
public partial class OnnxReluSoftmaxNet { }

/// <summary>LeakyReLU hidden and output layers.</summary>
[Network(3)]
[Dense(9, Activation.LeakyReLU)]
[Dense(2, Activation.LeakyReLU)]
public partial class OnnxLeakyNet { }

/// <summary>Identity and Step hidden layers, Tanh output.</summary>
[Network(4)]
[Dense(6, Activation.Identity)]
[Dense(5, Activation.Step)]
[Dense(2, Activation.Tanh)]
public partial class OnnxStepHiddenNet { }

/// <summary>Wide layers (loops over the SIMD kernels): 64-32(ReLU)-16(Sigmoid)-10(Softmax).</summary>
[Network(64, Loss = Loss.CrossEntropy)]
[Dense(32, Activation.ReLU)]
[Dense(16, Activation.Sigmoid)]
[Dense(10, Activation.Softmax)]
public partial class OnnxWideNet { }

/// <summary>Every activation in one network.</summary>
[Network(2)]
[Dense(3, Activation.Identity)]
[Dense(3, Activation.Step)]
[Dense(3, Activation.Sigmoid)]
[Dense(2, Activation.Tanh)]
[Dense(2, Activation.ReLU)]
[Dense(2, Activation.LeakyReLU)]
[Dense(2, Activation.Softmax)]
public partial class OnnxEveryActivationNet { }
