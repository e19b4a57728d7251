using System;

namespace NetGen;

/// <summary>
/// A gated recurrent unit layer (PyTorch's <c>nn.GRU</c>, one layer, <c>batch_first</c>) of a sequence network declared
/// with <see cref="NetworkAttribute"/>. Recurrent layers come before the <see cref="DenseAttribute"/> layers and may be
/// stacked: each reads the previous one's hidden state at every step, and the last passes its final hidden state to
/// the dense layers after it.
/// </summary>
/// <remarks>
/// <para>
/// With input <c>x</c>, previous hidden state <c>h</c> and <c>σ</c> the logistic sigmoid, one step computes
/// <c>r = σ(W_ir x + b_ir + W_hr h + b_hr)</c>, <c>z = σ(W_iz x + b_iz + W_hz h + b_hz)</c>,
/// <c>n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))</c> and <c>h' = (1 - z) ⊙ n + z ⊙ h</c>.
/// </para>
/// <para>
/// Its parameters, in <c>Parameters</c>, are PyTorch's <c>state_dict</c> of the layer in order: <c>weight_ih</c>
/// <c>[3·units, inputs]</c>, <c>weight_hh</c> <c>[3·units, units]</c>, <c>bias_ih</c> <c>[3·units]</c>,
/// <c>bias_hh</c> <c>[3·units]</c>, the gates in the order r, z, n; all drawn uniformly from ±1/√units, as PyTorch does.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// [Network(6, Loss = Loss.CrossEntropy)]   // 6 features per time step
/// [Gru(32)]                                // reads the whole sequence
/// [Dense(4, Activation.Softmax)]           // reads the last hidden state
/// public partial class Gesture { }
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class GruAttribute : Attribute
{
    /// <summary>Declares a GRU layer.</summary>
    /// <param name="units">The size of the hidden state; at least 1.</param>
    public GruAttribute(int units) => Units = units;

    /// <summary>The size of the hidden state (PyTorch's <c>hidden_size</c>).</summary>
    public int Units { get; }
}
