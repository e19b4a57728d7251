using System;
using System.Collections.Generic;
using System.Linq;

namespace NetGen.Generator.Onnx;

// What the reader knows about each value of the graph while it walks the nodes. A value is either static, known at
// compile time (weights, shapes, the zero initial state), and folded as the nodes are read; or the data flowing from
// the graph input through the layers (a Flow), whose axes the reader tracks by role. Anything else stops the import.

/// <summary>
/// A dimension or integer element as far as it is known at compile time: a number, or the size of one of the graph
/// input's axes (a symbolic batch or steps dimension), or unknown.
/// </summary>
internal readonly struct Dim : IEquatable<Dim>
{
    private Dim(bool known, long value, int axis)
    {
        IsKnownNumber = known;
        Value = value;
        Axis = axis;
    }

    /// <summary>A number known at compile time (a fixed size of the input counts).</summary>
    public bool IsKnownNumber { get; }

    /// <summary>The number, when <see cref="IsKnownNumber"/>.</summary>
    public long Value { get; }

    /// <summary>The graph input's axis whose size this is, or -1.</summary>
    public int Axis { get; }

    public static Dim Unknown => new(false, 0, -1);

    public static Dim Of(long value) => new(true, value, -1);

    /// <summary>The size of input axis <paramref name="axis"/>: <paramref name="size"/> when fixed (not negative), otherwise symbolic.</summary>
    public static Dim InputAxis(int axis, long size) => new(size >= 0, size >= 0 ? size : 0, axis);

    /// <summary>True or false when the two are surely equal or surely different; null when that depends on the input's sizes.</summary>
    public bool? SameAs(Dim other)
    {
        if (Axis >= 0 && Axis == other.Axis)
        {
            return true;
        }

        if (IsKnownNumber && other.IsKnownNumber)
        {
            return Value == other.Value;
        }

        // A symbolic size is never negative: it differs from any negative number (such as ONNX's -1 placeholders).
        bool negativeAgainstSize = (IsKnownNumber && Value < 0 && other.Axis >= 0) || (other.IsKnownNumber && other.Value < 0 && Axis >= 0);
        return negativeAgainstSize ? false : null;
    }

    public bool Equals(Dim other) => IsKnownNumber == other.IsKnownNumber && Value == other.Value && Axis == other.Axis;

    public override bool Equals(object? obj) => obj is Dim other && Equals(other);

    public override int GetHashCode() => (Value.GetHashCode() * 31) + Axis;

    public override string ToString() => IsKnownNumber
        ? Value.ToString(System.Globalization.CultureInfo.InvariantCulture)
        : Axis >= 0 ? $"the size of input dimension {Axis}" : "?";
}

/// <summary>Any value of the graph the reader knows about.</summary>
internal abstract class OnnxValue
{
}

/// <summary>A tensor from the file (initializer or Constant node), read on first use so a bad one is reported by its user.</summary>
internal sealed class StoredTensor : OnnxValue
{
    public StoredTensor(OnnxTensor tensor) => Tensor = tensor;

    public OnnxTensor Tensor { get; }
}

/// <summary>A tensor computed at compile time: floats, or integers (shapes, indices, booleans as 0 and 1) that may be symbolic.</summary>
internal sealed class StaticTensor<T> : OnnxValue
{
    public StaticTensor(long[] dims, T[] values)
    {
        Dims = dims;
        Values = values;
    }

    public long[] Dims { get; }

    public T[] Values { get; }

    public int Rank => Dims.Length;
}

/// <summary>
/// A float tensor whose shape depends on the input (e.g. the batch), built by ConstantOfShape or Expand: the reader
/// knows only whether it is all zeros, which is what a recurrent layer's initial state must be.
/// </summary>
internal sealed class SymbolicFloats : OnnxValue
{
    public SymbolicFloats(Dim[] shape, bool allZero)
    {
        Shape = shape;
        AllZero = allZero;
    }

    public Dim[] Shape { get; }

    public bool AllZero { get; }
}

/// <summary>A value no node may use, with the reason (an LSTM's final cell state, for one).</summary>
internal sealed class RefusedValue : OnnxValue
{
    public RefusedValue(string reason) => Reason = reason;

    public string Reason { get; }
}

/// <summary>What an axis of the data means.</summary>
internal enum AxisRole
{
    /// <summary>An axis of the graph input before any layer gave it a meaning (<see cref="FlowAxis.InputAxis"/> says which).</summary>
    Input,

    /// <summary>The samples of a batch.</summary>
    Batch,

    /// <summary>The steps of a sequence.</summary>
    Time,

    /// <summary>The features (a layer's units).</summary>
    Features,

    /// <summary>A recurrent operator's num_directions axis of Y (size 1).</summary>
    Direction,

    /// <summary>One step, the last, kept as an axis of size 1 (PyTorch's <c>out[:, -1:]</c>).</summary>
    LastStep,

    /// <summary>Final hidden states of recurrent layers (Y_h, and Y_h of several layers concatenated).</summary>
    Layers,
}

/// <summary>One axis of the data: its role, its size and, for <see cref="AxisRole.Layers"/>, whose final states it holds.</summary>
internal sealed class FlowAxis
{
    public FlowAxis(AxisRole role, Dim size, int inputAxis = -1, int[]? layers = null)
    {
        Role = role;
        Size = size;
        InputAxis = inputAxis;
        Layers = layers ?? Array.Empty<int>();
    }

    public AxisRole Role { get; }

    public Dim Size { get; }

    /// <summary>For <see cref="AxisRole.Input"/>: the graph input's axis.</summary>
    public int InputAxis { get; }

    /// <summary>For <see cref="AxisRole.Layers"/>: the recurrent layers (0-based) whose final hidden states it holds, in order.</summary>
    public int[] Layers { get; }

    public override string ToString() => Role == AxisRole.Input ? $"input axis {InputAxis}" : Role.ToString().ToLowerInvariant();
}

/// <summary>
/// The data: the graph input and whatever the layers made of it. <see cref="Generation"/> says which step of the
/// chain made it; only the latest may feed the next layer (a single chain of layers).
/// </summary>
internal sealed class Flow : OnnxValue
{
    public Flow(IReadOnlyList<FlowAxis> axes, int generation)
    {
        Axes = axes.ToArray();
        Generation = generation;
    }

    public FlowAxis[] Axes { get; }

    public int Generation { get; }

    /// <summary>A batch of feature vectors, <c>[batch, features]</c>: what dense layers read.</summary>
    public bool IsVector => Axes.Length == 2 && Axes[0].Role == AxisRole.Batch && Axes[1].Role == AxisRole.Features;

    /// <summary>The features of a vector (its last axis's size).</summary>
    public int Width => (int)Axes[Axes.Length - 1].Size.Value;

    public bool HasRole(AxisRole role) => Axes.Any(a => a.Role == role);

    public int IndexOf(AxisRole role) => Array.FindIndex(Axes, a => a.Role == role);

    public Flow With(IReadOnlyList<FlowAxis> axes) => new(axes, Generation);

    public string Describe() => "[" + string.Join(", ", Axes.Select(a => a.ToString())) + "]";
}
