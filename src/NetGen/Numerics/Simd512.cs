#if NET8_0_OR_GREATER
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NetGen.Numerics;

/// <summary>
/// The <see cref="Vector512{T}"/> operations of generated unrolled-SIMD layers (AVX-512): a multiply-add and a grouped
/// horizontal sum. Generated code calls these only under <see cref="Vector512.IsHardwareAccelerated"/>, which the JIT
/// and Native AOT fold to a constant.
/// </summary>
public static class Simd512
{
    /// <summary><c>a · b + c</c>, fused (every AVX-512 machine has FMA).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c)
        => SimdMath.FusedMultiplyAdd(a, b, c);

    /// <summary>
    /// The sums of the lanes of four accumulators, as one vector <c>[Σ a0, Σ a1, Σ a2, Σ a3]</c>: the upper halves
    /// folded onto the lower ones, then <see cref="Simd256.Sum4"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Sum4(Vector512<float> a0, Vector512<float> a1, Vector512<float> a2, Vector512<float> a3)
        => Simd256.Sum4(a0.GetLower() + a0.GetUpper(), a1.GetLower() + a1.GetUpper(), a2.GetLower() + a2.GetUpper(), a3.GetLower() + a3.GetUpper());
}
#endif
