using NetGen;

namespace Consumer;

/// <summary>The package README's example: 2-4-1, tanh then sigmoid, binary cross-entropy.</summary>
[Network(2, Loss = Loss.BinaryCrossEntropy)]
[Dense(4, Activation.Tanh)]
[Dense(1, Activation.Sigmoid)]
public partial class XorNet { }

/// <summary>One linear unit, y = w0 x0 + w1 x1 + b: its output is known once its weights are set.</summary>
[Network(2)]
[Dense(1)]
public partial class LinearNet { }
