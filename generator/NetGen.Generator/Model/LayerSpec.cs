using System.Collections.Generic;
using NetGen.Shared;

namespace NetGen.Generator.Model;

/// <summary>
/// One layer: its kind (the axis every part of the generator dispatches on; <see cref="LayerKind"/> is the shared
/// architecture text's), its input and output sizes, and its activation (a dense layer's; an RNN's nonlinearity;
/// <see cref="Activation.Identity"/> for GRU and LSTM, whose gates fix their own). Everything else about the layer
/// (parameter blocks, work, state) follows from these.
/// </summary>
/// <param name="Inputs">Inputs per sample (a recurrent layer: per step).</param>
/// <param name="Units">Outputs (a recurrent layer: the size of its hidden state).</param>
/// <param name="Activation">See above.</param>
internal sealed record LayerSpec(int Inputs, int Units, Activation Activation)
{
    public LayerKind Kind { get; init; } = LayerKind.Dense;

    public bool IsRecurrent => Kind != LayerKind.Dense;

    /// <summary>Rows of the weight matrices per unit: 3 for GRU, 4 for LSTM, 1 for RNN and dense layers.</summary>
    public int Gates => Kind switch
    {
        LayerKind.Gru => 3,
        LayerKind.Lstm => 4,
        _ => 1,
    };

    /// <summary>Rows of each weight matrix: <see cref="Gates"/> · <see cref="Units"/>.</summary>
    public int GateRows => Gates * Units;

    /// <summary>Multiply-adds per sample (a recurrent layer: per step).</summary>
    public long MultiplyAdds => (long)GateRows * (Inputs + (IsRecurrent ? Units : 0));

    public long ParameterCount => ArchitectureText.ParameterCount(Kind, Inputs, Units);

    /// <summary>Floats of state carried from step to step: the hidden state, and an LSTM's cell state.</summary>
    public int StateFloats => Kind switch
    {
        LayerKind.Dense => 0,
        LayerKind.Lstm => 2 * Units,
        _ => Units,
    };

    /// <summary>Whether <c>Backward</c> keeps each step's recurrent product: a GRU's n gate needs it, LSTM and RNN gates do not.</summary>
    public bool KeepsHiddenGates => Kind == LayerKind.Gru;

    /// <summary>
    /// Floats one step of a recurrent layer keeps for backpropagation through time: its state (the workspace keeps one
    /// more step, for the initial state), its gates and their gradient, a GRU's recurrent products and their gradient,
    /// and, when a recurrent layer is below it (<paramref name="hasInputDelta"/>), its input's gradient.
    /// </summary>
    public int WorkspaceFloatsPerStep(bool hasInputDelta)
        => StateFloats + ((KeepsHiddenGates ? 4 : 2) * GateRows) + (hasInputDelta ? Inputs : 0);

    /// <summary>
    /// The layer's parameter blocks in <c>Parameters</c> order, which is PyTorch's <c>state_dict</c> order:
    /// <c>nn.Linear</c>'s <c>weight</c>, <c>bias</c>; a recurrent module's <c>weight_ih</c>, <c>weight_hh</c>,
    /// <c>bias_ih</c>, <c>bias_hh</c>.
    /// </summary>
    public IReadOnlyList<ParameterBlock> Blocks => IsRecurrent
        ? new[]
        {
            new ParameterBlock("weight_ih", GateRows, Inputs, ParameterInitializer.RecurrentUniform),
            new ParameterBlock("weight_hh", GateRows, Units, ParameterInitializer.RecurrentUniform),
            new ParameterBlock("bias_ih", GateRows, 1, ParameterInitializer.RecurrentUniform),
            new ParameterBlock("bias_hh", GateRows, 1, ParameterInitializer.RecurrentUniform),
        }
        : new[]
        {
            new ParameterBlock("weight", Units, Inputs, ParameterInitializer.DenseWeights),
            new ParameterBlock("bias", Units, 1, ParameterInitializer.Zero),
        };

    /// <summary>The layer in the canonical architecture text: <c>8(ReLU)</c>, <c>Gru(32)</c>, <c>Lstm(64)</c>, <c>Rnn(16,Tanh)</c>.</summary>
    public string Token => ArchitectureText.Token(new ArchitectureLayer(Kind, Inputs, Units, Activation));

    public static LayerSpec Dense(int inputs, int units, Activation activation) => new(inputs, units, activation);

    public static LayerSpec Recurrent(LayerKind kind, int inputs, int units, Activation activation = Activation.Identity)
        => new(inputs, units, kind == LayerKind.Rnn ? activation : Activation.Identity) { Kind = kind };
}

/// <summary>How a parameter block starts out in a network initialised from a seed.</summary>
internal enum ParameterInitializer
{
    /// <summary>Zeros (dense biases).</summary>
    Zero,

    /// <summary>Glorot uniform, or He uniform for ReLU and LeakyReLU layers (<c>WeightInitializer.Initialize</c>).</summary>
    DenseWeights,

    /// <summary>Uniform in ±1/√units, PyTorch's initialisation of every recurrent parameter.</summary>
    RecurrentUniform,
}

/// <summary>A named block of a layer's parameters: a <c>[Rows, Columns]</c> matrix, or a vector when Columns is 1.</summary>
internal sealed record ParameterBlock(string Name, int Rows, int Columns, ParameterInitializer Initializer)
{
    public int Count => Rows * Columns;
}
