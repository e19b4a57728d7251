namespace NetGen.Tests;

// The networks of TestData/reference/reference.json, declared exactly as make_reference.py builds them in PyTorch
// (same class name, inputs, layers and loss; ReferenceValueTests checks the declarations against the file).
// Together they cover every activation, every loss, one to three layers, and both code shapes: layers of more than
// 128 multiply-adds are emitted as loops over the SIMD kernels, smaller ones as unrolled scalar code.

/// <summary>One Step neuron trained with MSE: Rosenblatt's perceptron (straight-through derivative).</summary>
[Network(5)]
[Dense(1, Activation.Step)]
public partial class RefPerceptronStepMse { }

/// <summary>Linear regression: one Identity layer with three outputs.</summary>
[Network(6)]
[Dense(3)]
public partial class RefLinearIdentityMse { }

/// <summary>The design document's SeedNet: Sigmoid hidden layer, Softmax with CrossEntropy, one-hot targets.</summary>
[Network(3, Loss = Loss.CrossEntropy)]
[Dense(4, Activation.Sigmoid)]
[Dense(2, Activation.Softmax)]
public partial class RefSigmoidSoftmaxCrossEntropy { }

/// <summary>Small regression MLP: unrolled ReLU hidden layer, LeakyReLU outputs trained with MSE.</summary>
[Network(3)]
[Dense(8, Activation.ReLU)]
[Dense(2, Activation.LeakyReLU)]
public partial class RefReluLeakyMse { }

/// <summary>Linear bottleneck (Identity hidden layer) and Sigmoid outputs trained with MSE.</summary>
[Network(5, Loss = Loss.MeanSquaredError)]
[Dense(3, Activation.Identity)]
[Dense(4, Activation.Sigmoid)]
public partial class RefLinearBottleneckSigmoidMse { }

/// <summary>Multi-label head: Tanh hidden layer, Sigmoid outputs, BinaryCrossEntropy.</summary>
[Network(4, Loss = Loss.BinaryCrossEntropy)]
[Dense(5, Activation.Tanh)]
[Dense(3, Activation.Sigmoid)]
public partial class RefTanhSigmoidBce { }

/// <summary>Three unrolled layers; Softmax trained with MSE goes through the softmax Jacobian.</summary>
[Network(4)]
[Dense(6, Activation.LeakyReLU)]
[Dense(5, Activation.Step)]
[Dense(3, Activation.Softmax)]
public partial class RefLeakyStepSoftmaxMse { }

/// <summary>40x24 ReLU (960 multiply-adds) and 24x16 Tanh (384) loop-shaped, 16x5 Softmax head unrolled; soft targets.</summary>
[Network(40, Loss = Loss.CrossEntropy)]
[Dense(24, Activation.ReLU)]
[Dense(16, Activation.Tanh)]
[Dense(5, Activation.Softmax)]
public partial class RefWideReluTanhSoftmaxCrossEntropy { }

/// <summary>Unrolled 6x20 Step, loop-shaped 20x24 LeakyReLU (480), unrolled 24x2 Sigmoid; BinaryCrossEntropy.</summary>
[Network(6, Loss = Loss.BinaryCrossEntropy)]
[Dense(20, Activation.Step)]
[Dense(24, Activation.LeakyReLU)]
[Dense(2, Activation.Sigmoid)]
public partial class RefMixedStepLeakySigmoidBce { }

/// <summary>Loop-shaped Step (40x24) and loop-shaped Softmax (24x8 = 192) trained with MSE.</summary>
[Network(40)]
[Dense(24, Activation.Step)]
[Dense(8, Activation.Softmax)]
public partial class RefWideStepSoftmaxMse { }

/// <summary>All loop-shaped: Sigmoid (40x24), Identity (24x12 = 288) as a hidden layer, ReLU outputs (12x12 = 144).</summary>
[Network(40)]
[Dense(24, Activation.Sigmoid)]
[Dense(12, Activation.Identity)]
[Dense(12, Activation.ReLU)]
public partial class RefWideSigmoidIdentityReluMse { }

/// <summary>All loop-shaped: Tanh (40x24), LeakyReLU (24x16 = 384), Tanh outputs (16x9 = 144) trained with MSE.</summary>
[Network(40)]
[Dense(24, Activation.Tanh)]
[Dense(16, Activation.LeakyReLU)]
[Dense(9, Activation.Tanh)]
public partial class RefWideTanhLeakyTanhMse { }

/// <summary>Large weights: softmax logits of +-100 and more (overflow safety of Softmax and CrossEntropy).</summary>
[Network(3, Loss = Loss.CrossEntropy)]
[Dense(5, Activation.Softmax)]
public partial class RefLargeLogitsSoftmaxCrossEntropy { }

/// <summary>Large weights: saturated Tanh and Sigmoid inputs of magnitude ~100 (overflow safety of Sigmoid).</summary>
[Network(4)]
[Dense(3, Activation.Tanh)]
[Dense(3, Activation.Sigmoid)]
public partial class RefLargeLogitsTanhSigmoidMse { }
