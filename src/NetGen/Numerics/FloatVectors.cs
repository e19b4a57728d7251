using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NetGen.Numerics;

/// <summary>
/// A vector of floats of one width, for kernels written once and compiled for each width: a generic method over a
/// struct that implements this (<see cref="Float512"/>: <see cref="Vector512{T}"/>; <see cref="FloatVector"/>:
/// <see cref="Vector{T}"/>, 128 or 256 bits) is specialised by the JIT per width, with every member inlined, so that the
/// wrapper costs nothing. Used where <see cref="Vector{T}"/> alone would leave AVX-512's 16 lanes unused (it stays 256
/// bits wide on AVX-512 machines by default).
/// </summary>
/// <typeparam name="TSelf">The implementing struct.</typeparam>
internal interface IFloatVector<TSelf>
    where TSelf : struct, IFloatVector<TSelf>
{
    /// <summary>The lanes.</summary>
    static abstract int Count { get; }

    /// <summary>All lanes zero.</summary>
    static abstract TSelf Zero { get; }

    /// <summary>Loads <see cref="Count"/> floats from <paramref name="source"/> + <paramref name="offset"/> (unaligned).</summary>
    static abstract TSelf Load(ref float source, nint offset);

    /// <summary>Stores the lanes at <paramref name="destination"/> + <paramref name="offset"/> (unaligned).</summary>
    static abstract void Store(TSelf value, ref float destination, nint offset);

    /// <summary>Every lane <paramref name="value"/>.</summary>
    static abstract TSelf Create(float value);

    /// <summary><c>a · b + c</c>, fused where the hardware fuses (<see cref="SimdMath"/>).</summary>
    static abstract TSelf MultiplyAdd(TSelf a, TSelf b, TSelf c);

    /// <summary><c>a + b</c>.</summary>
    static abstract TSelf Add(TSelf a, TSelf b);

    /// <summary>The lanes from <paramref name="first"/> on; lanes below it zero (0 ≤ first ≤ <see cref="Count"/>).</summary>
    static abstract TSelf From(TSelf value, int first);
}

/// <summary>A <see cref="Vector512{T}"/> of floats (AVX-512): use only where <see cref="Vector512.IsHardwareAccelerated"/>.</summary>
internal readonly struct Float512 : IFloatVector<Float512>
{
    private readonly Vector512<float> _value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Float512(Vector512<float> value) => _value = value;

    public static int Count => Vector512<float>.Count;

    public static Float512 Zero => default;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Float512 Load(ref float source, nint offset) => new(Vector512.LoadUnsafe(ref source, (nuint)offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Float512 value, ref float destination, nint offset) => value._value.StoreUnsafe(ref destination, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Float512 Create(float value) => new(Vector512.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Float512 MultiplyAdd(Float512 a, Float512 b, Float512 c) => new(SimdMath.FusedMultiplyAdd(a._value, b._value, c._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Float512 Add(Float512 a, Float512 b) => new(a._value + b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Float512 From(Float512 value, int first)
        => new(Vector512.ConditionalSelect(
            Vector512.GreaterThanOrEqual(Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15), Vector512.Create(first)).AsSingle(),
            value._value,
            Vector512<float>.Zero));
}

/// <summary>A <see cref="Vector{T}"/> of floats: use only where <see cref="Vector.IsHardwareAccelerated"/>.</summary>
internal readonly struct FloatVector : IFloatVector<FloatVector>
{
    /// <summary>0, 1, 2, ...: the lane numbers, for <see cref="From"/> (<c>Vector&lt;int&gt;.Indices</c> is .NET 9 and later).</summary>
    private static readonly int[] LaneIndices = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];

    private readonly Vector<float> _value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private FloatVector(Vector<float> value) => _value = value;

    public static int Count => Vector<float>.Count;

    public static FloatVector Zero => default;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FloatVector Load(ref float source, nint offset) => new(SimdMath.Load(ref Unsafe.Add(ref source, offset), 0));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(FloatVector value, ref float destination, nint offset) => SimdMath.Store(value._value, ref Unsafe.Add(ref destination, offset), 0);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FloatVector Create(float value) => new(new Vector<float>(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FloatVector MultiplyAdd(FloatVector a, FloatVector b, FloatVector c) => new(SimdMath.FusedMultiplyAdd(a._value, b._value, c._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FloatVector Add(FloatVector a, FloatVector b) => new(a._value + b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FloatVector From(FloatVector value, int first)
    {
        var lanes = new Vector<int>(LaneIndices);
        return new(Vector.ConditionalSelect(Vector.GreaterThanOrEqual(lanes, new Vector<int>(first)), value._value, Vector<float>.Zero));
    }
}
