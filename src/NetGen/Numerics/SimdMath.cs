using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NetGen.Numerics;

/// <summary>
/// Width-agnostic SIMD plumbing over <see cref="Vector{T}"/>: 4 floats on Arm64 NEON and SSE, 8 on AVX2.
/// </summary>
internal static class SimdMath
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Load(ref float start, int offset)
        => Unsafe.ReadUnaligned<Vector<float>>(ref Unsafe.As<float, byte>(ref Unsafe.Add(ref start, offset)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector<float> value, ref float start, int offset)
        => Unsafe.WriteUnaligned(ref Unsafe.As<float, byte>(ref Unsafe.Add(ref start, offset)), value);

    /// <summary><c>a · b + c</c>, fused where the runtime offers it (.NET 9 and later).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> FusedMultiplyAdd(Vector<float> a, Vector<float> b, Vector<float> c)
#if NET9_0_OR_GREATER
        => Vector.FusedMultiplyAdd(a, b, c);
#else
        => (a * b) + c;
#endif

    /// <summary>
    /// Scalar <c>a · b + c</c>, fused exactly when <see cref="FusedMultiplyAdd(Vector{float}, Vector{float}, Vector{float})"/>
    /// is, so that a kernel's scalar tail rounds like its vector body.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> FusedMultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c)
#if NET9_0_OR_GREATER
        => Vector128.FusedMultiplyAdd(a, b, c);
#else
        => (a * b) + c;
#endif

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float FusedMultiplyAdd(float a, float b, float c)
#if NET9_0_OR_GREATER
        => MathF.FusedMultiplyAdd(a, b, c);
#else
        => (a * b) + c;
#endif
}
