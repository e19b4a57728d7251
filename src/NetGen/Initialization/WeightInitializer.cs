using System;
using NetGen.Numerics;

namespace NetGen.Initialization;

/// <summary>
/// Default weight initialisation of generated networks: Glorot/Xavier uniform for Identity, Step, Sigmoid, Tanh and
/// Softmax layers, He/Kaiming uniform (PyTorch's <c>kaiming_uniform_</c> bound) for ReLU and LeakyReLU layers.
/// Biases start at zero.
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
}
