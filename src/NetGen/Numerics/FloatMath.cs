using System;
using System.Numerics;
using System.Runtime.CompilerServices;
#if NET8_0_OR_GREATER
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
#endif
using static NetGen.Numerics.SimdMath;

namespace NetGen.Numerics;

/// <summary>
/// The exponential, sigmoid and hyperbolic tangent, as inlinable scalars and per <see cref="Vector{T}"/> lane. The
/// vector exponential is Cephes' <c>expf</c> (range reduction by ln 2, degree-5 polynomial); the tangent, in both
/// forms, Cephes' <c>tanhf</c> (several times cheaper than <see cref="MathF.Tanh"/>); the scalar exponential is the C
/// runtime's. All are accurate to a few ulps where the result is a normal float.
/// </summary>
public static class FloatMath
{
    private const float Log2E = 1.44269504088896341f;
    private const float Ln2High = 0.693359375f;
    private const float Ln2Low = -2.12194440e-4f;

    /// <summary>Beyond these, e^x is not a normal float; inputs are clamped to them.</summary>
    private const float ExpMax = 88.3762626647949f;
    private const float ExpMin = -87.3365447504f;

    /// <summary>
    /// Adding and subtracting 1.5 · 2^23 rounds a float to the nearest integer. The sum, 1.5 · 2^23 + n, holds n (two's
    /// complement, |n| &lt; 2^22) in its low mantissa bits above 2^22, so shifting its bits left by 23 gives n's exponent
    /// field (the 2^22 shifts out) with no float-to-int conversion: the same bits as <c>ConvertToInt32(n) &lt;&lt; 23</c>.
    /// That conversion saturates in .NET 9 and later; where the compiler has no vector form of that (Native AOT for
    /// x86-64-v2) it converts lane by lane through the stack, which made a 4-lane exp several times slower.
    /// </summary>
    private const float RoundingShifter = 12582912f;

    private const float P0 = 1.9875691500E-4f;
    private const float P1 = 1.3981999507E-3f;
    private const float P2 = 8.3334519073E-3f;
    private const float P3 = 4.1665795894E-2f;
    private const float P4 = 1.6666665459E-1f;
    private const float P5 = 5.0000001201E-1f;

#if NET8_0_OR_GREATER
    /// <summary>
    /// The lower clamp of the <see cref="Vector512{T}"/> exponential, where e^x is below half the smallest subnormal:
    /// AVX-512's scaling by 2^n rounds subnormal results correctly, so that form needs no underflow select.
    /// </summary>
    private const float Exp512Min = -104f;
#endif

    /// <summary>Below this |x| the tangent uses its odd polynomial, where <c>1 - 2 / (e^2|x| + 1)</c> would cancel.</summary>
    private const float TanhPolynomialLimit = 0.625f;
    private const float T0 = -5.70498872745E-3f;
    private const float T1 = 2.06390887954E-2f;
    private const float T2 = -5.37397155531E-2f;
    private const float T3 = 1.33314422036E-1f;
    private const float T4 = -3.33332819422E-1f;

    /// <summary>
    /// e^x as a scalar: the C runtime's <c>expf</c> (<see cref="MathF.Exp"/>). Measured on the benchmark suite's xor
    /// network, whose five sigmoids form two dependent steps, it was faster than the inlined polynomial, whose
    /// longer dependency chain costs more latency than the call does.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Exp(float x) => MathF.Exp(x);

    /// <summary>The logistic sigmoid through e^-|x|, so nothing overflows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sigmoid(float x)
    {
        float e = Exp(-MathF.Abs(x));
        float positive = 1f / (1f + e);
        return x >= 0f ? positive : e * positive;
    }

    /// <summary>The hyperbolic tangent (Cephes <c>tanhf</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Tanh(float x)
    {
        float absolute = MathF.Abs(x);
        if (absolute < TanhPolynomialLimit)
        {
            float z = x * x;
            float p = (((((((T0 * z) + T1) * z) + T2) * z) + T3) * z) + T4;
            return (p * z * x) + x;
        }

        float large = 1f - (2f / (Exp(absolute + absolute) + 1f));
        return x < 0f ? -large : large;
    }

    /// <summary>e^x per lane; 0 below -87.3 and finite above 88.4.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Exp(Vector<float> x)
    {
        Vector<int> underflow = Vector.LessThan(x, new Vector<float>(ExpMin));
        x = Vector.Min(Vector.Max(x, new Vector<float>(ExpMin)), new Vector<float>(ExpMax));

        // x = n ln2 + r, |r| <= ln2 / 2. The shifted value holds n in its low mantissa bits (see RoundingShifter).
        var shifter = new Vector<float>(RoundingShifter);
        Vector<float> shifted = FusedMultiplyAdd(x, new Vector<float>(Log2E), shifter);
        Vector<float> n = shifted - shifter;
        Vector<float> r = x - (n * new Vector<float>(Ln2High)) - (n * new Vector<float>(Ln2Low));

        Vector<float> p = new(P0);
        p = FusedMultiplyAdd(p, r, new Vector<float>(P1));
        p = FusedMultiplyAdd(p, r, new Vector<float>(P2));
        p = FusedMultiplyAdd(p, r, new Vector<float>(P3));
        p = FusedMultiplyAdd(p, r, new Vector<float>(P4));
        p = FusedMultiplyAdd(p, r, new Vector<float>(P5));
        p = FusedMultiplyAdd(p, r * r, r + Vector<float>.One);

        // Multiply by 2^n by adding n to the exponent field.
#if NET8_0_OR_GREATER
        Vector<int> exponent = Vector.ShiftLeft(Vector.AsVectorInt32(shifted), 23);
#else
        Vector<int> exponent = Vector.AsVectorInt32(shifted) * new Vector<int>(1 << 23); // the same bits (no Vector.ShiftLeft in netstandard2.1)
#endif
        return Vector.ConditionalSelect(underflow, Vector<float>.Zero, Vector.AsVectorSingle(Vector.AsVectorInt32(p) + exponent));
    }

    /// <summary>The logistic sigmoid per lane, through e^-|x| so nothing overflows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Sigmoid(Vector<float> x)
    {
        Vector<float> e = Exp(-Vector.Abs(x));
        Vector<float> positive = Vector<float>.One / (Vector<float>.One + e);
        return Vector.ConditionalSelect(Vector.GreaterThanOrEqual(x, Vector<float>.Zero), positive, e * positive);
    }

    /// <summary>
    /// The hyperbolic tangent per lane (Cephes <c>tanhf</c>): an odd polynomial below |x| = 0.625, where
    /// <c>1 - 2 / (e^2|x| + 1)</c> would lose the small result to cancellation, that formula above.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Tanh(Vector<float> x)
    {
        Vector<float> absolute = Vector.Abs(x);
        Vector<float> large = Vector<float>.One - (new Vector<float>(2f) / (Exp(absolute + absolute) + Vector<float>.One));
        large = Vector.ConditionalSelect(Vector.LessThan(x, Vector<float>.Zero), -large, large);

        Vector<float> z = x * x;
        Vector<float> p = new(T0);
        p = FusedMultiplyAdd(p, z, new Vector<float>(T1));
        p = FusedMultiplyAdd(p, z, new Vector<float>(T2));
        p = FusedMultiplyAdd(p, z, new Vector<float>(T3));
        p = FusedMultiplyAdd(p, z, new Vector<float>(T4));
        Vector<float> small = FusedMultiplyAdd(p * z, x, x);

        return Vector.ConditionalSelect(Vector.LessThan(absolute, new Vector<float>(TanhPolynomialLimit)), small, large);
    }

#if NET8_0_OR_GREATER
    /// <summary>
    /// e^x per lane of a <see cref="Vector128{T}"/>: the same Cephes <c>expf</c> as the <see cref="Vector{T}"/> form,
    /// for the generator's straight-line layers of a few units, which activate four pre-activations at once.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Exp(Vector128<float> x)
    {
        Vector128<float> underflow = Vector128.LessThan(x, Vector128.Create(ExpMin));
        x = Vector128.Min(Vector128.Max(x, Vector128.Create(ExpMin)), Vector128.Create(ExpMax));

        Vector128<float> shifter = Vector128.Create(RoundingShifter);
        Vector128<float> shifted = FusedMultiplyAdd(x, Vector128.Create(Log2E), shifter);
        Vector128<float> n = shifted - shifter;
        Vector128<float> r = x - (n * Vector128.Create(Ln2High)) - (n * Vector128.Create(Ln2Low));

        Vector128<float> p = Vector128.Create(P0);
        p = FusedMultiplyAdd(p, r, Vector128.Create(P1));
        p = FusedMultiplyAdd(p, r, Vector128.Create(P2));
        p = FusedMultiplyAdd(p, r, Vector128.Create(P3));
        p = FusedMultiplyAdd(p, r, Vector128.Create(P4));
        p = FusedMultiplyAdd(p, r, Vector128.Create(P5));
        p = FusedMultiplyAdd(p, r * r, r + Vector128<float>.One);

        Vector128<int> exponent = Vector128.ShiftLeft(shifted.AsInt32(), 23);
        return Vector128.ConditionalSelect(underflow, Vector128<float>.Zero, (p.AsInt32() + exponent).AsSingle());
    }

    /// <summary>The logistic sigmoid per lane of a <see cref="Vector128{T}"/>, through e^-|x| so nothing overflows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Sigmoid(Vector128<float> x)
    {
        Vector128<float> e = Exp(-Vector128.Abs(x));
        Vector128<float> positive = Vector128<float>.One / (Vector128<float>.One + e);
        return Vector128.ConditionalSelect(Vector128.GreaterThanOrEqual(x, Vector128<float>.Zero), positive, e * positive);
    }

    /// <summary>The hyperbolic tangent per lane of a <see cref="Vector128{T}"/> (Cephes <c>tanhf</c>, as the <see cref="Vector{T}"/> form).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Tanh(Vector128<float> x)
    {
        Vector128<float> absolute = Vector128.Abs(x);
        Vector128<float> large = Vector128<float>.One - (Vector128.Create(2f) / (Exp(absolute + absolute) + Vector128<float>.One));
        large = Vector128.ConditionalSelect(Vector128.LessThan(x, Vector128<float>.Zero), -large, large);

        Vector128<float> z = x * x;
        Vector128<float> p = Vector128.Create(T0);
        p = FusedMultiplyAdd(p, z, Vector128.Create(T1));
        p = FusedMultiplyAdd(p, z, Vector128.Create(T2));
        p = FusedMultiplyAdd(p, z, Vector128.Create(T3));
        p = FusedMultiplyAdd(p, z, Vector128.Create(T4));
        Vector128<float> small = FusedMultiplyAdd(p * z, x, x);

        return Vector128.ConditionalSelect(Vector128.LessThan(absolute, Vector128.Create(TanhPolynomialLimit)), small, large);
    }

    /// <summary>
    /// e^x per lane of a <see cref="Vector512{T}"/>, for the recurrent kernels' AVX-512 loops: Cephes' range reduction
    /// (fused here) and degree-5 polynomial, then AVX-512's <c>vscalefps</c> for the factor 2^n, which also rounds
    /// results below the normal range to subnormals or zero (so no clamp-and-select of an underflow): about half the
    /// instructions of the <see cref="Vector{T}"/> form. NaN stays NaN. Without AVX-512 (never on the hot path: callers
    /// test <see cref="Vector512.IsHardwareAccelerated"/>), the <see cref="Vector128{T}"/> form per quarter.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Exp(Vector512<float> x)
    {
        if (!Avx512F.IsSupported)
        {
            return Vector512.Create(
                Vector256.Create(Exp(x.GetLower().GetLower()), Exp(x.GetLower().GetUpper())),
                Vector256.Create(Exp(x.GetUpper().GetLower()), Exp(x.GetUpper().GetUpper())));
        }

        // vminps/vmaxps return their second operand when one is NaN: x, so that NaN propagates.
        x = Avx512F.Max(Vector512.Create(Exp512Min), Avx512F.Min(Vector512.Create(ExpMax), x));
        Vector512<float> n = Avx512F.RoundScale(x * Vector512.Create(Log2E), 0); // nearest, |r| <= ln2 / 2
        Vector512<float> r = Avx512F.FusedMultiplyAddNegated(n, Vector512.Create(Ln2High), x);
        r = Avx512F.FusedMultiplyAddNegated(n, Vector512.Create(Ln2Low), r);
        Vector512<float> p = Avx512F.FusedMultiplyAdd(Vector512.Create(P0), r, Vector512.Create(P1));
        p = Avx512F.FusedMultiplyAdd(p, r, Vector512.Create(P2));
        p = Avx512F.FusedMultiplyAdd(p, r, Vector512.Create(P3));
        p = Avx512F.FusedMultiplyAdd(p, r, Vector512.Create(P4));
        p = Avx512F.FusedMultiplyAdd(p, r, Vector512.Create(P5));
        p = Avx512F.FusedMultiplyAdd(p, r * r, r + Vector512<float>.One);
        return Avx512F.Scale(p, n);
    }

    /// <summary>The logistic sigmoid per lane of a <see cref="Vector512{T}"/>, through e^-|x| so nothing overflows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Sigmoid(Vector512<float> x)
    {
        Vector512<float> e = Exp(-Vector512.Abs(x));
        Vector512<float> positive = Vector512<float>.One / (Vector512<float>.One + e);
        return Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(x, Vector512<float>.Zero), positive, e * positive);
    }

    /// <summary>The hyperbolic tangent per lane of a <see cref="Vector512{T}"/> (Cephes <c>tanhf</c>, as the <see cref="Vector{T}"/> form).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Tanh(Vector512<float> x)
    {
        Vector512<float> absolute = Vector512.Abs(x);
        Vector512<float> large = Vector512<float>.One - (Vector512.Create(2f) / (Exp(absolute + absolute) + Vector512<float>.One));
        large = Vector512.ConditionalSelect(Vector512.Create(-0f), x, large); // x's sign on |tanh x|

        Vector512<float> z = x * x;
        Vector512<float> p = FusedMultiplyAdd(Vector512.Create(T0), z, Vector512.Create(T1));
        p = FusedMultiplyAdd(p, z, Vector512.Create(T2));
        p = FusedMultiplyAdd(p, z, Vector512.Create(T3));
        p = FusedMultiplyAdd(p, z, Vector512.Create(T4));
        Vector512<float> small = FusedMultiplyAdd(p * z, x, x);

        return Vector512.ConditionalSelect(Vector512.LessThan(absolute, Vector512.Create(TanhPolynomialLimit)), small, large);
    }
#endif
}
