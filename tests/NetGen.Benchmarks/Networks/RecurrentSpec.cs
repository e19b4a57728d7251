using System;
using System.Collections.Generic;

namespace NetGen.Benchmarks.Networks;

/// <summary>The recurrent layer of a <see cref="RecurrentSpec"/>.</summary>
public enum RecurrentKind
{
    /// <summary><c>nn.GRU</c>: gates r, z, n.</summary>
    Gru,

    /// <summary><c>nn.LSTM</c>: gates i, f, g, o.</summary>
    Lstm,
}

/// <summary>
/// A sequence network as plain data (one recurrent layer, then dense layers on its last hidden state), for the
/// implementations that are not generated. Parameters are laid out as NetGen and PyTorch's <c>state_dict</c> lay them
/// out: <c>weight_ih</c> <c>[G·H, I]</c>, <c>weight_hh</c> <c>[G·H, H]</c>, <c>bias_ih</c>, <c>bias_hh</c>, then per dense layer
/// <c>W</c> (<c>[units, inputs]</c>) and <c>b</c>.
/// </summary>
public sealed class RecurrentSpec
{
    /// <summary>Creates a specification.</summary>
    public RecurrentSpec(string name, int inputs, RecurrentKind kind, int units, int steps, Loss loss, params LayerSpec[] dense)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(units, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        if (dense.Length == 0)
        {
            throw new ArgumentException("The benchmark's sequence networks end in at least one dense layer.", nameof(dense));
        }

        Name = name;
        Inputs = inputs;
        Kind = kind;
        Units = units;
        Steps = steps;
        Loss = loss;
        Dense = dense;
    }

    /// <summary>The short name used in benchmark categories and file names (gru32, lstm64).</summary>
    public string Name { get; }

    /// <summary>Features per time step.</summary>
    public int Inputs { get; }

    /// <summary>The recurrent layer's kind.</summary>
    public RecurrentKind Kind { get; }

    /// <summary>The recurrent layer's hidden units.</summary>
    public int Units { get; }

    /// <summary>The benchmark's sequence length, in steps.</summary>
    public int Steps { get; }

    /// <summary>The loss the training step differentiates.</summary>
    public Loss Loss { get; }

    /// <summary>The dense layers on the last hidden state.</summary>
    public IReadOnlyList<LayerSpec> Dense { get; }

    /// <summary>Gates per unit: 3 for a GRU, 4 for an LSTM.</summary>
    public int Gates => Kind == RecurrentKind.Gru ? 3 : 4;

    /// <summary>The rows of the gate products, <c>G·H</c>.</summary>
    public int GateRows => Gates * Units;

    /// <summary>The network's outputs.</summary>
    public int Outputs => Dense[^1].Units;

    /// <summary>The parameters of the recurrent layer.</summary>
    public int RecurrentParameters => GateRows * (Inputs + Units + 2);

    /// <summary>The inputs of dense layer <paramref name="layer"/>.</summary>
    public int DenseInputsOf(int layer) => layer == 0 ? Units : Dense[layer - 1].Units;

    /// <summary>Every weight and bias.</summary>
    public int ParameterCount
    {
        get
        {
            int count = RecurrentParameters;
            for (int l = 0; l < Dense.Count; l++)
            {
                count += (DenseInputsOf(l) + 1) * Dense[l].Units;
            }

            return count;
        }
    }

    /// <summary>The multiply-adds of one step of the recurrent layer.</summary>
    public int MultiplyAddsPerStep => GateRows * (Inputs + Units);

    /// <summary>"gru32 6-Gru(32)-4, 50 steps"-style description.</summary>
    public override string ToString()
        => $"{Name} {Inputs}-{Kind}({Units})-{string.Join('-', System.Linq.Enumerable.Select(Dense, layer => layer.Units))}, {Steps} steps";

    /// <summary>GRU(32) over 50 steps of 6 features, Dense(4, Softmax), cross-entropy: <see cref="Gru32Net"/>.</summary>
    public static RecurrentSpec Gru32 { get; } = new("gru32", 6, RecurrentKind.Gru, 32, 50, Loss.CrossEntropy, new LayerSpec(4, Activation.Softmax));

    /// <summary>LSTM(64) over 100 steps of 13 features, Dense(1), mean squared error: <see cref="Lstm64Net"/>.</summary>
    public static RecurrentSpec Lstm64 { get; } = new("lstm64", 13, RecurrentKind.Lstm, 64, 100, Loss.MeanSquaredError, new LayerSpec(1, Activation.Identity));
}
