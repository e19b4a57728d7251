using System;
using System.Collections.Generic;
using System.Linq;

namespace NetGen.Generator.Onnx;

/// <summary>
/// The operators that move a sequence's axes around between recurrent layers and take its last step, as
/// <c>torch.onnx.export</c> writes them: <c>Transpose</c> (batch_first), <c>Squeeze</c> (Y's num_directions axis,
/// Y_h's layer axis), <c>Gather</c> and <c>Slice</c> (the last step, <c>out[:, -1]</c> or <c>out[:, -1:]</c>; the
/// last layer's final state, <c>h_n[-1]</c>), <c>Concat</c> (the final states of stacked layers, PyTorch's h_n),
/// <c>Shape</c> (of the data, for the zero initial state) and <c>If</c> on a condition known at compile time (PyTorch's
/// squeeze of an axis of a size it does not know).
/// </summary>
internal static class SequenceOperators
{
    public static readonly IReadOnlyDictionary<string, OperatorHandler> Handlers = new Dictionary<string, OperatorHandler>
    {
        ["Transpose"] = Transpose,
        ["Squeeze"] = Squeeze,
        ["Gather"] = Gather,
        ["Slice"] = Slice,
        ["Concat"] = Concat,
        ["Shape"] = Shape,
        ["If"] = If,
    };

    /// <summary>
    /// Records <paramref name="x"/> without its size-1 axes (num_directions, a kept last step, a single layer's state)
    /// when that leaves <c>[batch, features]</c>; otherwise the failure <paramref name="what"/> ... .
    /// </summary>
    public static string? Reshaped(OnnxImport import, OnnxNode node, Flow x, string what)
    {
        var kept = x.Axes.Where(a => a.Role is not (AxisRole.Direction or AxisRole.LastStep) && !(a.Role == AxisRole.Layers && a.Layers.Length == 1)).ToArray();
        Flow result = x.With(kept);
        if (!result.IsVector)
        {
            return $"{what} does not give [batch, features]";
        }

        import.Record(node, result);
        return null;
    }

    private static string? Transpose(OnnxImport import, OnnxNode node)
    {
        Flow? x = import.CurrentFlow(node, 0, out string? error);
        if (x == null)
        {
            return error;
        }

        long[] perm = node.Attributes.TryGetValue("perm", out OnnxAttribute? attribute)
            ? attribute.Ints.ToArray()
            : Enumerable.Range(0, x.Axes.Length).Reverse().Select(a => (long)a).ToArray();
        if (perm.Length != x.Axes.Length || perm.Distinct().Count() != perm.Length || perm.Any(p => p < 0 || p >= perm.Length))
        {
            return $"node '{node.DisplayName}': Transpose with perm [{string.Join(", ", perm)}] of {x.Describe()}";
        }

        if (x.IsVector)
        {
            return $"node '{node.DisplayName}': Transpose of [batch, features]; NetGen's layers keep one sample per row";
        }

        import.Record(node, x.With(perm.Select(p => x.Axes[p]).ToArray()));
        return null;
    }

    private static string? Squeeze(OnnxImport import, OnnxNode node)
    {
        Flow? x = import.CurrentFlow(node, 0, out string? error);
        if (x == null)
        {
            return error;
        }

        long[]? axes = node.Inputs.Count > 1 && node.Inputs[1].Length > 0
            ? import.Ints(node.Inputs[1], out error)
            : node.Attributes.TryGetValue("axes", out OnnxAttribute? attribute) ? attribute.Ints.ToArray() : null;
        if (error != null)
        {
            return $"node '{node.DisplayName}': {error}";
        }

        int rank = x.Axes.Length;
        var squeezed = axes?.Select(a => a < 0 ? a + rank : a).ToList()
            ?? Enumerable.Range(0, rank).Where(a => IsUnit(x.Axes[a])).Select(a => (long)a).ToList();
        foreach (long a in squeezed)
        {
            if (a < 0 || a >= rank || !IsUnit(x.Axes[a]))
            {
                return $"node '{node.DisplayName}': Squeeze of axis {a} of {x.Describe()}, which is not an axis of size 1";
            }
        }

        import.Record(node, x.With(x.Axes.Where((_, a) => !squeezed.Contains(a)).ToArray()));
        return null;
    }

    /// <summary>An axis of size 1 that can go: num_directions, a kept last step, one layer's final state.</summary>
    private static bool IsUnit(FlowAxis axis)
        => axis.Role is AxisRole.Direction or AxisRole.LastStep || (axis.Role == AxisRole.Layers && axis.Layers.Length == 1);

    /// <summary>Gather along the time axis (the last step only) or the layers of h_n (the last layer only).</summary>
    private static string? Gather(OnnxImport import, OnnxNode node)
    {
        string where = $"node '{node.DisplayName}'";
        Flow? x = import.CurrentFlow(node, 0, out string? error);
        if (x == null)
        {
            return error;
        }

        StaticTensor<Dim>? indices = StaticOperators.AsInts(import, node.Inputs.Count > 1 ? node.Inputs[1] : string.Empty, out string? problem);
        long axisAttribute = node.Int("axis", 0);
        int axis = (int)(axisAttribute < 0 ? axisAttribute + x.Axes.Length : axisAttribute);
        if (indices == null || indices.Values.Length != 1 || !indices.Values[0].IsKnownNumber || indices.Rank > 1 || axis < 0 || axis >= x.Axes.Length)
        {
            return $"{where}: Gather of {x.Describe()} with indices that are not one number known at compile time{(problem != null ? $" ({problem})" : string.Empty)}";
        }

        long index = indices.Values[0].Value;
        string? picked = Pick(import, x.Axes[axis], index, out FlowAxis? kept, where, "Gather", index.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (picked != null)
        {
            return picked;
        }

        var axes = x.Axes.ToList();
        axes.RemoveAt(axis);
        if (indices.Rank == 1)
        {
            axes.Insert(axis, kept!);
        }

        import.Record(node, x.With(axes));
        return null;
    }

    /// <summary>Slice: whole axes, the last step of the time axis (<c>[-1:]</c>), one layer of h_n.</summary>
    private static string? Slice(OnnxImport import, OnnxNode node)
    {
        string where = $"node '{node.DisplayName}'";
        Flow? x = import.CurrentFlow(node, 0, out string? error);
        if (x == null)
        {
            return error;
        }

        long[]? Input(int index) => node.Inputs.Count > index && node.Inputs[index].Length > 0 ? import.Ints(node.Inputs[index], out _) : null;
        long[]? starts = Input(1), ends = Input(2);
        long[] axes = Input(3) ?? Enumerable.Range(0, starts?.Length ?? 0).Select(a => (long)a).ToArray();
        long[] steps = Input(4) ?? axes.Select(_ => 1L).ToArray();
        if (starts == null || ends == null || axes.Length != starts.Length || ends.Length != starts.Length || steps.Length != starts.Length)
        {
            return $"{where}: Slice of {x.Describe()} with starts, ends or axes not known at compile time";
        }

        FlowAxis[] result = x.Axes.ToArray();
        for (int k = 0; k < axes.Length; k++)
        {
            int axis = (int)(axes[k] < 0 ? axes[k] + result.Length : axes[k]);
            if (axis < 0 || axis >= result.Length)
            {
                return $"{where}: Slice of axis {axes[k]} of {x.Describe()}";
            }

            bool whole = steps[k] == 1 && starts[k] == 0 && ends[k] >= int.MaxValue;
            bool last = steps[k] == 1 && starts[k] == -1 && ends[k] >= int.MaxValue;
            if (whole)
            {
                continue;
            }

            string range = $"[{starts[k]}:{(ends[k] >= int.MaxValue ? string.Empty : ends[k].ToString(System.Globalization.CultureInfo.InvariantCulture))}{(steps[k] != 1 ? $":{steps[k]}" : string.Empty)}]";
            if (!last)
            {
                return $"{where}: Slice {range} of the {result[axis]} axis of {x.Describe()}; NetGen takes the last step (out[:, -1:]) or the last layer's state (h_n[-1:]) only";
            }

            string? picked = Pick(import, result[axis], -1, out FlowAxis? kept, where, "Slice", range);
            if (picked != null)
            {
                return picked;
            }

            result[axis] = kept!;
        }

        import.Record(node, x.With(result));
        return null;
    }

    /// <summary>What taking element <paramref name="index"/> of <paramref name="axis"/> keeps (as an axis of size 1).</summary>
    private static string? Pick(OnnxImport import, FlowAxis axis, long index, out FlowAxis? kept, string where, string op, string indexText)
    {
        kept = null;
        switch (axis.Role)
        {
            case AxisRole.Time:
                if (index != -1 && !(axis.Size.IsKnownNumber && index == axis.Size.Value - 1))
                {
                    return $"{where}: {op} {indexText} of the time axis takes step {indexText} of the sequence; NetGen's dense layers read the last step only (out[:, -1] in PyTorch)";
                }

                kept = new FlowAxis(AxisRole.LastStep, Dim.Of(1));
                return null;
            case AxisRole.Layers:
                long position = index < 0 ? index + axis.Layers.Length : index;
                if (position < 0 || position >= axis.Layers.Length)
                {
                    return $"{where}: {op} {indexText} of the final hidden states of {axis.Layers.Length} layer(s)";
                }

                int layer = axis.Layers[position];
                int count = import.RecurrentLayerCount;
                if (layer != count - 1)
                {
                    return $"{where}: {op} {indexText} takes the final hidden state of recurrent layer {layer + 1} of {count}; NetGen's dense layers read the last recurrent layer's (h_n[-1] in PyTorch)";
                }

                kept = new FlowAxis(AxisRole.Layers, Dim.Of(1), layers: new[] { layer });
                return null;
            case AxisRole.Direction:
            case AxisRole.LastStep:
                if (index != 0 && index != -1)
                {
                    return $"{where}: {op} {indexText} of an axis of size 1";
                }

                kept = axis;
                return null;
            default:
                return $"{where}: {op} {indexText} of the {axis} axis; NetGen imports whole samples and features";
        }
    }

    /// <summary>Concat of final hidden states along the layer axis: PyTorch's h_n of stacked layers.</summary>
    private static string? Concat(OnnxImport import, OnnxNode node)
    {
        string where = $"node '{node.DisplayName}'";
        var parts = new List<Flow>();
        foreach (string name in node.Inputs)
        {
            if (!import.Values.TryGetValue(name, out OnnxValue? value) || value is not Flow flow || flow.Axes.Length != 3 || flow.Axes[0].Role != AxisRole.Layers)
            {
                return $"{where} concatenates '{name}', which is not the final hidden state of a recurrent layer; NetGen imports a single chain of layers";
            }

            parts.Add(flow);
        }

        if (node.Int("axis", 0) != 0 || !parts.Exists(p => p.Generation == import.Generation))
        {
            return import.NotAChain(node);
        }

        int[] layers = parts.SelectMany(p => p.Axes[0].Layers).ToArray();
        var stacked = new FlowAxis(AxisRole.Layers, Dim.Of(layers.Length), layers: layers);
        import.Record(node, new Flow(new[] { stacked, parts[0].Axes[1], parts[0].Axes[2] }, import.Generation));
        return null;
    }

    /// <summary>The data's shape, each axis's size as far as it is known (the batch and steps as the input's symbolic sizes).</summary>
    private static string? Shape(OnnxImport import, OnnxNode node)
    {
        if (node.Inputs.Count == 0 || !import.Values.TryGetValue(node.Inputs[0], out OnnxValue? value) || value is not Flow flow)
        {
            return import.NotAChain(node);
        }

        Dim[] shape = flow.Axes.Select(a => a.Size).ToArray();
        long start = node.Int("start", 0), end = node.Int("end", shape.Length);
        start = Math.Max(0, Math.Min(shape.Length, start < 0 ? start + shape.Length : start));
        end = Math.Max(0, Math.Min(shape.Length, end < 0 ? end + shape.Length : end));
        Dim[] part = shape.Skip((int)start).Take((int)Math.Max(0, end - start)).ToArray();
        import.Record(node, new StaticTensor<Dim>(new long[] { part.Length }, part));
        return null;
    }

    /// <summary>An If whose condition is known at compile time: its chosen branch's nodes, as if in the graph.</summary>
    private static string? If(OnnxImport import, OnnxNode node)
    {
        string where = $"node '{node.DisplayName}'";
        long[]? condition = node.Inputs.Count == 1 ? import.Ints(node.Inputs[0], out string? problem) : null;
        if (condition == null || condition.Length != 1)
        {
            return $"{where}: If whose condition is not known at compile time; NetGen imports a fixed chain of layers";
        }

        string branchName = condition[0] != 0 ? "then_branch" : "else_branch";
        if (!node.Attributes.TryGetValue(branchName, out OnnxAttribute? attribute) || attribute.G == null || attribute.G.Outputs.Count != node.Outputs.Count)
        {
            return $"{where}: If without a {branchName} graph of {node.Outputs.Count} output(s)";
        }

        OnnxGraph branch = attribute.G;
        foreach (KeyValuePair<string, OnnxTensor> initializer in branch.Initializers)
        {
            import.Values[initializer.Key] = new StoredTensor(initializer.Value);
        }

        string? error = import.Walk(branch.Nodes);
        if (error != null)
        {
            return error;
        }

        for (int k = 0; k < node.Outputs.Count; k++)
        {
            if (!import.Values.TryGetValue(branch.Outputs[k].Name, out OnnxValue? value))
            {
                return $"{where}: its {branchName} does not compute its output '{branch.Outputs[k].Name}'";
            }

            import.Record(node, value, k);
        }

        return null;
    }
}
