using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NetGen.Numerics;

/// <summary>
/// The two <see cref="Vector256{T}"/> operations that generated unrolled-SIMD layers need beyond the operators:
/// a fused multiply-add and a grouped horizontal sum. Generated code calls these only under
/// <see cref="Vector256.IsHardwareAccelerated"/>, which the JIT and Native AOT fold to a constant.
/// </summary>
public static class Simd256
{
    /// <summary><c>a · b + c</c>, fused where the hardware has it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c)
#if NET9_0_OR_GREATER
        => Vector256.FusedMultiplyAdd(a, b, c);
#else
        => Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : (a * b) + c;
#endif

    /// <summary>
    /// The sums of the lanes of four accumulators, as one vector <c>[Σ a0, Σ a1, Σ a2, Σ a3]</c>: one reduction per
    /// group of four rows instead of four.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Sum4(Vector256<float> a0, Vector256<float> a1, Vector256<float> a2, Vector256<float> a3)
    {
        // Pairwise: fold the upper 128-bit halves onto the lower ones, then transpose-add the four 4-lane vectors.
        Vector128<float> b0 = a0.GetLower() + a0.GetUpper();
        Vector128<float> b1 = a1.GetLower() + a1.GetUpper();
        Vector128<float> b2 = a2.GetLower() + a2.GetUpper();
        Vector128<float> b3 = a3.GetLower() + a3.GetUpper();

        if (Sse3.IsSupported)
        {
            // hadd(b0, b1) = [b0.0+b0.1, b0.2+b0.3, b1.0+b1.1, b1.2+b1.3]; a third hadd finishes all four sums.
            return Sse3.HorizontalAdd(Sse3.HorizontalAdd(b0, b1), Sse3.HorizontalAdd(b2, b3));
        }

        // Portable transpose-and-add.
        Vector128<float> lo01 = Vector128.Create(b0.GetElement(0), b1.GetElement(0), b2.GetElement(0), b3.GetElement(0));
        Vector128<float> hi01 = Vector128.Create(b0.GetElement(1), b1.GetElement(1), b2.GetElement(1), b3.GetElement(1));
        Vector128<float> lo23 = Vector128.Create(b0.GetElement(2), b1.GetElement(2), b2.GetElement(2), b3.GetElement(2));
        Vector128<float> hi23 = Vector128.Create(b0.GetElement(3), b1.GetElement(3), b2.GetElement(3), b3.GetElement(3));
        return (lo01 + hi01) + (lo23 + hi23);
    }
}
