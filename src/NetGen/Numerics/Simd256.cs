#if NET8_0_OR_GREATER
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NetGen.Numerics;

/// <summary>
/// The two <see cref="Vector256{T}"/> operations that generated unrolled-SIMD layers need beyond the operators:
/// a multiply-add and a grouped horizontal sum. Generated code calls these only under
/// <see cref="Vector256.IsHardwareAccelerated"/>, which the JIT and Native AOT fold to a constant.
/// </summary>
public static class Simd256
{
    /// <summary><c>a · b + c</c>, fused where the hardware has FMA, a multiply and an add elsewhere (never emulated).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c)
        => SimdMath.FusedMultiplyAdd(a, b, c);

    /// <summary>
    /// The sums of the lanes of four accumulators, as one vector <c>[Σ a0, Σ a1, Σ a2, Σ a3]</c>: one reduction per
    /// group of four rows instead of four.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Sum4(Vector256<float> a0, Vector256<float> a1, Vector256<float> a2, Vector256<float> a3)
        => Simd128.Sum4(a0.GetLower() + a0.GetUpper(), a1.GetLower() + a1.GetUpper(), a2.GetLower() + a2.GetUpper(), a3.GetLower() + a3.GetUpper());
}
#endif
