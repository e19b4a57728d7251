using System;

namespace NetGen;

/// <summary>
/// Declares a feed-forward network on a <c>partial</c> class. Add one <see cref="DenseAttribute"/> per layer, in order;
/// the NetGen source generator then adds <c>Forward</c>, <c>Backward</c>, <c>Parameters</c>, <c>Gradients</c> and the
/// size constants to the class.
/// </summary>
/// <example>
/// <code>
/// [Network(3, Loss = Loss.CrossEntropy)]
/// [Dense(4, Activation.Sigmoid)]
/// [Dense(2, Activation.Softmax)]
/// public partial class SeedNet { }
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class NetworkAttribute : Attribute
{
    /// <summary>Declares a network that takes <paramref name="inputs"/> values per sample.</summary>
    /// <param name="inputs">The number of input features; at least 1.</param>
    public NetworkAttribute(int inputs) => Inputs = inputs;

    /// <summary>The number of input features per sample.</summary>
    public int Inputs { get; }

    /// <summary>The loss that <c>Backward</c> differentiates. Defaults to <see cref="Loss.MeanSquaredError"/>.</summary>
    public Loss Loss { get; set; } = Loss.MeanSquaredError;
}
