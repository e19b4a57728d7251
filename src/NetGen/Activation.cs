namespace NetGen;

/// <summary>The activation function applied to a dense layer's outputs.</summary>
/// <remarks>The numeric values are part of the contract between the runtime and the generator; do not reorder.</remarks>
#if NETGEN_GENERATOR
internal // the generator compiles this file as well (docs/architecture.md, "Shared formats"): one list of names and values
#else
public
#endif
enum Activation
{
    /// <summary>No activation: <c>f(x) = x</c>.</summary>
    Identity = 0,

    /// <summary>
    /// Threshold neuron: <c>f(x) = x &gt; 0 ? 1 : 0</c>. The backward pass uses the straight-through
    /// derivative 1, so a single <see cref="Step"/> neuron trained with mean squared error follows
    /// Rosenblatt's perceptron rule.
    /// </summary>
    Step = 1,

    /// <summary>Logistic sigmoid <c>1 / (1 + e^-x)</c>, computed without overflow for large |x|.</summary>
    Sigmoid = 2,

    /// <summary>Hyperbolic tangent.</summary>
    Tanh = 3,

    /// <summary>Rectified linear unit <c>max(0, x)</c>; its derivative at 0 is 0, as in PyTorch.</summary>
    ReLU = 4,

    /// <summary>Leaky rectified linear unit with negative slope 0.01, as PyTorch's default.</summary>
    LeakyReLU = 5,

    /// <summary>
    /// Softmax over the layer (the maximum is subtracted first). Allowed only on the last layer.
    /// </summary>
    Softmax = 6,
}
