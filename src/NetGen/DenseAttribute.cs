using System;

namespace NetGen;

/// <summary>
/// A fully connected layer of a network declared with <see cref="NetworkAttribute"/>. Layers run in declaration order;
/// each one's weights are stored as PyTorch's <c>nn.Linear</c> stores them: <c>W</c> as <c>[units, inputs]</c>
/// row-major, then the bias <c>b</c> as <c>[units]</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class DenseAttribute : Attribute
{
    /// <summary>Declares a dense layer.</summary>
    /// <param name="units">The number of neurons (outputs) of the layer; at least 1.</param>
    /// <param name="activation">The activation applied to the layer's outputs.</param>
    public DenseAttribute(int units, Activation activation = Activation.Identity)
    {
        Units = units;
        Activation = activation;
    }

    /// <summary>The number of neurons (outputs) of the layer.</summary>
    public int Units { get; }

    /// <summary>The activation applied to the layer's outputs.</summary>
    public Activation Activation { get; }
}
