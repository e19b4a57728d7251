namespace NetGen.Samples.Xor;

/// <summary>
/// The smallest classic network that learns XOR: 2 inputs, a hidden layer of 4 tanh units, one sigmoid output
/// trained with binary cross-entropy.
/// </summary>
[Network(2, Loss = Loss.BinaryCrossEntropy)]
[Dense(4, Activation.Tanh)]
[Dense(1, Activation.Sigmoid)]
public partial class XorNet { }
