namespace NetGen;

/// <summary>The loss a network's <c>Backward</c> method differentiates. Values follow PyTorch's definitions for one sample.</summary>
/// <remarks>The numeric values are part of the contract between the runtime and the generator; do not reorder.</remarks>
#if NETGEN_GENERATOR
internal // the generator compiles this file as well (docs/architecture.md, "Shared formats"): one list of names and values
#else
public
#endif
enum Loss
{
    /// <summary>Mean squared error, <c>(1/n) Σ (y - t)²</c>; PyTorch's <c>MSELoss</c>.</summary>
    MeanSquaredError = 0,

    /// <summary>
    /// Binary cross-entropy, <c>-(1/n) Σ [t ln y + (1 - t) ln(1 - y)]</c>, each logarithm clamped at -100 as in
    /// PyTorch's <c>BCELoss</c>. Requires a <see cref="Activation.Sigmoid"/> output layer.
    /// </summary>
    BinaryCrossEntropy = 1,

    /// <summary>
    /// Cross-entropy against a target distribution (one-hot or soft), <c>-Σ t ln softmax(z)</c>, computed through
    /// log-sum-exp; PyTorch's <c>CrossEntropyLoss</c> on logits <c>z</c>. Requires a <see cref="Activation.Softmax"/>
    /// output layer, whose outputs are the probabilities.
    /// </summary>
    CrossEntropy = 2,
}
