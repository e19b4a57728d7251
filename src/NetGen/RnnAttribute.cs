using System;

namespace NetGen;

/// <summary>
/// An Elman recurrent layer (PyTorch's <c>nn.RNN</c>, one layer, <c>batch_first</c>) of a sequence network declared
/// with <see cref="NetworkAttribute"/>: <c>h' = activation(W_ih x + b_ih + W_hh h + b_hh)</c>. Recurrent layers come
/// before the <see cref="DenseAttribute"/> layers and may be stacked; the last passes its final hidden state to the
/// dense layers.
/// </summary>
/// <remarks>
/// Its parameters, in <c>Parameters</c>, are PyTorch's <c>state_dict</c> of the layer in order: <c>weight_ih</c>
/// <c>[units, inputs]</c>, <c>weight_hh</c> <c>[units, units]</c>, <c>bias_ih</c> <c>[units]</c>, <c>bias_hh</c>
/// <c>[units]</c>; all drawn uniformly from ±1/√units, as PyTorch does.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class RnnAttribute : Attribute
{
    /// <summary>Declares an Elman RNN layer.</summary>
    /// <param name="units">The size of the hidden state; at least 1.</param>
    /// <param name="activation">
    /// <see cref="NetGen.Activation.Tanh"/> (the default) or <see cref="NetGen.Activation.ReLU"/>, as PyTorch's
    /// <c>nonlinearity</c> allows.
    /// </param>
    public RnnAttribute(int units, Activation activation = Activation.Tanh)
    {
        Units = units;
        Activation = activation;
    }

    /// <summary>The size of the hidden state (PyTorch's <c>hidden_size</c>).</summary>
    public int Units { get; }

    /// <summary>The nonlinearity: <see cref="NetGen.Activation.Tanh"/> or <see cref="NetGen.Activation.ReLU"/>.</summary>
    public Activation Activation { get; }
}
