namespace NetGen.Benchmarks.Networks;

// The five networks of issue 3. Each one is declared twice: once with NetGen's attributes (the generated class is
// what is measured) and once as a NetworkSpec in NetworkSpec.All, which the other implementations are built from.
// NetworkBenchmarks.Setup checks that the two agree (sizes and outputs) before anything is timed.

/// <summary>xor 2-4-1: sigmoid hidden layer, sigmoid output, binary cross-entropy (12 multiply-adds).</summary>
[Network(2, Loss = Loss.BinaryCrossEntropy)]
[Dense(4, Activation.Sigmoid)]
[Dense(1, Activation.Sigmoid)]
public sealed partial class XorNet { }

/// <summary>iris 4-8-3: ReLU, softmax, cross-entropy (56 multiply-adds).</summary>
[Network(4, Loss = Loss.CrossEntropy)]
[Dense(8, Activation.ReLU)]
[Dense(3, Activation.Softmax)]
public sealed partial class IrisNet { }

/// <summary>digits 64-32-10 (8x8 scikit-learn digits): ReLU, softmax, cross-entropy (2,368 multiply-adds).</summary>
[Network(64, Loss = Loss.CrossEntropy)]
[Dense(32, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public sealed partial class DigitsNet { }

/// <summary>mnist 784-128-10: ReLU, softmax, cross-entropy (101,632 multiply-adds).</summary>
[Network(784, Loss = Loss.CrossEntropy)]
[Dense(128, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public sealed partial class MnistNet { }

/// <summary>deep 32-64-64-64-4: three ReLU layers, softmax, cross-entropy (10,496 multiply-adds).</summary>
[Network(32, Loss = Loss.CrossEntropy)]
[Dense(64, Activation.ReLU)]
[Dense(64, Activation.ReLU)]
[Dense(64, Activation.ReLU)]
[Dense(4, Activation.Softmax)]
public sealed partial class DeepNet { }
