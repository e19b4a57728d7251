using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NetGen.Numerics;

/// <summary>
/// The activation functions and their derivatives, as scalars (inlined into generated straight-line code) and over
/// whole spans (called by generated loop code). Derivatives are expressed through the activation's output
/// <c>y</c> wherever that is exact, so the backward pass never has to keep pre-activations.
/// </summary>
public static class Activations
{
    /// <summary>The negative slope of <see cref="Activation.LeakyReLU"/> (PyTorch's default).</summary>
    public const float LeakyReLUSlope = Shared.ActivationConstants.LeakyReLUSlope;

    /// <summary><c>x &gt; 0 ? 1 : 0</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Step(float x) => x > 0f ? 1f : 0f;

    /// <summary>The logistic sigmoid, evaluated so that <c>e^x</c> never overflows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sigmoid(float x) => FloatMath.Sigmoid(x);

    /// <summary>The hyperbolic tangent.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Tanh(float x) => FloatMath.Tanh(x);

    /// <summary><c>max(0, x)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ReLU(float x) => x > 0f ? x : 0f;

    /// <summary><c>x &gt; 0 ? x : 0.01 x</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float LeakyReLU(float x) => x > 0f ? x : LeakyReLUSlope * x;

    /// <summary>The sigmoid's derivative from its output: <c>y (1 - y)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float SigmoidDerivative(float y) => y * (1f - y);

    /// <summary>The hyperbolic tangent's derivative from its output: <c>1 - y²</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float TanhDerivative(float y) => 1f - (y * y);

    /// <summary>The ReLU's derivative from its output: 1 where <c>y &gt; 0</c>, else 0 (0 at the kink, as PyTorch).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ReLUDerivative(float y) => y > 0f ? 1f : 0f;

    /// <summary>The leaky ReLU's derivative from its output: 1 where <c>y &gt; 0</c>, else the slope (as PyTorch).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float LeakyReLUDerivative(float y) => y > 0f ? 1f : LeakyReLUSlope;

    /// <summary>Applies <see cref="Step(float)"/> to every element in place.</summary>
    public static void Step(Span<float> values)
#if NET8_0_OR_GREATER
        => Map<StepOperator>(values);
#else
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = Step(values[i]);
        }
    }
#endif

    /// <summary>Applies <see cref="Sigmoid(float)"/> to every element in place (vectorised).</summary>
    public static void Sigmoid(Span<float> values)
#if NET8_0_OR_GREATER
        => Map<SigmoidOperator>(values);
#else
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = Sigmoid(values[i]);
        }
    }
#endif

    /// <summary>Applies <see cref="Tanh(float)"/> to every element in place (vectorised).</summary>
    public static void Tanh(Span<float> values)
#if NET8_0_OR_GREATER
        => Map<TanhOperator>(values);
#else
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = Tanh(values[i]);
        }
    }
#endif

    /// <summary>Applies <see cref="ReLU(float)"/> to every element in place (vectorised).</summary>
    public static void ReLU(Span<float> values)
#if NET8_0_OR_GREATER
        => Map<ReLUOperator>(values);
#else
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = ReLU(values[i]);
        }
    }
#endif

    /// <summary>Applies <see cref="LeakyReLU(float)"/> to every element in place (vectorised).</summary>
    public static void LeakyReLU(Span<float> values)
#if NET8_0_OR_GREATER
        => Map<LeakyReLUOperator>(values);
#else
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = LeakyReLU(values[i]);
        }
    }
#endif

    /// <summary>
    /// Replaces the logits <paramref name="values"/> by their softmax, subtracting the maximum first so that no
    /// exponential overflows.
    /// </summary>
    public static void Softmax(Span<float> values) => SoftmaxShifted(values, Max(values));

    /// <summary>The largest value; throws on an empty span, which has no softmax.</summary>
    internal static float Max(ReadOnlySpan<float> values)
    {
        if (values.IsEmpty)
        {
            throw new ArgumentException("Softmax needs at least one value.", nameof(values));
        }

        float max = values[0];
        for (int i = 1; i < values.Length; i++)
        {
            max = MathF.Max(max, values[i]);
        }

        return max;
    }

    /// <summary>
    /// Replaces <paramref name="values"/> by <c>e^(z - max) / Σ e^(z - max)</c> and returns the sum
    /// <c>Σ e^(z - max)</c>, which lies in [1, n]: its logarithm is as small as the loss it feeds.
    /// </summary>
    internal static float SoftmaxShifted(Span<float> values, float max)
    {
#if NET8_0_OR_GREATER
        ref float start = ref MemoryMarshal.GetReference(values);
#endif
        float sum = 0f;
        int i = 0;
#if NET8_0_OR_GREATER
        if (Vector.IsHardwareAccelerated && values.Length >= Vector<float>.Count)
        {
            var shift = new Vector<float>(max);
            Vector<float> sums = Vector<float>.Zero;
            for (; i <= values.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                Vector<float> e = FloatMath.Exp(SimdMath.Load(ref start, i) - shift);
                SimdMath.Store(e, ref start, i);
                sums += e;
            }

            sum = Vector.Sum(sums);
        }
#endif

        for (; i < values.Length; i++)
        {
            float e = FloatMath.Exp(values[i] - max);
            values[i] = e;
            sum += e;
        }

        ScaleInPlace(values, 1f / sum);
        return sum;
    }

    private static void ScaleInPlace(Span<float> values, float factor)
    {
#if NET8_0_OR_GREATER
        ref float start = ref MemoryMarshal.GetReference(values);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var scale = new Vector<float>(factor);
            for (; i <= values.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                SimdMath.Store(SimdMath.Load(ref start, i) * scale, ref start, i);
            }
        }
#else
        int i = 0;
#endif

        for (; i < values.Length; i++)
        {
            values[i] *= factor;
        }
    }

    /// <summary>Multiplies <paramref name="delta"/> element-wise by <see cref="SigmoidDerivative(float)"/> of <paramref name="outputs"/>.</summary>
    public static void MultiplySigmoidDerivative(ReadOnlySpan<float> outputs, Span<float> delta)
#if NET8_0_OR_GREATER
        => MultiplyBy<SigmoidDerivativeOperator>(outputs, delta);
#else
    {
        Guard.SameLength(outputs, delta, nameof(delta));
        for (int i = 0; i < delta.Length; i++)
        {
            delta[i] *= SigmoidDerivative(outputs[i]);
        }
    }
#endif

    /// <summary>Multiplies <paramref name="delta"/> element-wise by <see cref="TanhDerivative(float)"/> of <paramref name="outputs"/>.</summary>
    public static void MultiplyTanhDerivative(ReadOnlySpan<float> outputs, Span<float> delta)
#if NET8_0_OR_GREATER
        => MultiplyBy<TanhDerivativeOperator>(outputs, delta);
#else
    {
        Guard.SameLength(outputs, delta, nameof(delta));
        for (int i = 0; i < delta.Length; i++)
        {
            delta[i] *= TanhDerivative(outputs[i]);
        }
    }
#endif

    /// <summary>Multiplies <paramref name="delta"/> element-wise by <see cref="ReLUDerivative(float)"/> of <paramref name="outputs"/>.</summary>
    public static void MultiplyReLUDerivative(ReadOnlySpan<float> outputs, Span<float> delta)
#if NET8_0_OR_GREATER
        => MultiplyBy<ReLUDerivativeOperator>(outputs, delta);
#else
    {
        Guard.SameLength(outputs, delta, nameof(delta));
        for (int i = 0; i < delta.Length; i++)
        {
            delta[i] *= ReLUDerivative(outputs[i]);
        }
    }
#endif

    /// <summary>Multiplies <paramref name="delta"/> element-wise by <see cref="LeakyReLUDerivative(float)"/> of <paramref name="outputs"/>.</summary>
    public static void MultiplyLeakyReLUDerivative(ReadOnlySpan<float> outputs, Span<float> delta)
#if NET8_0_OR_GREATER
        => MultiplyBy<LeakyReLUDerivativeOperator>(outputs, delta);
#else
    {
        Guard.SameLength(outputs, delta, nameof(delta));
        for (int i = 0; i < delta.Length; i++)
        {
            delta[i] *= LeakyReLUDerivative(outputs[i]);
        }
    }
#endif

    /// <summary>
    /// Turns the gradient with respect to softmax outputs <paramref name="outputs"/> into the gradient with respect to
    /// its logits, in place: <c>delta_i ← y_i (delta_i - Σ_j delta_j y_j)</c> (the Jacobian-vector product).
    /// </summary>
    public static void MultiplySoftmaxJacobian(ReadOnlySpan<float> outputs, Span<float> delta)
    {
        Guard.SameLength(outputs, delta, nameof(delta));
        float dot = 0f;
        for (int i = 0; i < delta.Length; i++)
        {
            dot += delta[i] * outputs[i];
        }

        for (int i = 0; i < delta.Length; i++)
        {
            delta[i] = outputs[i] * (delta[i] - dot);
        }
    }

#if NET8_0_OR_GREATER
    /// <summary>Applies an element-wise operator in place: whole vectors first, then the scalar tail.</summary>
    private static void Map<TOperator>(Span<float> values)
        where TOperator : IElementwiseOperator
    {
        ref float start = ref MemoryMarshal.GetReference(values);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= values.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                SimdMath.Store(TOperator.Apply(SimdMath.Load(ref start, i)), ref start, i);
            }
        }

        for (; i < values.Length; i++)
        {
            Unsafe.Add(ref start, i) = TOperator.Apply(Unsafe.Add(ref start, i));
        }
    }

    /// <summary><c>delta ← delta ⊙ f'(outputs)</c> for a derivative operator.</summary>
    private static void MultiplyBy<TDerivative>(ReadOnlySpan<float> outputs, Span<float> delta)
        where TDerivative : IElementwiseOperator
    {
        Guard.SameLength(outputs, delta, nameof(delta));
        ref float y = ref MemoryMarshal.GetReference(outputs);
        ref float d = ref MemoryMarshal.GetReference(delta);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= delta.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                SimdMath.Store(SimdMath.Load(ref d, i) * TDerivative.Apply(SimdMath.Load(ref y, i)), ref d, i);
            }
        }

        for (; i < delta.Length; i++)
        {
            Unsafe.Add(ref d, i) *= TDerivative.Apply(Unsafe.Add(ref y, i));
        }
    }

    /// <summary>A function applied per element, with a scalar and a vector form that agree.</summary>
    private interface IElementwiseOperator
    {
        static abstract float Apply(float x);

        static abstract Vector<float> Apply(Vector<float> x);
    }

    /// <summary>1 per lane above zero, else 0: Step, and ReLU's derivative read from its outputs.</summary>
    private static Vector<float> Heaviside(Vector<float> x)
        => Vector.ConditionalSelect(Vector.GreaterThan(x, Vector<float>.Zero), Vector<float>.One, Vector<float>.Zero);

    private readonly struct StepOperator : IElementwiseOperator
    {
        public static float Apply(float x) => Step(x);

        public static Vector<float> Apply(Vector<float> x)
            => Heaviside(x);
    }

    private readonly struct SigmoidOperator : IElementwiseOperator
    {
        public static float Apply(float x) => Sigmoid(x);

        public static Vector<float> Apply(Vector<float> x) => FloatMath.Sigmoid(x);
    }

    private readonly struct TanhOperator : IElementwiseOperator
    {
        public static float Apply(float x) => FloatMath.Tanh(x);

        public static Vector<float> Apply(Vector<float> x) => FloatMath.Tanh(x);
    }

    private readonly struct ReLUOperator : IElementwiseOperator
    {
        public static float Apply(float x) => ReLU(x);

        public static Vector<float> Apply(Vector<float> x)
            => Vector.ConditionalSelect(Vector.GreaterThan(x, Vector<float>.Zero), x, Vector<float>.Zero);
    }

    private readonly struct LeakyReLUOperator : IElementwiseOperator
    {
        public static float Apply(float x) => LeakyReLU(x);

        public static Vector<float> Apply(Vector<float> x)
            => Vector.ConditionalSelect(Vector.GreaterThan(x, Vector<float>.Zero), x, x * new Vector<float>(LeakyReLUSlope));
    }

    private readonly struct SigmoidDerivativeOperator : IElementwiseOperator
    {
        public static float Apply(float y) => SigmoidDerivative(y);

        public static Vector<float> Apply(Vector<float> y) => y * (Vector<float>.One - y);
    }

    private readonly struct TanhDerivativeOperator : IElementwiseOperator
    {
        public static float Apply(float y) => TanhDerivative(y);

        public static Vector<float> Apply(Vector<float> y) => Vector<float>.One - (y * y);
    }

    private readonly struct ReLUDerivativeOperator : IElementwiseOperator
    {
        public static float Apply(float y) => ReLUDerivative(y);

        public static Vector<float> Apply(Vector<float> y)
            => Heaviside(y);
    }

    private readonly struct LeakyReLUDerivativeOperator : IElementwiseOperator
    {
        public static float Apply(float y) => LeakyReLUDerivative(y);

        public static Vector<float> Apply(Vector<float> y)
            => Vector.ConditionalSelect(Vector.GreaterThan(y, Vector<float>.Zero), Vector<float>.One, new Vector<float>(LeakyReLUSlope));
    }
#endif
}
