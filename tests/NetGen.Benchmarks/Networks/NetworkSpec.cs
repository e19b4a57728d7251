using System;
using System.Collections.Generic;

namespace NetGen.Benchmarks.Networks;

/// <summary>One dense layer of a <see cref="NetworkSpec"/>.</summary>
/// <param name="Units">The layer's outputs.</param>
/// <param name="Activation">The activation applied to them.</param>
public sealed record LayerSpec(int Units, Activation Activation);

/// <summary>
/// A network's architecture as plain data, for the implementations that are not generated (naive loops,
/// TensorPrimitives). Parameters are laid out as NetGen lays them out: per layer <c>W</c>
/// (<c>[units, inputs]</c>, row-major) then <c>b</c>.
/// </summary>
public sealed class NetworkSpec
{
    /// <summary>Creates a specification.</summary>
    public NetworkSpec(string name, int inputs, Loss loss, params LayerSpec[] layers)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputs, 1);
        if (layers.Length == 0)
        {
            throw new ArgumentException("A network needs at least one layer.", nameof(layers));
        }

        Name = name;
        Inputs = inputs;
        Loss = loss;
        Layers = layers;
    }

    /// <summary>The short name used in benchmark categories (xor, iris, ...).</summary>
    public string Name { get; }

    /// <summary>The number of inputs.</summary>
    public int Inputs { get; }

    /// <summary>The loss <c>Backward</c> differentiates.</summary>
    public Loss Loss { get; }

    /// <summary>The layers, input to output.</summary>
    public IReadOnlyList<LayerSpec> Layers { get; }

    /// <summary>The last layer's units.</summary>
    public int Outputs => Layers[^1].Units;

    /// <summary>The number of inputs of layer <paramref name="layer"/>.</summary>
    public int InputsOf(int layer) => layer == 0 ? Inputs : Layers[layer - 1].Units;

    /// <summary>The offset of layer <paramref name="layer"/>'s <c>W</c> in the parameter block (its <c>b</c> follows <c>W</c>).</summary>
    public int WeightOffset(int layer)
    {
        int offset = 0;
        for (int l = 0; l < layer; l++)
        {
            offset += (InputsOf(l) + 1) * Layers[l].Units;
        }

        return offset;
    }

    /// <summary>Every weight and bias.</summary>
    public int ParameterCount => WeightOffset(Layers.Count);

    /// <summary>The multiply-adds of one forward pass.</summary>
    public int MultiplyAdds
    {
        get
        {
            int total = 0;
            for (int l = 0; l < Layers.Count; l++)
            {
                total += InputsOf(l) * Layers[l].Units;
            }

            return total;
        }
    }

    /// <summary>"64-32-10"-style shape.</summary>
    public override string ToString()
    {
        var sizes = new List<int> { Inputs };
        foreach (LayerSpec layer in Layers)
        {
            sizes.Add(layer.Units);
        }

        return $"{Name} {string.Join('-', sizes)}";
    }

    /// <summary>xor 2-4-1 (Sigmoid, Sigmoid, BinaryCrossEntropy): <see cref="XorNet"/>.</summary>
    public static NetworkSpec Xor { get; } = new("xor", 2, Loss.BinaryCrossEntropy,
        new(4, Activation.Sigmoid), new(1, Activation.Sigmoid));

    /// <summary>iris 4-8-3 (ReLU, Softmax, CrossEntropy): <see cref="IrisNet"/>.</summary>
    public static NetworkSpec Iris { get; } = new("iris", 4, Loss.CrossEntropy,
        new(8, Activation.ReLU), new(3, Activation.Softmax));

    /// <summary>digits 64-32-10 (ReLU, Softmax, CrossEntropy): <see cref="DigitsNet"/>.</summary>
    public static NetworkSpec Digits { get; } = new("digits", 64, Loss.CrossEntropy,
        new(32, Activation.ReLU), new(10, Activation.Softmax));

    /// <summary>mnist 784-128-10 (ReLU, Softmax, CrossEntropy): <see cref="MnistNet"/>.</summary>
    public static NetworkSpec Mnist { get; } = new("mnist", 784, Loss.CrossEntropy,
        new(128, Activation.ReLU), new(10, Activation.Softmax));

    /// <summary>deep 32-64-64-64-4 (ReLU ×3, Softmax, CrossEntropy): <see cref="DeepNet"/>.</summary>
    public static NetworkSpec Deep { get; } = new("deep", 32, Loss.CrossEntropy,
        new(64, Activation.ReLU), new(64, Activation.ReLU), new(64, Activation.ReLU), new(4, Activation.Softmax));
}
