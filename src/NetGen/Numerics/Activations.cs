using System;
using System.Runtime.CompilerServices;

namespace NetGen.Numerics;

/// <summary>
/// The activation functions and their derivatives, as scalars (inlined into generated straight-line code) and over
/// whole spans (called by generated loop code). Derivatives are expressed through the activation's output
/// <c>y</c> wherever that is exact, so the backward pass never has to keep pre-activations.
/// </summary>
public static class Activations
{
    /// <summary>The negative slope of <see cref="Activation.LeakyReLU"/> (PyTorch's default).</summary>
    public const float LeakyReLUSlope = 0.01f;

    /// <summary><c>x &gt; 0 ? 1 : 0</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Step(float x) => x > 0f ? 1f : 0f;

    /// <summary>The logistic sigmoid, evaluated so that <c>e^x</c> never overflows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sigmoid(float x)
    {
        if (x >= 0f)
        {
            return 1f / (1f + MathF.Exp(-x));
        }

        float e = MathF.Exp(x);
        return e / (1f + e);
    }

    /// <summary>The hyperbolic tangent.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Tanh(float x) => MathF.Tanh(x);

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
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = Step(values[i]);
        }
    }

    /// <summary>Applies <see cref="Sigmoid(float)"/> to every element in place.</summary>
    public static void Sigmoid(Span<float> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = Sigmoid(values[i]);
        }
    }

    /// <summary>Applies <see cref="Tanh(float)"/> to every element in place.</summary>
    public static void Tanh(Span<float> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = MathF.Tanh(values[i]);
        }
    }

    /// <summary>Applies <see cref="ReLU(float)"/> to every element in place.</summary>
    public static void ReLU(Span<float> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = ReLU(values[i]);
        }
    }

    /// <summary>Applies <see cref="LeakyReLU(float)"/> to every element in place.</summary>
    public static void LeakyReLU(Span<float> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = LeakyReLU(values[i]);
        }
    }

    /// <summary>
    /// Replaces the logits <paramref name="values"/> by their softmax, subtracting the maximum first so that no
    /// exponential overflows, and returns the log-sum-exp of the logits.
    /// </summary>
    public static float Softmax(Span<float> values)
    {
        float max = Max(values);
        return max + SoftmaxShifted(values, max);
    }

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
    /// Replaces <paramref name="values"/> by <c>e^(z - max) / Σ e^(z - max)</c> and returns <c>ln Σ e^(z - max)</c>,
    /// which stays as small as the loss it feeds (the sum is at least 1).
    /// </summary>
    internal static float SoftmaxShifted(Span<float> values, float max)
    {
        float sum = 0f;
        for (int i = 0; i < values.Length; i++)
        {
            float e = MathF.Exp(values[i] - max);
            values[i] = e;
            sum += e;
        }

        float inverse = 1f / sum;
        for (int i = 0; i < values.Length; i++)
        {
            values[i] *= inverse;
        }

        return MathF.Log(sum);
    }

    /// <summary>Multiplies <paramref name="delta"/> element-wise by <see cref="SigmoidDerivative(float)"/> of <paramref name="outputs"/>.</summary>
    public static void MultiplySigmoidDerivative(ReadOnlySpan<float> outputs, Span<float> delta)
    {
        Guard.SameLength(outputs, delta, nameof(delta));
        for (int i = 0; i < delta.Length; i++)
        {
            delta[i] *= SigmoidDerivative(outputs[i]);
        }
    }

    /// <summary>Multiplies <paramref name="delta"/> element-wise by <see cref="TanhDerivative(float)"/> of <paramref name="outputs"/>.</summary>
    public static void MultiplyTanhDerivative(ReadOnlySpan<float> outputs, Span<float> delta)
    {
        Guard.SameLength(outputs, delta, nameof(delta));
        for (int i = 0; i < delta.Length; i++)
        {
            delta[i] *= TanhDerivative(outputs[i]);
        }
    }

    /// <summary>Multiplies <paramref name="delta"/> element-wise by <see cref="ReLUDerivative(float)"/> of <paramref name="outputs"/>.</summary>
    public static void MultiplyReLUDerivative(ReadOnlySpan<float> outputs, Span<float> delta)
    {
        Guard.SameLength(outputs, delta, nameof(delta));
        for (int i = 0; i < delta.Length; i++)
        {
            delta[i] = outputs[i] > 0f ? delta[i] : 0f;
        }
    }

    /// <summary>Multiplies <paramref name="delta"/> element-wise by <see cref="LeakyReLUDerivative(float)"/> of <paramref name="outputs"/>.</summary>
    public static void MultiplyLeakyReLUDerivative(ReadOnlySpan<float> outputs, Span<float> delta)
    {
        Guard.SameLength(outputs, delta, nameof(delta));
        for (int i = 0; i < delta.Length; i++)
        {
            delta[i] *= LeakyReLUDerivative(outputs[i]);
        }
    }

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
}
