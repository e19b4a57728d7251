using System;

namespace NetGen;

/// <summary>
/// Declares a network on a <c>partial</c> class. Add one <see cref="DenseAttribute"/> per layer, in order, after any
/// recurrent layers (<see cref="GruAttribute"/>, <see cref="LstmAttribute"/>, <see cref="RnnAttribute"/>) of a
/// sequence network; the NetGen source generator then adds <c>Forward</c>, <c>Backward</c>, <c>Parameters</c>,
/// <c>Gradients</c> and the size constants to the class.
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

    /// <summary>
    /// For a sequence network (one with <see cref="GruAttribute"/>, <see cref="LstmAttribute"/> or
    /// <see cref="RnnAttribute"/> layers): the longest sequence, in steps, that <c>Backward</c> accepts. Defaults to
    /// <see cref="DefaultMaxSteps"/>; at least 1. <c>Forward</c> and <c>Step</c> take sequences of any length.
    /// </summary>
    /// <remarks>
    /// Backpropagation through time keeps every step's gates. <c>Backward</c> keeps them in a workspace inside the
    /// network, allocated once when a sequence is longer than any before it (never longer than this), so that a
    /// training step allocates nothing afterwards. The generated <c>WorkspaceFloatsPerStep</c> constant says how many
    /// floats one step takes.
    /// </remarks>
    public int MaxSteps { get; set; } = DefaultMaxSteps;

    /// <summary>The default of <see cref="MaxSteps"/>: 256 steps.</summary>
    public const int DefaultMaxSteps = 256;
}
