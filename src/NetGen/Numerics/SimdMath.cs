using System.Numerics;
using System.Runtime.CompilerServices;

namespace NetGen.Numerics;

/// <summary>
/// Width-agnostic SIMD building blocks over <see cref="Vector{T}"/>: 4 floats on Arm64 NEON and SSE, 8 on AVX2.
/// The exponential is Cephes' <c>expf</c> (range reduction by ln 2, degree-5 polynomial), accurate to about one ulp
/// over the range where the result is a normal float.
/// </summary>
internal static class SimdMath
{
    private const float Log2E = 1.44269504088896341f;
    private const float Ln2High = 0.693359375f;
    private const float Ln2Low = -2.12194440e-4f;

    /// <summary>Beyond these, e^x is not a normal float; inputs are clamped to them.</summary>
    private const float ExpMax = 88.3762626647949f;
    private const float ExpMin = -87.3365447504f;

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

    /// <summary>e^x per lane; 0-ish (the smallest normal float) below -87.3 and finite above 88.4.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Exp(Vector<float> x)
    {
        x = Vector.Min(Vector.Max(x, new Vector<float>(ExpMin)), new Vector<float>(ExpMax));

        // x = n ln2 + r, |r| <= ln2 / 2; n rounded to nearest by adding and subtracting 1.5 * 2^23.
        var shifter = new Vector<float>(12582912f);
        Vector<float> n = FusedMultiplyAdd(x, new Vector<float>(Log2E), shifter) - shifter;
        Vector<float> r = x - (n * new Vector<float>(Ln2High)) - (n * new Vector<float>(Ln2Low));

        Vector<float> p = new(1.9875691500E-4f);
        p = FusedMultiplyAdd(p, r, new Vector<float>(1.3981999507E-3f));
        p = FusedMultiplyAdd(p, r, new Vector<float>(8.3334519073E-3f));
        p = FusedMultiplyAdd(p, r, new Vector<float>(4.1665795894E-2f));
        p = FusedMultiplyAdd(p, r, new Vector<float>(1.6666665459E-1f));
        p = FusedMultiplyAdd(p, r, new Vector<float>(5.0000001201E-1f));
        p = FusedMultiplyAdd(p, r * r, r + Vector<float>.One);

        // Multiply by 2^n by adding n to the exponent field.
        Vector<int> exponent = Vector.ShiftLeft(Vector.ConvertToInt32(n), 23);
        return Vector.AsVectorSingle(Vector.AsVectorInt32(p) + exponent);
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
        Vector<float> p = new(-5.70498872745E-3f);
        p = FusedMultiplyAdd(p, z, new Vector<float>(2.06390887954E-2f));
        p = FusedMultiplyAdd(p, z, new Vector<float>(-5.37397155531E-2f));
        p = FusedMultiplyAdd(p, z, new Vector<float>(1.33314422036E-1f));
        p = FusedMultiplyAdd(p, z, new Vector<float>(-3.33332819422E-1f));
        Vector<float> small = FusedMultiplyAdd(p * z, x, x);

        return Vector.ConditionalSelect(Vector.LessThan(absolute, new Vector<float>(0.625f)), small, large);
    }
}
