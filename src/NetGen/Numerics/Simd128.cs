#if NET8_0_OR_GREATER
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace NetGen.Numerics;

/// <summary>
/// The <see cref="Vector128{T}"/> operations of generated unrolled-SIMD layers (SSE, Arm64 NEON, WebAssembly SIMD):
/// a multiply-add and a grouped horizontal sum. Generated code calls these only under
/// <see cref="Vector128.IsHardwareAccelerated"/>, which the JIT and Native AOT fold to a constant.
/// </summary>
public static class Simd128
{
    /// <summary><c>a · b + c</c>, fused where the hardware has FMA (x64 FMA3, Arm64), a multiply and an add elsewhere (never emulated).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c)
        => SimdMath.FusedMultiplyAdd(a, b, c);

    /// <summary>
    /// The sums of the lanes of four accumulators, as one vector <c>[Σ a0, Σ a1, Σ a2, Σ a3]</c>, each as
    /// <c>(a.0 + a.1) + (a.2 + a.3)</c> on every platform.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Sum4(Vector128<float> a0, Vector128<float> a1, Vector128<float> a2, Vector128<float> a3)
    {
        if (Sse3.IsSupported)
        {
            // hadd(a0, a1) = [a0.0+a0.1, a0.2+a0.3, a1.0+a1.1, a1.2+a1.3]; a third hadd finishes all four sums.
            return Sse3.HorizontalAdd(Sse3.HorizontalAdd(a0, a1), Sse3.HorizontalAdd(a2, a3));
        }

        if (AdvSimd.Arm64.IsSupported)
        {
            // faddp pairs neighbouring lanes exactly as hadd does.
            return AdvSimd.Arm64.AddPairwise(AdvSimd.Arm64.AddPairwise(a0, a1), AdvSimd.Arm64.AddPairwise(a2, a3));
        }

        // Portable transpose-and-add, in the same order.
        Vector128<float> even01 = Vector128.Create(a0.GetElement(0), a1.GetElement(0), a2.GetElement(0), a3.GetElement(0));
        Vector128<float> odd01 = Vector128.Create(a0.GetElement(1), a1.GetElement(1), a2.GetElement(1), a3.GetElement(1));
        Vector128<float> even23 = Vector128.Create(a0.GetElement(2), a1.GetElement(2), a2.GetElement(2), a3.GetElement(2));
        Vector128<float> odd23 = Vector128.Create(a0.GetElement(3), a1.GetElement(3), a2.GetElement(3), a3.GetElement(3));
        return (even01 + odd01) + (even23 + odd23);
    }
}
#endif
