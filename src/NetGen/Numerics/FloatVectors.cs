#if NET8_0_OR_GREATER
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NetGen.Numerics;

/// <summary>
/// The operations on a vector of floats of one width, for kernels written once and compiled for each width: a generic
/// method over <typeparamref name="TVector"/> (<see cref="Vector512{T}"/> or <see cref="Vector{T}"/> itself) and a struct
/// implementing this for it (<see cref="Float512"/>, <see cref="FloatVector"/>) is specialised by the JIT per width, with
/// every member inlined. The vectors stay the JIT's own SIMD types (a struct wrapped around one was measured to cost a
/// register copy per multiply-add and loads no longer folded into them: JIT disassembly). Used where
/// <see cref="Vector{T}"/> alone would leave AVX-512's 16 lanes unused (it stays 256 bits wide on AVX-512 machines by
/// default).
/// </summary>
/// <typeparam name="TVector">The vector type.</typeparam>
internal interface IFloatVectorOps<TVector>
    where TVector : struct
{
    /// <summary>The lanes.</summary>
    static abstract int Count { get; }

    /// <summary>All lanes zero.</summary>
    static abstract TVector Zero { get; }

    /// <summary>Loads <see cref="Count"/> floats from <paramref name="source"/> + <paramref name="offset"/> (unaligned).</summary>
    static abstract TVector Load(ref float source, nint offset);

    /// <summary>Stores the lanes at <paramref name="destination"/> + <paramref name="offset"/> (unaligned).</summary>
    static abstract void Store(TVector value, ref float destination, nint offset);

    /// <summary>Every lane <paramref name="value"/>.</summary>
    static abstract TVector Create(float value);

    /// <summary><c>a · b + c</c>, fused where the hardware fuses (<see cref="SimdMath"/>).</summary>
    static abstract TVector MultiplyAdd(TVector a, TVector b, TVector c);

    /// <summary><c>a + b</c>.</summary>
    static abstract TVector Add(TVector a, TVector b);

    /// <summary>The lanes from <paramref name="first"/> on; lanes below it zero (0 ≤ first ≤ <see cref="Count"/>).</summary>
    static abstract TVector From(TVector value, int first);
}

/// <summary><see cref="Vector512{T}"/> of floats (AVX-512): use only where <see cref="Vector512.IsHardwareAccelerated"/>.</summary>
internal readonly struct Float512 : IFloatVectorOps<Vector512<float>>
{
    public static int Count => Vector512<float>.Count;

    public static Vector512<float> Zero => Vector512<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(ref float source, nint offset) => Vector512.LoadUnsafe(ref source, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<float> value, ref float destination, nint offset) => value.StoreUnsafe(ref destination, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Create(float value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c) => SimdMath.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> From(Vector512<float> value, int first)
        => Vector512.ConditionalSelect(
            Vector512.GreaterThanOrEqual(Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15), Vector512.Create(first)).AsSingle(),
            value,
            Vector512<float>.Zero);
}

/// <summary><see cref="Vector{T}"/> of floats: use only where <see cref="Vector.IsHardwareAccelerated"/>.</summary>
internal readonly struct FloatVector : IFloatVectorOps<Vector<float>>
{
    /// <summary>0, 1, 2, ...: the lane numbers, for <see cref="From"/> (<c>Vector&lt;int&gt;.Indices</c> is .NET 9 and later).</summary>
    private static readonly int[] LaneIndices = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];

    public static int Count => Vector<float>.Count;

    public static Vector<float> Zero => Vector<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Load(ref float source, nint offset) => SimdMath.Load(ref Unsafe.Add(ref source, offset), 0);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector<float> value, ref float destination, nint offset) => SimdMath.Store(value, ref Unsafe.Add(ref destination, offset), 0);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Create(float value) => new(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> MultiplyAdd(Vector<float> a, Vector<float> b, Vector<float> c) => SimdMath.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Add(Vector<float> a, Vector<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> From(Vector<float> value, int first)
        => Vector.ConditionalSelect(Vector.GreaterThanOrEqual(new Vector<int>(LaneIndices), new Vector<int>(first)), value, Vector<float>.Zero);
}

/// <summary>
/// A single float as a one-lane "vector": the scalar path of kernels written over <see cref="IFloatVectorOps{TVector}"/>,
/// for machines without vectors, with the same arithmetic as the vector paths (fused exactly where they fuse).
/// </summary>
internal readonly struct FloatScalar : IFloatVectorOps<float>
{
    public static int Count => 1;

    public static float Zero => 0f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Load(ref float source, nint offset) => Unsafe.Add(ref source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float value, ref float destination, nint offset) => Unsafe.Add(ref destination, offset) = value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Create(float value) => value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MultiplyAdd(float a, float b, float c) => SimdMath.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Add(float a, float b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float From(float value, int first) => first <= 0 ? value : 0f;
}
#endif
