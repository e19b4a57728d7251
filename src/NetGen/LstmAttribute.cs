using System;

namespace NetGen;

/// <summary>
/// A long short-term memory layer (PyTorch's <c>nn.LSTM</c>, one layer, <c>batch_first</c>, no projection) of a
/// sequence network declared with <see cref="NetworkAttribute"/>. Recurrent layers come before the
/// <see cref="DenseAttribute"/> layers and may be stacked; the last passes its final hidden state to the dense layers.
/// </summary>
/// <remarks>
/// <para>
/// With input <c>x</c>, previous hidden state <c>h</c> and cell state <c>c</c>, one step computes the gates
/// <c>i = σ(W_ii x + b_ii + W_hi h + b_hi)</c>, <c>f = σ(…)</c>, <c>g = tanh(…)</c>, <c>o = σ(…)</c>, then
/// <c>c' = f ⊙ c + i ⊙ g</c> and <c>h' = o ⊙ tanh(c')</c>.
/// </para>
/// <para>
/// Its parameters, in <c>Parameters</c>, are PyTorch's <c>state_dict</c> of the layer in order: <c>weight_ih</c>
/// <c>[4·units, inputs]</c>, <c>weight_hh</c> <c>[4·units, units]</c>, <c>bias_ih</c> <c>[4·units]</c>,
/// <c>bias_hh</c> <c>[4·units]</c>, the gates in the order i, f, g, o; all drawn uniformly from ±1/√units, as PyTorch does.
/// </para>
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class LstmAttribute : Attribute
{
    /// <summary>Declares an LSTM layer.</summary>
    /// <param name="units">The size of the hidden and cell states; at least 1.</param>
    public LstmAttribute(int units) => Units = units;

    /// <summary>The size of the hidden and cell states (PyTorch's <c>hidden_size</c>).</summary>
    public int Units { get; }
}
