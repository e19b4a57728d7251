using System;
using System.Collections.Generic;
using System.Linq;

namespace NetGen.Generator.Onnx;

/// <summary>
/// Constant folding: a node whose inputs are all static (weights, shapes, indices, the initial state) is computed at
/// compile time, as ONNX Runtime would compute it, so that what PyTorch leaves in the graph (the zero initial state as
/// Shape, Gather, Unsqueeze, Concat and ConstantOfShape; gates reordered by Slice and Concat on the weights without
/// constant folding) reaches the layers as values. Sizes of the graph input's symbolic axes (batch, steps) are carried
/// as <see cref="Dim"/>s; a float tensor whose shape depends on them is a <see cref="SymbolicFloats"/>.
/// </summary>
internal static class StaticOperators
{
    private delegate string? Fold(OnnxImport import, OnnxNode node);

    private static readonly Dictionary<string, Fold> Folds = new()
    {
        ["Constant"] = Constant,
        ["Identity"] = (import, node) => Set(import, node, import.Values[node.Inputs[0]]),
        ["Shape"] = (import, node) => ShapeOf(import, node, ShapeOfStatic(import.Values[node.Inputs[0]])),
        ["Gather"] = Gather,
        ["Unsqueeze"] = Unsqueeze,
        ["Squeeze"] = Squeeze,
        ["Slice"] = Slice,
        ["Reshape"] = Reshape,
        ["Concat"] = Concat,
        ["ConstantOfShape"] = ConstantOfShape,
        ["Expand"] = Expand,
        ["Mul"] = (import, node) => Elementwise(import, node, (a, b) => a.IsKnownNumber && b.IsKnownNumber ? Dim.Of(a.Value * b.Value) : a.IsKnownNumber && a.Value == 1 ? b : b.IsKnownNumber && b.Value == 1 ? a : Dim.Unknown),
        ["Add"] = (import, node) => Elementwise(import, node, (a, b) => a.IsKnownNumber && b.IsKnownNumber ? Dim.Of(a.Value + b.Value) : Dim.Unknown),
        ["Equal"] = (import, node) => Elementwise(import, node, (a, b) => a.SameAs(b) is bool same ? Dim.Of(same ? 1 : 0) : Dim.Unknown),
        ["Where"] = Where,
    };

    /// <summary>
    /// Folds <paramref name="node"/> when every input is static and its operator is one of the above; returns false
    /// when it is not for folding (the data handlers take it), true with null or a failure otherwise.
    /// </summary>
    public static bool TryFold(OnnxImport import, OnnxNode node, out string? error)
    {
        error = null;
        if (!Folds.TryGetValue(node.OpType, out Fold? fold)
            || node.Inputs.Exists(name => name.Length > 0 && !(import.Values.TryGetValue(name, out OnnxValue? value) && IsStatic(value)))
            || (node.OpType != "Constant" && (node.Inputs.Count == 0 || node.Inputs[0].Length == 0)))
        {
            return false;
        }

        error = fold(import, node);
        if (error != null)
        {
            error = $"node '{node.DisplayName}' ({node.OpType} of constants): {error}";
        }

        return true;
    }

    /// <summary>A static integer tensor (shape, indices, axes), from the file or computed; null and why not otherwise.</summary>
    public static StaticTensor<Dim>? AsInts(OnnxImport import, string name, out string? problem)
    {
        problem = null;
        OnnxValue? value = name.Length > 0 && import.Values.TryGetValue(name, out OnnxValue? found) ? found : null;
        if (value is StaticTensor<Dim> ints)
        {
            return ints;
        }

        if (value is StoredTensor { Tensor.DataType: OnnxTensor.Int64Type or OnnxTensor.Int32Type } stored)
        {
            long[]? values = stored.Tensor.TryGetInt64s(out problem);
            return values == null ? null : new StaticTensor<Dim>(stored.Tensor.Dims.ToArray(), values.Select(Dim.Of).ToArray());
        }

        problem = $"'{name}' is not a constant integer tensor";
        return null;
    }

    private static bool IsStatic(OnnxValue value) => value is StoredTensor or StaticTensor<float> or StaticTensor<Dim> or SymbolicFloats;

    private static string? Set(OnnxImport import, OnnxNode node, OnnxValue value)
    {
        import.Record(node, value);
        return null;
    }

    private static string? Constant(OnnxImport import, OnnxNode node)
    {
        // Some exporters store weights this way, and PyTorch writes literals (axes, indices, x * 2) so. A Constant with
        // another kind of value (value_ints, ...) is stepped over: the node that uses it is the one reported.
        if (node.Outputs.Count == 1 && node.Attributes.TryGetValue("value", out OnnxAttribute? value) && value.T != null)
        {
            import.Record(node, new StoredTensor(value.T));
        }

        return null;
    }

    /// <summary>The static value as floats or integers, whichever its element type is.</summary>
    private static OnnxValue? Materialize(OnnxImport import, string name, out string? problem)
    {
        problem = null;
        OnnxValue value = import.Values[name];
        if (value is StoredTensor stored)
        {
            if (stored.Tensor.DataType == OnnxTensor.FloatType)
            {
                float[]? floats = stored.Tensor.TryGetFloats(out problem);
                return floats == null ? null : new StaticTensor<float>(stored.Tensor.Dims.ToArray(), floats);
            }

            return AsInts(import, name, out problem);
        }

        return value;
    }

    // Shapes.

    private static string? ShapeOf(OnnxImport import, OnnxNode node, Dim[] shape)
    {
        long start = node.Int("start", 0), end = node.Int("end", shape.Length);
        int from = (int)Clamp(start < 0 ? start + shape.Length : start, shape.Length);
        int to = (int)Clamp(end < 0 ? end + shape.Length : end, shape.Length);
        Dim[] part = shape.Skip(from).Take(Math.Max(0, to - from)).ToArray();
        return Set(import, node, new StaticTensor<Dim>(new long[] { part.Length }, part));
    }

    /// <summary>The shape of a static value (the data's shape is <see cref="SequenceOperators"/>' Shape).</summary>
    private static Dim[] ShapeOfStatic(OnnxValue value) => value switch
    {
        StoredTensor stored => stored.Tensor.Dims.Select(Dim.Of).ToArray(),
        StaticTensor<float> floats => floats.Dims.Select(Dim.Of).ToArray(),
        StaticTensor<Dim> ints => ints.Dims.Select(Dim.Of).ToArray(),
        SymbolicFloats symbolic => symbolic.Shape,
        _ => Array.Empty<Dim>(),
    };

    /// <summary>Clamps an index into [0, <paramref name="size"/>].</summary>
    private static long Clamp(long index, long size) => Math.Max(0, Math.Min(size, index));

    // Structural operators: index arithmetic, the same for floats and integers. Each reads its indices, axes or shape
    // from the node, then rearranges a tensor's values (or, for symbolic floats, only their shape).

    /// <summary>One structural operator: the new dims and, for each output element, the input element it copies.</summary>
    private delegate string? Plan(OnnxImport import, OnnxNode node, Dim[] dims, out Dim[]? resultDims, out long[]? source);

    private static string? Gather(OnnxImport import, OnnxNode node) => Restructure(import, node, PlanGather);

    private static string? Unsqueeze(OnnxImport import, OnnxNode node) => Restructure(import, node, PlanUnsqueeze);

    private static string? Squeeze(OnnxImport import, OnnxNode node) => Restructure(import, node, PlanSqueeze);

    private static string? Slice(OnnxImport import, OnnxNode node) => Restructure(import, node, PlanSlice);

    private static string? Reshape(OnnxImport import, OnnxNode node) => Restructure(import, node, PlanReshape);

    private static string? Restructure(OnnxImport import, OnnxNode node, Plan plan)
    {
        OnnxValue? data = Materialize(import, node.Inputs[0], out string? problem);
        Dim[] dims = data switch
        {
            StaticTensor<float> f => f.Dims.Select(Dim.Of).ToArray(),
            StaticTensor<Dim> i => i.Dims.Select(Dim.Of).ToArray(),
            SymbolicFloats s => s.Shape,
            _ => Array.Empty<Dim>(),
        };
        if (data == null)
        {
            return problem;
        }

        string? error = plan(import, node, dims, out Dim[]? resultDims, out long[]? source);
        if (error != null)
        {
            return error;
        }

        OnnxValue result = data switch
        {
            StaticTensor<float> f => new StaticTensor<float>(Known(resultDims!), source!.Select(k => f.Values[k]).ToArray()),
            StaticTensor<Dim> i => new StaticTensor<Dim>(Known(resultDims!), source!.Select(k => i.Values[k]).ToArray()),
            _ => new SymbolicFloats(resultDims!, ((SymbolicFloats)data).AllZero),
        };
        return Set(import, node, result);
    }

    private static long[] Known(Dim[] dims) => dims.Select(d => d.Value).ToArray();

    /// <summary>The element positions of a tensor of known <paramref name="dims"/> (null when a size is symbolic).</summary>
    private static long[]? Positions(Dim[] dims)
    {
        if (dims.Any(d => !d.IsKnownNumber))
        {
            return null;
        }

        long count = dims.Aggregate(1L, (product, d) => product * d.Value);
        return count > 100_000_000 ? null : Enumerable.Range(0, (int)count).Select(k => (long)k).ToArray();
    }

    /// <summary>Selects <paramref name="indices"/> along <paramref name="axis"/>: the source element of each result element.</summary>
    private static long[]? Take(Dim[] dims, int axis, IReadOnlyList<long> indices)
    {
        if (Positions(dims) == null)
        {
            return null; // symbolic floats: only the shape changes
        }

        long outer = dims.Take(axis).Aggregate(1L, (p, d) => p * d.Value);
        long inner = dims.Skip(axis + 1).Aggregate(1L, (p, d) => p * d.Value);
        long size = dims[axis].Value;
        var source = new List<long>();
        for (long o = 0; o < outer; o++)
        {
            foreach (long index in indices)
            {
                for (long k = 0; k < inner; k++)
                {
                    source.Add(((o * size) + index) * inner + k);
                }
            }
        }

        return source.ToArray();
    }

    private static int? Axis(long axis, int rank) => axis >= -rank && axis < rank ? (int)(axis < 0 ? axis + rank : axis) : null;

    private static string? PlanGather(OnnxImport import, OnnxNode node, Dim[] dims, out Dim[]? resultDims, out long[]? source)
    {
        resultDims = null;
        source = null;
        StaticTensor<Dim>? indices = AsInts(import, node.Inputs.Count > 1 ? node.Inputs[1] : string.Empty, out string? problem);
        int? axis = Axis(node.Int("axis", 0), dims.Length);
        if (indices == null || indices.Values.Any(v => !v.IsKnownNumber) || axis == null || !dims[axis.Value].IsKnownNumber)
        {
            return problem ?? "its indices or axis are not known at compile time";
        }

        long size = dims[axis.Value].Value;
        var picked = indices.Values.Select(v => v.Value < 0 ? v.Value + size : v.Value).ToList();
        if (picked.Any(k => k < 0 || k >= size))
        {
            return $"an index is outside the axis of {size}";
        }

        resultDims = dims.Take(axis.Value).Concat(indices.Dims.Select(Dim.Of)).Concat(dims.Skip(axis.Value + 1)).ToArray();
        source = Take(dims, axis.Value, picked);
        return null;
    }

    private static long[]? AxesOf(OnnxImport import, OnnxNode node, out string? problem)
    {
        problem = null;
        if (node.Inputs.Count > 1 && node.Inputs[1].Length > 0)
        {
            return import.Ints(node.Inputs[1], out problem); // opset 13 and later
        }

        return node.Attributes.TryGetValue("axes", out OnnxAttribute? axes) ? axes.Ints.ToArray() : null;
    }

    private static string? PlanUnsqueeze(OnnxImport import, OnnxNode node, Dim[] dims, out Dim[]? resultDims, out long[]? source)
    {
        source = Positions(dims);
        resultDims = null;
        long[]? axes = AxesOf(import, node, out string? problem);
        int rank = dims.Length + (axes?.Length ?? 0);
        var normalized = axes?.Select(a => Axis(a, rank)).ToList();
        if (normalized == null || normalized.Any(a => a == null) || normalized.Distinct().Count() != normalized.Count)
        {
            return problem ?? "its axes are missing or invalid";
        }

        var result = new List<Dim>(dims);
        foreach (int a in normalized.Select(a => a!.Value).OrderBy(a => a))
        {
            result.Insert(a, Dim.Of(1));
        }

        resultDims = result.ToArray();
        return null;
    }

    private static string? PlanSqueeze(OnnxImport import, OnnxNode node, Dim[] dims, out Dim[]? resultDims, out long[]? source)
    {
        source = Positions(dims);
        resultDims = null;
        long[]? axes = AxesOf(import, node, out string? problem);
        if (problem != null)
        {
            return problem;
        }

        var squeezed = axes?.Select(a => Axis(a, dims.Length)).ToList()
            ?? Enumerable.Range(0, dims.Length).Where(a => dims[a].IsKnownNumber && dims[a].Value == 1).Select(a => (int?)a).ToList();
        if (squeezed.Any(a => a == null || !dims[a.Value].IsKnownNumber || dims[a.Value].Value != 1))
        {
            return "it squeezes an axis whose size is not 1";
        }

        resultDims = dims.Where((_, a) => !squeezed.Contains(a)).ToArray();
        return null;
    }

    private static string? PlanSlice(OnnxImport import, OnnxNode node, Dim[] dims, out Dim[]? resultDims, out long[]? source)
    {
        resultDims = null;
        source = null;
        long[]? Input(int index, string attribute) => node.Inputs.Count > index && node.Inputs[index].Length > 0
            ? import.Ints(node.Inputs[index], out _)
            : node.Attributes.TryGetValue(attribute, out OnnxAttribute? a) ? a.Ints.ToArray() : null;
        long[]? starts = Input(1, "starts"), ends = Input(2, "ends");
        long[] axes = Input(3, "axes") ?? Enumerable.Range(0, starts?.Length ?? 0).Select(a => (long)a).ToArray();
        long[] steps = Input(4, "steps") ?? axes.Select(_ => 1L).ToArray();
        if (starts == null || ends == null || starts.Length != ends.Length || axes.Length != starts.Length || steps.Length != starts.Length)
        {
            return "its starts, ends, axes or steps are not known at compile time";
        }

        Dim[] result = (Dim[])dims.Clone();
        long[]? current = Positions(dims);
        for (int k = 0; k < axes.Length; k++)
        {
            int? axis = Axis(axes[k], dims.Length);
            if (axis == null || steps[k] == 0)
            {
                return "an axis or step is invalid";
            }

            Dim size = result[axis.Value];
            bool whole = steps[k] == 1 && starts[k] == 0 && ends[k] >= int.MaxValue;
            if (!size.IsKnownNumber)
            {
                if (!whole)
                {
                    return $"it slices axis {axis} ({size}) at indices known only at run time";
                }

                continue;
            }

            var picked = SliceIndices(starts[k], ends[k], steps[k], size.Value);
            if (current != null)
            {
                long[] positions = Take(result, axis.Value, picked)!;
                current = positions.Select(p => current[p]).ToArray();
            }

            result[axis.Value] = Dim.Of(picked.Count);
        }

        resultDims = result;
        source = current;
        return null;
    }

    /// <summary>ONNX Slice's indices along an axis of <paramref name="size"/>.</summary>
    internal static List<long> SliceIndices(long start, long end, long step, long size)
    {
        long s = start < 0 ? start + size : start, e = end < 0 ? end + size : end;
        var picked = new List<long>();
        if (step > 0)
        {
            for (long k = Clamp(s, size); k < Clamp(e, size); k += step)
            {
                picked.Add(k);
            }
        }
        else
        {
            for (long k = Math.Max(-1, Math.Min(size - 1, s)); k > Math.Max(-1, Math.Min(size - 1, e)); k += step)
            {
                picked.Add(k);
            }
        }

        return picked;
    }

    private static string? PlanReshape(OnnxImport import, OnnxNode node, Dim[] dims, out Dim[]? resultDims, out long[]? source)
    {
        source = Positions(dims);
        resultDims = null;
        long[]? shape = node.Inputs.Count > 1 ? import.Ints(node.Inputs[1], out string? problem) : null;
        if (shape == null || source == null)
        {
            return "its shape or its data's size is not known at compile time";
        }

        var result = shape.Select((d, k) => d == 0 && node.Int("allowzero", 0) == 0 && k < dims.Length ? dims[k].Value : d).ToArray();
        long known = result.Where(d => d >= 0).Aggregate(1L, (p, d) => p * d);
        int free = Array.IndexOf(result, -1L);
        if (free >= 0 && known > 0)
        {
            result[free] = source.Length / known;
        }

        if (result.Any(d => d < 0) || result.Aggregate(1L, (p, d) => p * d) != source.Length)
        {
            return $"it cannot reshape {source.Length} values to [{string.Join(", ", shape)}]";
        }

        resultDims = result.Select(Dim.Of).ToArray();
        return null;
    }

    private static string? Concat(OnnxImport import, OnnxNode node)
    {
        var parts = node.Inputs.Where(name => name.Length > 0).Select(name => Materialize(import, name, out _)).ToList();
        if (parts.Count == 0 || parts.Any(p => p is not StaticTensor<float> and not StaticTensor<Dim>) || parts.Select(p => p!.GetType()).Distinct().Count() != 1)
        {
            return "it joins tensors that are not all known integers or all known floats";
        }

        return parts[0] is StaticTensor<float>
            ? ConcatOf(import, node, parts.Cast<StaticTensor<float>>().ToList())
            : ConcatOf(import, node, parts.Cast<StaticTensor<Dim>>().ToList());
    }

    private static string? ConcatOf<T>(OnnxImport import, OnnxNode node, List<StaticTensor<T>> parts)
    {
        int rank = parts[0].Rank;
        int? axis = Axis(node.Int("axis", 0), rank);
        if (axis == null || parts.Any(p => p.Rank != rank || p.Dims.Where((d, k) => k != axis && d != parts[0].Dims[k]).Any()))
        {
            return "its inputs' shapes do not fit together";
        }

        long outer = parts[0].Dims.Take(axis.Value).Aggregate(1L, (p, d) => p * d);
        long inner = parts[0].Dims.Skip(axis.Value + 1).Aggregate(1L, (p, d) => p * d);
        var values = new List<T>();
        for (long o = 0; o < outer; o++)
        {
            foreach (StaticTensor<T> part in parts)
            {
                long block = part.Dims[axis.Value] * inner;
                values.AddRange(part.Values.Skip((int)(o * block)).Take((int)block));
            }
        }

        long[] dims = (long[])parts[0].Dims.Clone();
        dims[axis.Value] = parts.Sum(p => p.Dims[axis.Value]);
        return Set(import, node, new StaticTensor<T>(dims, values.ToArray()));
    }

    // Filled tensors: ConstantOfShape and Expand, whose shape may depend on the input (the zero initial state).

    private static string? ConstantOfShape(OnnxImport import, OnnxNode node)
    {
        StaticTensor<Dim>? shape = AsInts(import, node.Inputs[0], out string? problem);
        if (shape == null)
        {
            return problem;
        }

        OnnxTensor? fill = node.Attributes.TryGetValue("value", out OnnxAttribute? value) ? value.T : null;
        bool integer = fill != null && fill.DataType != OnnxTensor.FloatType;
        long[]? ints = integer ? fill!.TryGetInt64s(out problem) : null;
        float[]? floats = fill != null && !integer ? fill.TryGetFloats(out problem) : new[] { 0f };
        if ((integer ? ints?.Length : floats?.Length) != 1)
        {
            return problem ?? "its value is not one number";
        }

        long[]? positions = Positions(shape.Values);
        if (positions == null)
        {
            return integer ? "an integer tensor whose shape depends on the input" : Set(import, node, new SymbolicFloats(shape.Values, floats![0] == 0));
        }

        long[] dims = Known(shape.Values);
        return integer
            ? Set(import, node, new StaticTensor<Dim>(dims, positions.Select(_ => Dim.Of(ints![0])).ToArray()))
            : Set(import, node, new StaticTensor<float>(dims, positions.Select(_ => floats![0]).ToArray()));
    }

    private static string? Expand(OnnxImport import, OnnxNode node)
    {
        StaticTensor<Dim>? shape = AsInts(import, node.Inputs.Count > 1 ? node.Inputs[1] : string.Empty, out string? problem);
        OnnxValue? data = Materialize(import, node.Inputs[0], out string? dataProblem);
        if (shape == null || data == null)
        {
            return problem ?? dataProblem;
        }

        Dim[] dims = data switch
        {
            StaticTensor<float> f => f.Dims.Select(Dim.Of).ToArray(),
            StaticTensor<Dim> i => i.Dims.Select(Dim.Of).ToArray(),
            SymbolicFloats s => s.Shape,
            _ => Array.Empty<Dim>(),
        };
        Dim[]? result = Broadcast(dims, shape.Values);
        if (result == null)
        {
            return "its shapes do not broadcast";
        }

        bool allZero = data switch
        {
            StaticTensor<float> f => f.Values.All(v => v == 0),
            SymbolicFloats s => s.AllZero,
            _ => false,
        };
        if (data is StaticTensor<Dim> || Positions(result) is { } && data is StaticTensor<float> { Values.Length: > 1 })
        {
            return "an expanded tensor NetGen does not need"; // only a filled float tensor (an initial state) is expanded
        }

        return Set(import, node, Positions(result) is { } positions && data is StaticTensor<float> one
            ? new StaticTensor<float>(Known(result), positions.Select(_ => one.Values[0]).ToArray())
            : new SymbolicFloats(result, allZero));
    }

    /// <summary>Numpy-style broadcasting of two shapes (right-aligned; 1 stretches); null when they do not fit.</summary>
    private static Dim[]? Broadcast(Dim[] a, Dim[] b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var result = new Dim[rank];
        for (int k = 0; k < rank; k++)
        {
            Dim x = k < rank - a.Length ? Dim.Of(1) : a[k - (rank - a.Length)];
            Dim y = k < rank - b.Length ? Dim.Of(1) : b[k - (rank - b.Length)];
            if (x.IsKnownNumber && x.Value == 1)
            {
                result[k] = y;
            }
            else if ((y.IsKnownNumber && y.Value == 1) || x.SameAs(y) == true)
            {
                result[k] = x;
            }
            else
            {
                return null;
            }
        }

        return result;
    }

    // Elementwise integer arithmetic on shapes (PyTorch's expand() computes its target shape so).

    private static string? Where(OnnxImport import, OnnxNode node)
    {
        StaticTensor<Dim>? condition = AsInts(import, node.Inputs[0], out string? problem);
        StaticTensor<Dim>? x = node.Inputs.Count > 2 ? AsInts(import, node.Inputs[1], out problem) : null;
        StaticTensor<Dim>? y = node.Inputs.Count > 2 ? AsInts(import, node.Inputs[2], out problem) : null;
        if (condition == null || x == null || y == null)
        {
            return problem ?? "it needs a condition and two integer tensors";
        }

        StaticTensor<Dim>? result = Elementwise(new[] { condition, x, y }, v => v[0].IsKnownNumber ? (v[0].Value != 0 ? v[1] : v[2]) : Dim.Unknown);
        return result == null ? "its inputs' shapes do not fit together" : Set(import, node, result);
    }

    private static string? Elementwise(OnnxImport import, OnnxNode node, Func<Dim, Dim, Dim> operation)
    {
        StaticTensor<Dim>? a = AsInts(import, node.Inputs[0], out string? problem);
        StaticTensor<Dim>? b = node.Inputs.Count > 1 ? AsInts(import, node.Inputs[1], out problem) : null;
        if (a == null || b == null)
        {
            return problem ?? "it needs two integer tensors";
        }

        StaticTensor<Dim>? result = Elementwise(new[] { a, b }, v => operation(v[0], v[1]));
        return result == null ? "its inputs' shapes do not fit together" : Set(import, node, result);
    }

    /// <summary>Applies <paramref name="operation"/> elementwise over tensors of one shape, or single values (which repeat).</summary>
    private static StaticTensor<Dim>? Elementwise(StaticTensor<Dim>[] operands, Func<Dim[], Dim> operation)
    {
        StaticTensor<Dim> widest = operands.OrderByDescending(t => t.Values.Length).First();
        if (operands.Any(t => t.Values.Length != 1 && t.Values.Length != widest.Values.Length))
        {
            return null;
        }

        var values = new Dim[widest.Values.Length];
        for (int k = 0; k < values.Length; k++)
        {
            values[k] = operation(operands.Select(t => t.Values[t.Values.Length == 1 ? 0 : k]).ToArray());
        }

        return new StaticTensor<Dim>(widest.Dims, values);
    }
}
