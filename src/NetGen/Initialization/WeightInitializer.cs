using System;
using NetGen.Numerics;

namespace NetGen.Initialization;

/// <summary>
/// Default weight initialisation of generated networks: Glorot/Xavier uniform for Identity, Step, Sigmoid, Tanh and
/// Softmax layers, He/Kaiming uniform (PyTorch's <c>kaiming_uniform_</c> bound) for ReLU and LeakyReLU layers.
/// Biases start at zero. Recurrent layers draw every weight and bias uniformly from ±1/√units, as PyTorch does.
/// </summary>
public static class WeightInitializer
{
    /// <summary>Fills one layer's weights (<c>[units, inputs]</c>) for the given activation.</summary>
    public static void Initialize(Span<float> weights, int inputs, int units, Activation activation, ref NetGenRandom random)
    {
        if (weights.Length != inputs * units)
        {
            throw new ArgumentException($"'{nameof(weights)}' must hold {units} × {inputs} = {units * inputs} values but has {weights.Length}.", nameof(weights));
        }

        float bound = activation switch
        {
            Activation.ReLU => MathF.Sqrt(6f / inputs),
            Activation.LeakyReLU => MathF.Sqrt(6f / ((1f + (Activations.LeakyReLUSlope * Activations.LeakyReLUSlope)) * inputs)),
            _ => MathF.Sqrt(6f / (inputs + units)),
        };

        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = random.NextSingle(bound);
        }
    }

    /// <summary>
    /// Fills one block of a recurrent layer's parameters (a weight matrix or a bias) uniformly from ±1/√units, PyTorch's
    /// initialisation of <c>nn.GRU</c>, <c>nn.LSTM</c> and <c>nn.RNN</c>.
    /// </summary>
    /// <param name="values">The block.</param>
    /// <param name="units">The layer's hidden size; at least 1.</param>
    /// <param name="random">The network's generator.</param>
    public static void InitializeRecurrent(Span<float> values, int units, ref NetGenRandom random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(units, 1);
        float bound = 1f / MathF.Sqrt(units);
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = random.NextSingle(bound);
        }
    }
}
