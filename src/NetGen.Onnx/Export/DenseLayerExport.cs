using System;

namespace NetGen.Onnx.Export;

/// <summary>
/// The ONNX mapping of a dense layer: <c>Gemm(x, W, b, transB = 1)</c> with <c>W</c> in NetGen's (= PyTorch's
/// <c>nn.Linear</c>) <c>[units, inputs]</c> layout, as <c>torch.onnx.export</c> writes <c>nn.Linear</c>, then the
/// activation's node(s).
/// </summary>
internal static class DenseLayerExport
{
    /// <summary>The parameters the layer takes from the block: <c>W</c> then <c>b</c>.</summary>
    public static int ParameterCount(int inputs, DenseLayer layer) => (inputs + 1) * layer.Units;

    /// <summary>Writes layer <paramref name="index"/> reading <paramref name="x"/> (<c>[batch, inputs]</c>) and returns its output's name.</summary>
    /// <param name="graph">The graph being written.</param>
    /// <param name="index">The layer's position in the network, for names: <c>layer{index}.weight</c>, ...</param>
    /// <param name="layer">The layer.</param>
    /// <param name="inputs">Its inputs.</param>
    /// <param name="parameters">Its <see cref="ParameterCount"/> parameters: <c>W</c> (<c>[units, inputs]</c>, row-major) then <c>b</c>.</param>
    /// <param name="x">The value it reads.</param>
    /// <param name="output">The name of its output value.</param>
    public static string Write(OnnxGraphWriter graph, int index, DenseLayer layer, int inputs, ReadOnlySpan<float> parameters, string x, string output)
    {
        string weight = $"layer{index}.weight", bias = $"layer{index}.bias";
        graph.FloatTensor(weight, parameters[..(layer.Units * inputs)], layer.Units, inputs);
        graph.FloatTensor(bias, parameters.Slice(layer.Units * inputs, layer.Units), layer.Units);

        bool hasActivation = layer.Activation != Activation.Identity;
        string z = hasActivation ? $"layer{index}.z" : output;
        graph.Node($"layer{index}.gemm", "Gemm", [x, weight, bias], [z], OnnxGraphWriter.Int("transB", 1));
        if (hasActivation)
        {
            WriteActivation(graph, index, layer.Activation, z, output);
        }

        return output;
    }

    private static void WriteActivation(OnnxGraphWriter graph, int index, Activation activation, string z, string y)
    {
        string name = $"layer{index}.{activation}";
        switch (activation)
        {
            case Activation.Step:
                // Heaviside with H(0) = 0: Greater(z, 0) is false at 0 and for NaN, then Cast to float.
                string zero = $"layer{index}.step.zero", positive = $"layer{index}.step.positive";
                graph.FloatTensor(zero, [0f]);
                graph.Node($"{name}.greater", "Greater", [z, zero], [positive]);
                graph.Node($"{name}.cast", "Cast", [positive], [y], OnnxGraphWriter.Int("to", OnnxGraphWriter.FloatDataType));
                break;
            case Activation.Sigmoid:
                graph.Node(name, "Sigmoid", [z], [y]);
                break;
            case Activation.Tanh:
                graph.Node(name, "Tanh", [z], [y]);
                break;
            case Activation.ReLU:
                graph.Node(name, "Relu", [z], [y]);
                break;
            case Activation.LeakyReLU:
                graph.Node(name, "LeakyRelu", [z], [y], OnnxGraphWriter.Float("alpha", Numerics.Activations.LeakyReLUSlope));
                break;
            case Activation.Softmax:
                graph.Node(name, "Softmax", [z], [y], OnnxGraphWriter.Int("axis", -1));
                break;
            default:
                throw new NotSupportedException($"No ONNX operator for activation {activation}.");
        }
    }
}
