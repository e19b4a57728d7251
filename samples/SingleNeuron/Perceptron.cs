namespace NetGen.Samples.SingleNeuron;

/// <summary>
/// Rosenblatt's perceptron: one threshold neuron, <c>y = (w1·x1 + w2·x2 + b &gt; 0) ? 1 : 0</c>. Trained with mean
/// squared error through <c>Step</c>'s straight-through derivative, one SGD step per sample is exactly the
/// perceptron rule <c>w += η (t - y) x</c> (with η = 2 × the learning rate).
/// </summary>
[Network(2)]
[Dense(1, Activation.Step)]
public partial class Perceptron { }
