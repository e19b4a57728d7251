using System;
using System.Collections.Generic;
using System.Globalization;
using NetGen.Shared;

namespace NetGen.Generator.Onnx;

/// <summary>
/// Dense layers and what belongs to them: <c>Gemm</c>, <c>MatMul</c> + <c>Add</c> (each starts a layer),
/// <c>BatchNormalization</c> right after one (folded into it), the activations <c>Relu</c>, <c>LeakyRelu</c> (slope
/// 0.01), <c>Sigmoid</c>, <c>Tanh</c>, <c>Softmax</c> (over the features), and <c>Flatten</c>, <c>Identity</c>,
/// <c>Dropout</c>.
/// </summary>
internal static class DenseOperators
{
    public static readonly IReadOnlyDictionary<string, OperatorHandler> Handlers = new Dictionary<string, OperatorHandler>
    {
        ["Gemm"] = Gemm,
        ["MatMul"] = Gemm,
        ["Add"] = Add,
        ["BatchNormalization"] = BatchNormalization,
        ["Relu"] = Activate,
        ["LeakyRelu"] = Activate,
        ["Sigmoid"] = Activate,
        ["Tanh"] = Activate,
        ["Softmax"] = Activate,
        ["Flatten"] = Flatten,
        ["Identity"] = PassThrough,
        ["Dropout"] = PassThrough, // inference: no-op (its optional mask output is not used)
    };

    /// <summary><c>Gemm(x, B, C)</c> (any alpha, beta, transB; transA = 0) or <c>MatMul(x, B)</c>: a new dense layer.</summary>
    private static string? Gemm(OnnxImport import, OnnxNode node)
    {
        string where = $"node '{node.DisplayName}'";
        Flow? x = import.CurrentFlow(node, 0, out string? error);
        if (x == null)
        {
            return error;
        }

        if (!x.IsVector)
        {
            return x.HasRole(AxisRole.Time)
                ? $"{where}: a dense layer over every step of a sequence {x.Describe()}; NetGen's dense layers read the last step only (take out[:, -1] or h_n[-1] in PyTorch before the Linear)"
                : $"{where}: its input has more than two dimensions; put a Flatten first";
        }

        bool gemm = node.OpType == "Gemm";
        if (gemm && node.Int("transA", 0) != 0)
        {
            return $"{where}: Gemm with transA = 1 is not a dense layer over a batch of samples";
        }

        if (node.Inputs.Count < 2)
        {
            return $"{where} has no weight input";
        }

        float[]? weights = import.Floats(node.Inputs[1], out long[] dims, out string? problem);
        if (weights == null)
        {
            return $"{where}: {problem}";
        }

        bool transB = gemm && node.Int("transB", 0) != 0;
        if (dims.Length != 2)
        {
            return $"{where}: the weight '{node.Inputs[1]}' has {dims.Length} dimensions, not 2";
        }

        int width = x.Width;
        long inputs = transB ? dims[1] : dims[0];
        long units = transB ? dims[0] : dims[1];
        if (inputs != width || units < 1 || units > int.MaxValue)
        {
            return $"{where}: the weight '{node.Inputs[1]}' has shape [{string.Join(", ", dims)}] but the layer receives {width} values";
        }

        double alpha = gemm ? node.Float("alpha", 1f) : 1.0;
        var layer = new PendingDense { Inputs = width, Units = (int)units };
        layer.Weights = new double[layer.Units * (long)layer.Inputs];
        layer.Bias = new double[layer.Units];
        for (int u = 0; u < layer.Units; u++)
        {
            for (int i = 0; i < layer.Inputs; i++)
            {
                float w = transB ? weights[u * layer.Inputs + i] : weights[i * layer.Units + u];
                layer.Weights[u * layer.Inputs + i] = alpha * w;
            }
        }

        if (gemm && node.Inputs.Count > 2 && node.Inputs[2].Length > 0)
        {
            float[]? c = import.Floats(node.Inputs[2], out _, out problem);
            if (c == null || (c.Length != layer.Units && c.Length != 1))
            {
                return $"{where}: {problem ?? $"the bias has {c!.Length} values for {layer.Units} units"}";
            }

            double beta = node.Float("beta", 1f);
            for (int u = 0; u < layer.Units; u++)
            {
                layer.Bias[u] = beta * c[c.Length == 1 ? 0 : u];
            }
        }

        layer.AwaitsAdd = !gemm;
        import.Layers.Add(layer);
        import.Advance(node, Vector(x, layer.Units));
        return null;
    }

    /// <summary><c>Add</c> right after <c>MatMul</c>, with a constant: the layer's bias.</summary>
    private static string? Add(OnnxImport import, OnnxNode node)
    {
        string where = $"node '{node.DisplayName}'";
        if (node.Inputs.Count == 2 && import.Values.TryGetValue(node.Inputs[0], out OnnxValue? a) && a is Flow
            && import.Values.TryGetValue(node.Inputs[1], out OnnxValue? b) && b is Flow)
        {
            return $"{where} adds two computed values ('{node.Inputs[0]}' and '{node.Inputs[1]}'), as a residual (skip) connection does; NetGen imports a single chain of layers";
        }

        if (import.LastLayer is not PendingDense { AwaitsAdd: true } last || node.Inputs.Count != 2)
        {
            return $"{where} uses operator 'Add' other than as the bias of a MatMul, which NetGen cannot import";
        }

        int data = import.CurrentFlow(node, 0, out _) != null ? 0 : import.CurrentFlow(node, 1, out _) != null ? 1 : -1;
        if (data < 0)
        {
            return import.NotAChain(node);
        }

        float[]? bias = import.Floats(node.Inputs[1 - data], out _, out string? problem);
        if (bias == null || (bias.Length != last.Units && bias.Length != 1))
        {
            return $"{where}: {problem ?? $"the bias has {bias!.Length} values for {last.Units} units"}";
        }

        for (int u = 0; u < last.Units; u++)
        {
            last.Bias[u] += bias[bias.Length == 1 ? 0 : u];
        }

        last.AwaitsAdd = false;
        import.Advance(node, ((Flow)import.Values[node.Inputs[data]]).Axes);
        return null;
    }

    /// <summary>Folded into the dense layer before it: <c>W' = s·W</c>, <c>b' = s·(b - mean) + beta</c>, <c>s = scale / sqrt(var + epsilon)</c>.</summary>
    private static string? BatchNormalization(OnnxImport import, OnnxNode node)
    {
        string where = $"node '{node.DisplayName}'";
        Flow? x = import.CurrentFlow(node, 0, out string? error);
        if (x == null)
        {
            return error;
        }

        if (import.LastLayer is not PendingDense last || last.Activation != null)
        {
            return $"{where}: BatchNormalization can only be folded directly after a dense layer (Gemm or MatMul+Add)";
        }

        if (node.Inputs.Count < 5)
        {
            return $"{where}: BatchNormalization needs scale, bias, mean and variance";
        }

        var p = new float[4][];
        for (int k = 0; k < 4; k++)
        {
            p[k] = import.Floats(node.Inputs[k + 1], out _, out string? problem)!;
            if (p[k] == null || p[k].Length != last.Units)
            {
                return $"{where}: {problem ?? $"'{node.Inputs[k + 1]}' has {p[k].Length} values for {last.Units} units"}";
            }
        }

        double epsilon = node.Float("epsilon", 1e-5f);
        for (int u = 0; u < last.Units; u++)
        {
            double scale = p[0][u] / Math.Sqrt(p[3][u] + epsilon);
            for (int i = 0; i < last.Inputs; i++)
            {
                last.Weights[u * last.Inputs + i] *= scale;
            }

            last.Bias[u] = (last.Bias[u] - p[2][u]) * scale + p[1][u];
        }

        import.Advance(node, x.Axes);
        return null;
    }

    /// <summary>An activation: the one activation of the dense layer before it.</summary>
    private static string? Activate(OnnxImport import, OnnxNode node)
    {
        string where = $"node '{node.DisplayName}'";
        Flow? x = import.CurrentFlow(node, 0, out string? error);
        if (x == null)
        {
            return error;
        }

        switch (import.LastLayer)
        {
            case null:
                return $"{where}: operator '{node.OpType}' before any dense layer; NetGen's activations belong to a layer";
            case PendingRecurrent recurrent:
                return $"{where}: operator '{node.OpType}' on the output of a {OnnxRecurrentGates.Operator(recurrent.Kind)} layer; NetGen's recurrent layers pass on their hidden state as it is, and an activation belongs to a dense layer (a Linear before it)";
            case PendingDense { Activation: { } previous }:
                return $"{where}: operator '{node.OpType}' follows another activation ({previous}); NetGen has one activation per layer";
        }

        var last = (PendingDense)import.LastLayer;
        switch (node.OpType)
        {
            case "Relu": last.Activation = Activation.ReLU; break;
            case "Sigmoid": last.Activation = Activation.Sigmoid; break;
            case "Tanh": last.Activation = Activation.Tanh; break;
            case "Softmax":
                long axis = node.Int("axis", -1);
                if (axis != -1 && axis != 1)
                {
                    return $"{where}: Softmax over axis {axis}; NetGen's Softmax is over the features (axis 1)";
                }

                last.Activation = Activation.Softmax;
                break;
            default:
                float alpha = node.Float("alpha", ActivationConstants.LeakyReLUSlope);
                if (Math.Abs(alpha - ActivationConstants.LeakyReLUSlope) > 1e-7)
                {
                    return $"{where}: LeakyRelu with alpha = {alpha.ToString("R", CultureInfo.InvariantCulture)}; NetGen's LeakyReLU has slope 0.01 only";
                }

                last.Activation = Activation.LeakyReLU;
                break;
        }

        last.ActivationNode = node.DisplayName;
        import.Advance(node, x.Axes);
        return null;
    }

    /// <summary>
    /// <c>Flatten</c> with axis 1: the input's feature axes as one (in their stored order), or a no-op on a vector; on a
    /// recurrent layer's last step, the size-1 axes around the features.
    /// </summary>
    private static string? Flatten(OnnxImport import, OnnxNode node)
    {
        string where = $"node '{node.DisplayName}'";
        Flow? x = import.CurrentFlow(node, 0, out string? error);
        if (x == null)
        {
            return error;
        }

        if (node.Int("axis", 1) != 1)
        {
            return $"{where}: Flatten with axis {node.Int("axis", 1)}; only axis 1 (keep the batch) is a no-op for NetGen";
        }

        if (x.IsVector)
        {
            import.Record(node, x);
            return null;
        }

        if (x.Axes[0].Role == AxisRole.Input)
        {
            long width = 1;
            for (int i = 0; i < x.Axes.Length; i++)
            {
                FlowAxis axis = x.Axes[i];
                if (axis.Role != AxisRole.Input || axis.InputAxis != i)
                {
                    return $"{where}: the graph input's axes are reordered {x.Describe()} before Flatten; NetGen reads the input in its stored order";
                }

                if (i > 0 && !axis.Size.IsKnownNumber)
                {
                    return $"graph input '{import.Input.Name}' has a dimension {i} of unknown size; only the batch (first) may vary";
                }

                width = i > 0 ? Math.Min(width * axis.Size.Value, (long)int.MaxValue + 1) : width;
            }

            if (width > int.MaxValue)
            {
                return $"graph input '{import.Input.Name}' is too large";
            }

            import.Record(node, x.With(new[] { new FlowAxis(AxisRole.Batch, x.Axes[0].Size), new FlowAxis(AxisRole.Features, Dim.Of(width)) }));
            return null;
        }

        return SequenceOperators.Reshaped(import, node, x, $"{where}: Flatten of {x.Describe()}");
    }

    private static string? PassThrough(OnnxImport import, OnnxNode node)
    {
        Flow? x = import.CurrentFlow(node, 0, out string? error);
        if (x == null)
        {
            return error;
        }

        import.Record(node, x);
        return null;
    }

    private static FlowAxis[] Vector(Flow x, int units) => new[] { x.Axes[0], new FlowAxis(AxisRole.Features, Dim.Of(units)) };
}
