using System;
using NetGen.Shared;

namespace NetGen.Onnx.Export;

/// <summary>
/// The ONNX mapping of recurrent layers: ONNX's <c>GRU</c> (with <c>linear_before_reset = 1</c>, which is PyTorch's and
/// NetGen's n gate), <c>LSTM</c> and <c>RNN</c> (<c>activations = [Tanh]</c> or <c>[Relu]</c>) operators, forward
/// direction, no initial state (zero), over a sequence laid out <c>[steps, batch, features]</c> (ONNX's layout 0).
/// </summary>
/// <remarks>
/// Each layer's parameters, PyTorch's <c>weight_ih</c> <c>[G·H, I]</c>, <c>weight_hh</c> <c>[G·H, H]</c>,
/// <c>bias_ih</c> and <c>bias_hh</c>, become the operator's <c>W</c> <c>[1, G·H, I]</c>, <c>R</c> <c>[1, G·H, H]</c>
/// and <c>B</c> <c>[1, 2·G·H]</c> = <c>[bias_ih, bias_hh]</c>, each with its gates moved from PyTorch's order to
/// ONNX's (<see cref="OnnxRecurrentGates"/>: GRU r, z, n to z, r, h; LSTM i, f, g, o to i, o, f, c). A layer that feeds
/// another passes its <c>Y</c> (<c>[steps, 1, batch, H]</c>) through <c>Squeeze(axes = [1])</c>; the last one passes
/// its <c>Y_h</c> (<c>[1, batch, H]</c>, the hidden state after the last step) through <c>Squeeze(axes = [0])</c>, so
/// the dense layers read <c>[batch, H]</c>.
/// </remarks>
internal static class RecurrentLayerExport
{
    /// <summary>The int64 initializers <c>[0]</c> and <c>[1]</c> that the Squeeze nodes take as their axes.</summary>
    private const string AxisZero = "axes.0", AxisOne = "axes.1";

    /// <summary>The parameters a layer takes from the block.</summary>
    public static int ParameterCount(RecurrentLayer layer, int inputs) => checked((int)ArchitectureText.ParameterCount(KindOf(layer.Kind), inputs, layer.Units));

    /// <summary>Writes the int64 axes the Squeeze nodes use; once per graph, before the first layer.</summary>
    public static void WriteConstants(OnnxGraphWriter graph)
    {
        graph.Int64Tensor(AxisZero, [0L], 1);
        graph.Int64Tensor(AxisOne, [1L], 1);
    }

    /// <summary>
    /// Writes recurrent layer <paramref name="index"/> reading <paramref name="sequence"/> (<c>[steps, batch, inputs]</c>)
    /// and returns its output's name: the hidden sequence <c>[steps, batch, H]</c>, or when <paramref name="last"/> the
    /// final hidden state <c>[batch, H]</c>, named <paramref name="lastOutput"/>.
    /// </summary>
    public static string Write(OnnxGraphWriter graph, int index, RecurrentLayer layer, int inputs, ReadOnlySpan<float> parameters,
        string sequence, bool last, string lastOutput)
    {
        LayerKind kind = KindOf(layer.Kind);
        int units = layer.Units;
        int rows = OnnxRecurrentGates.Gates(kind) * units;
        string prefix = $"layer{index}";
        string w = $"{prefix}.W", r = $"{prefix}.R", b = $"{prefix}.B";

        // weight_ih, weight_hh, bias_ih, bias_hh in PyTorch's gate order -> W, R, B = [Wb, Rb] in ONNX's.
        ReadOnlySpan<float> weightIh = parameters[..(rows * inputs)];
        ReadOnlySpan<float> weightHh = parameters.Slice(rows * inputs, rows * units);
        ReadOnlySpan<float> biasIh = parameters.Slice(rows * (inputs + units), rows);
        ReadOnlySpan<float> biasHh = parameters.Slice((rows * (inputs + units)) + rows, rows);
        float[] onnxW = new float[weightIh.Length], onnxR = new float[weightHh.Length], onnxB = new float[2 * rows];
        OnnxRecurrentGates.ToOnnx(kind, weightIh, onnxW, units, inputs);
        OnnxRecurrentGates.ToOnnx(kind, weightHh, onnxR, units, units);
        OnnxRecurrentGates.ToOnnx(kind, biasIh, onnxB.AsSpan(0, rows), units, 1);
        OnnxRecurrentGates.ToOnnx(kind, biasHh, onnxB.AsSpan(rows, rows), units, 1);
        graph.FloatTensor(w, onnxW, 1, rows, inputs);
        graph.FloatTensor(r, onnxR, 1, rows, units);
        graph.FloatTensor(b, onnxB, 1, 2 * rows);

        string y = last ? string.Empty : $"{prefix}.Y";
        string yh = last ? $"{prefix}.Y_h" : string.Empty;
        graph.Node($"{prefix}.{OnnxRecurrentGates.Operator(kind).ToLowerInvariant()}", OnnxRecurrentGates.Operator(kind), [sequence, w, r, b],
            [y, yh], Attributes(layer));

        // Y [steps, num_directions = 1, batch, H] -> [steps, batch, H]; Y_h [1, batch, H] -> [batch, H].
        string squeezed = last ? lastOutput : $"{prefix}.sequence";
        graph.Node($"{prefix}.squeeze", "Squeeze", [last ? yh : y, last ? AxisZero : AxisOne], [squeezed]);
        return squeezed;
    }

    private static ProtobufWriter[] Attributes(RecurrentLayer layer) => layer.Kind switch
    {
        // ONNX's default GRU (linear_before_reset = 0) applies the reset gate before the recurrent product; PyTorch's
        // n = tanh(W_in x + b_in + r * (W_hn h + b_hn)) is linear_before_reset = 1.
        RecurrentKind.Gru => [OnnxGraphWriter.Int("hidden_size", layer.Units), OnnxGraphWriter.Int("linear_before_reset", 1)],
        RecurrentKind.Lstm => [OnnxGraphWriter.Int("hidden_size", layer.Units)],
        _ => [OnnxGraphWriter.Int("hidden_size", layer.Units), OnnxGraphWriter.Strings("activations", layer.Activation == Activation.ReLU ? "Relu" : "Tanh")],
    };

    private static LayerKind KindOf(RecurrentKind kind) => kind switch
    {
        RecurrentKind.Gru => LayerKind.Gru,
        RecurrentKind.Lstm => LayerKind.Lstm,
        _ => LayerKind.Rnn,
    };
}
