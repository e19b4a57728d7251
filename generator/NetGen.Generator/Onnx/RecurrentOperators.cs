using System;
using System.Collections.Generic;
using System.Linq;
using NetGen.Shared;

namespace NetGen.Generator.Onnx;

/// <summary>
/// ONNX's <c>GRU</c>, <c>LSTM</c> and <c>RNN</c> operators as NetGen's recurrent layers: forward direction, PyTorch's
/// variant of each (GRU with <c>linear_before_reset = 1</c>; LSTM without peepholes or coupled gates; RNN with Tanh or
/// Relu), no clipping, a zero initial state and no per-sample lengths. <c>W</c>, <c>R</c> and <c>B = [Wb, Rb]</c> are
/// moved from ONNX's gate order back to PyTorch's (<see cref="OnnxRecurrentGates"/>), which is NetGen's layout:
/// <c>weight_ih</c>, <c>weight_hh</c>, <c>bias_ih</c>, <c>bias_hh</c>.
/// </summary>
internal static class RecurrentOperators
{
    public static readonly IReadOnlyDictionary<string, OperatorHandler> Handlers = new Dictionary<string, OperatorHandler>
    {
        ["GRU"] = (import, node) => Recurrent(import, node, LayerKind.Gru),
        ["LSTM"] = (import, node) => Recurrent(import, node, LayerKind.Lstm),
        ["RNN"] = (import, node) => Recurrent(import, node, LayerKind.Rnn),
    };

    // Input positions of the operators (ONNX's GRU, LSTM, RNN share the first six; LSTM adds initial_c and P).
    private const int W = 1, R = 2, B = 3, SequenceLens = 4, InitialH = 5, InitialC = 6, Peepholes = 7;

    private static string? Recurrent(OnnxImport import, OnnxNode node, LayerKind kind)
    {
        string where = $"node '{node.DisplayName}'";
        Flow? x = import.CurrentFlow(node, 0, out string? error);
        if (x == null)
        {
            return error;
        }

        error = SequenceAxes(import, x, out FlowAxis time, out FlowAxis batch, out int features) ?? Attributes(node, kind);
        if (error != null)
        {
            return $"{where}: {error}";
        }

        var layer = new PendingRecurrent { Kind = kind, Inputs = features, Activation = RnnActivation(node, kind) };
        error = Weights(import, node, kind, layer) ?? Unused(import, node, kind, layer.Units);
        if (error != null)
        {
            return $"{where}: {error}";
        }

        import.Layers.Add(layer);
        int index = import.RecurrentLayerCount - 1;
        var hidden = new FlowAxis(AxisRole.Features, Dim.Of(layer.Units));
        import.Advance(node, new[] { time, new FlowAxis(AxisRole.Direction, Dim.Of(1)), batch, hidden }); // Y
        import.Record(node, new Flow(new[] { new FlowAxis(AxisRole.Layers, Dim.Of(1), layers: new[] { index }), batch, hidden }, import.Generation), 1); // Y_h
        import.Record(node, new RefusedValue(
            $"it takes the final cell state of LSTM node '{node.DisplayName}' (c_n in PyTorch); NetGen's dense layers read the last hidden state (h_n[-1] or out[:, -1])"), 2); // Y_c
        return null;
    }

    /// <summary>
    /// Checks that <paramref name="x"/> is a sequence <c>[steps, batch, features]</c>: the graph input (3-D, features
    /// last; its other two axes become the time and batch axes) or the previous recurrent layer's hidden sequence.
    /// </summary>
    private static string? SequenceAxes(OnnxImport import, Flow x, out FlowAxis time, out FlowAxis batch, out int features)
    {
        time = batch = x.Axes[0];
        features = 0;
        AxisRole[] roles = x.Axes.Select(a => a.Role).ToArray();
        if (roles.SequenceEqual(new[] { AxisRole.Time, AxisRole.Batch, AxisRole.Features }))
        {
            batch = x.Axes[1];
            features = (int)x.Axes[2].Size.Value;
            return null;
        }

        if (import.Input.Shape!.Count == 3 && roles.All(r => r == AxisRole.Input) && x.Axes[2].InputAxis == 2)
        {
            Dim size = x.Axes[2].Size;
            if (!size.IsKnownNumber || size.Value < 1 || size.Value > int.MaxValue)
            {
                return $"graph input '{import.Input.Name}' has features (its last dimension) of unknown size";
            }

            // NetGen reads one sequence, steps x features, row-major: a batch of one is stored so in both the
            // batch_first [batch, steps, features] and the steps-first [steps, batch, features] layout.
            import.TimeAxis = x.Axes[0].InputAxis;
            import.BatchAxis = x.Axes[1].InputAxis;
            time = new FlowAxis(AxisRole.Time, x.Axes[0].Size);
            batch = new FlowAxis(AxisRole.Batch, x.Axes[1].Size);
            features = (int)size.Value;
            return null;
        }

        return $"its input X has the axes {x.Describe()}; a recurrent layer reads [steps, batch, features]: the graph input as "
            + "[batch, steps, features] or [steps, batch, features] (features last), or the previous recurrent layer's hidden sequence";
    }

    /// <summary>The attributes of PyTorch's GRU, LSTM and RNN, or why these are others.</summary>
    private static string? Attributes(OnnxNode node, LayerKind kind)
    {
        string direction = node.Attributes.TryGetValue("direction", out OnnxAttribute? d) && d.S != null ? d.S : "forward";
        if (direction != "forward")
        {
            return $"direction '{direction}'; NetGen's recurrent layers read the sequence forwards only (PyTorch: bidirectional=False)";
        }

        if (node.Int("layout", 0) != 0)
        {
            return $"layout = {node.Int("layout", 0)}; NetGen reads ONNX's default layout 0 ([steps, batch, features], with a Transpose before for batch_first)";
        }

        if (node.Attributes.ContainsKey("clip"))
        {
            return $"clip = {node.Float("clip", 0).ToString("R", System.Globalization.CultureInfo.InvariantCulture)}; NetGen's recurrent layers do not clip their gates";
        }

        if (node.Attributes.ContainsKey("activation_alpha") || node.Attributes.ContainsKey("activation_beta"))
        {
            return "activation_alpha or activation_beta given; NetGen's gates use sigmoid and tanh without parameters";
        }

        string[] expected = kind switch
        {
            LayerKind.Gru => new[] { "Sigmoid", "Tanh" },
            LayerKind.Lstm => new[] { "Sigmoid", "Tanh", "Tanh" },
            _ => new[] { RnnActivation(node, kind) == Activation.ReLU ? "Relu" : "Tanh" },
        };
        if (node.Attributes.TryGetValue("activations", out OnnxAttribute? activations)
            && !activations.Strings.SequenceEqual(expected, StringComparer.OrdinalIgnoreCase))
        {
            return kind == LayerKind.Rnn
                ? $"activations [{string.Join(", ", activations.Strings)}]; NetGen's RNN (as nn.RNN) has Tanh or Relu"
                : $"activations [{string.Join(", ", activations.Strings)}]; NetGen's {OnnxRecurrentGates.Operator(kind)} has ONNX's (and PyTorch's) default [{string.Join(", ", expected)}]";
        }

        if (kind == LayerKind.Gru && node.Int("linear_before_reset", 0) != 1)
        {
            return "linear_before_reset = 0 applies the reset gate before the recurrent product; PyTorch's GRU, and NetGen's, "
                + "compute n = tanh(W_in x + b_in + r * (W_hn h + b_hn)), which is linear_before_reset = 1";
        }

        if (kind == LayerKind.Lstm && node.Int("input_forget", 0) != 0)
        {
            return "input_forget = 1 couples the input and forget gates; NetGen's LSTM (as PyTorch's) has separate gates";
        }

        return null;
    }

    /// <summary>An RNN's nonlinearity from its activations attribute (default Tanh); Identity for GRU and LSTM.</summary>
    private static Activation RnnActivation(OnnxNode node, LayerKind kind)
        => kind != LayerKind.Rnn ? Activation.Identity
            : node.Attributes.TryGetValue("activations", out OnnxAttribute? a) && a.Strings.Count == 1
              && string.Equals(a.Strings[0], "Relu", StringComparison.OrdinalIgnoreCase) ? Activation.ReLU : Activation.Tanh;

    /// <summary>W, R and B into PyTorch's weight_ih, weight_hh, bias_ih, bias_hh.</summary>
    private static string? Weights(OnnxImport import, OnnxNode node, LayerKind kind, PendingRecurrent layer)
    {
        if (node.Inputs.Count <= R)
        {
            return "W and R are missing";
        }

        int gates = OnnxRecurrentGates.Gates(kind), inputs = layer.Inputs;
        float[]? w = import.Floats(node.Inputs[W], out long[] wDims, out string? problem);
        if (w == null)
        {
            return problem;
        }

        float[]? r = import.Floats(node.Inputs[R], out long[] rDims, out problem);
        if (r == null)
        {
            return problem;
        }

        if (wDims.Length != 3 || rDims.Length != 3 || wDims[0] != 1 || rDims[0] != 1)
        {
            return wDims.Length == 3 && wDims[0] != 1
                ? $"num_directions = {wDims[0]}; NetGen's recurrent layers read the sequence forwards only (PyTorch: bidirectional=False)"
                : $"W has shape [{string.Join(", ", wDims)}] and R [{string.Join(", ", rDims)}], not [1, gates x hidden, inputs] and [1, gates x hidden, hidden]";
        }

        long units = rDims[2];
        long hidden = node.Int("hidden_size", units);
        if (units < 1 || hidden != units || wDims[1] != gates * units || rDims[1] != gates * units || wDims[2] != inputs || units > int.MaxValue / (4 * gates))
        {
            return $"W has shape [{string.Join(", ", wDims)}] and R [{string.Join(", ", rDims)}], which do not fit hidden_size {hidden}, {gates} gate(s) and {inputs} inputs";
        }

        layer.Units = (int)units;
        int rows = gates * layer.Units;
        float[] bias = new float[2 * rows];
        if (node.Inputs.Count > B && node.Inputs[B].Length > 0)
        {
            float[]? b = import.Floats(node.Inputs[B], out long[] bDims, out problem);
            if (b == null || b.Length != 2 * rows)
            {
                return problem ?? $"B has shape [{string.Join(", ", bDims)}], not [1, {2 * rows}]";
            }

            bias = b;
        }

        // PyTorch's blocks, each moved from ONNX's gate order.
        var parameters = new float[rows * (inputs + layer.Units + 2)];
        Span<float> p = parameters;
        OnnxRecurrentGates.ToPyTorch(kind, w, p.Slice(0, rows * inputs), layer.Units, inputs);
        OnnxRecurrentGates.ToPyTorch(kind, r, p.Slice(rows * inputs, rows * layer.Units), layer.Units, layer.Units);
        OnnxRecurrentGates.ToPyTorch(kind, bias.AsSpan(0, rows), p.Slice(rows * (inputs + layer.Units), rows), layer.Units, 1);
        OnnxRecurrentGates.ToPyTorch(kind, bias.AsSpan(rows, rows), p.Slice((rows * (inputs + layer.Units)) + rows, rows), layer.Units, 1);
        layer.Parameters = parameters;
        return null;
    }

    /// <summary>The inputs NetGen has no counterpart for: absent, or zero where zero means the same.</summary>
    private static string? Unused(OnnxImport import, OnnxNode node, LayerKind kind, int units)
    {
        string Input(int index) => node.Inputs.Count > index ? node.Inputs[index] : string.Empty;
        if (Input(SequenceLens).Length > 0)
        {
            return $"sequence_lens given ('{Input(SequenceLens)}'); NetGen runs each sequence to its end, without per-sample lengths (PyTorch's packed sequences)";
        }

        string? error = ZeroState(import, Input(InitialH), units, "hidden state initial_h");
        if (error != null || kind != LayerKind.Lstm)
        {
            return error;
        }

        error = ZeroState(import, Input(InitialC), units, "cell state initial_c");
        if (error != null || Input(Peepholes).Length == 0)
        {
            return error;
        }

        float[]? peepholes = import.Floats(Input(Peepholes), out _, out string? problem);
        return peepholes == null ? problem
            : peepholes.Any(v => v != 0) ? $"peephole weights P ('{Input(Peepholes)}') that are not zero; NetGen's LSTM (as PyTorch's) has no peepholes"
            : null;
    }

    /// <summary>An initial state is absent, or zero: ConstantOfShape(0) of [1, batch, H] as PyTorch writes it, or zero weights.</summary>
    private static string? ZeroState(OnnxImport import, string name, int units, string what)
    {
        if (name.Length == 0)
        {
            return null; // ONNX: an initial state not given is zero
        }

        Dim[]? shape = null;
        bool zero = false;
        switch (import.Values.TryGetValue(name, out OnnxValue? value) ? value : null)
        {
            case SymbolicFloats symbolic:
                shape = symbolic.Shape;
                zero = symbolic.AllZero;
                break;
            case StoredTensor or StaticTensor<float>:
                float[]? values = import.Floats(name, out long[] dims, out _);
                shape = dims.Select(Dim.Of).ToArray();
                zero = values != null && values.All(v => v == 0);
                break;
        }

        if (shape == null || !zero)
        {
            return $"its initial {what} ('{name}') is {(shape == null ? "computed from the data" : "not zero")}; NetGen's recurrent layers start every sequence from a zero state";
        }

        bool fits = shape.Length == 3 && shape[0].SameAs(Dim.Of(1)) == true && shape[2].SameAs(Dim.Of(units)) == true
            && (shape[1].Axis == import.BatchAxis || shape[1].IsKnownNumber);
        return fits ? null : $"its initial {what} ('{name}') has shape [{string.Join(", ", shape.Select(s => s.ToString()))}], not [1, batch, {units}]";
    }
}
