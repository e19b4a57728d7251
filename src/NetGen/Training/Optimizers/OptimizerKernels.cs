using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static NetGen.Numerics.SimdMath;

namespace NetGen.Training;

/// <summary>
/// The element-wise updates of the optimizers, one pass over the spans each: <see cref="Vector{T}"/> over the body,
/// the same arithmetic in scalars over the tail. The caller has checked that all spans have the same length. Each
/// kernel follows the order of operations of the matching <c>torch.optim</c> step (PyTorch 1.13), reading the
/// gradient as <c>gradientScale · g</c> (the batch mean, times the clipping factor) without writing it back.
/// </summary>
internal static class OptimizerKernels
{
    /// <summary><c>values *= factor</c>.</summary>
    public static void Scale(Span<float> values, float factor)
    {
#if NET8_0_OR_GREATER
        ref float x = ref MemoryMarshal.GetReference(values);
        int length = values.Length;
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            Vector<float> f = new(factor);
            for (; i <= length - Vector<float>.Count; i += Vector<float>.Count)
            {
                Store(Load(ref x, i) * f, ref x, i);
            }
        }

        for (; i < length; i++)
        {
            Unsafe.Add(ref x, i) *= factor;
        }
#else
        for (int i = 0; i < values.Length; i++)
        {
            values[i] *= factor;
        }
#endif
    }

    /// <summary>
    /// <c>p += scale · g</c>, then <c>g = 0</c>, in one pass: the static <see cref="Sgd.Step{TNetwork}(TNetwork, float, int)"/>
    /// and its gradient reset, which would otherwise read and write the gradients twice (for mnist, 400 KB each).
    /// The same arithmetic as <see cref="Numerics.DenseKernels.MultiplyAddTo"/>.
    /// </summary>
    public static void UpdateAndClear(Span<float> parameters, Span<float> gradients, float scale)
    {
#if NET8_0_OR_GREATER
        ref float p = ref MemoryMarshal.GetReference(parameters);
        ref float g = ref MemoryMarshal.GetReference(gradients);
        int length = parameters.Length;
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            Vector<float> factor = new(scale);
            for (; i <= length - Vector<float>.Count; i += Vector<float>.Count)
            {
                Store(FusedMultiplyAdd(Load(ref g, i), factor, Load(ref p, i)), ref p, i);
                Store(Vector<float>.Zero, ref g, i);
            }
        }

        for (; i < length; i++)
        {
            Unsafe.Add(ref p, i) += scale * Unsafe.Add(ref g, i);
            Unsafe.Add(ref g, i) = 0f;
        }
#else
        for (int i = 0; i < parameters.Length; i++)
        {
            parameters[i] += scale * gradients[i];
            gradients[i] = 0f;
        }
#endif
    }

    /// <summary>
    /// SGD without momentum, <c>torch.optim.SGD</c>: <c>d = s·g + λ·p</c>, <c>p -= lr·d</c>.
    /// </summary>
    public static void Sgd(Span<float> parameters, ReadOnlySpan<float> gradients, float gradientScale, float learningRate, float weightDecay)
    {
#if NET8_0_OR_GREATER
        ref float p = ref MemoryMarshal.GetReference(parameters);
        ref float g = ref MemoryMarshal.GetReference(gradients);
        float negativeRate = -learningRate;
        int length = parameters.Length;
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            Vector<float> scale = new(gradientScale), decay = new(weightDecay), rate = new(negativeRate);
            for (; i <= length - Vector<float>.Count; i += Vector<float>.Count)
            {
                Vector<float> pv = Load(ref p, i);
                Vector<float> d = FusedMultiplyAdd(pv, decay, Load(ref g, i) * scale);
                Store(FusedMultiplyAdd(d, rate, pv), ref p, i);
            }
        }

        for (; i < length; i++)
        {
            ref float pi = ref Unsafe.Add(ref p, i);
            float d = FusedMultiplyAdd(pi, weightDecay, Unsafe.Add(ref g, i) * gradientScale);
            pi = FusedMultiplyAdd(d, negativeRate, pi);
        }
#else
        float negativeRate = -learningRate;
        for (int i = 0; i < parameters.Length; i++)
        {
            ref float pi = ref parameters[i];
            float d = FusedMultiplyAdd(pi, weightDecay, gradients[i] * gradientScale);
            pi = FusedMultiplyAdd(d, negativeRate, pi);
        }
#endif
    }

    /// <summary>
    /// SGD with momentum <c>μ</c> and no dampening, <c>torch.optim.SGD</c>: <c>d = s·g + λ·p</c>, <c>b = μ·b + d</c>
    /// (the first step, from <c>b = 0</c>, gives PyTorch's <c>b = d</c>), then <c>p -= lr·(d + μ·b)</c> for Nesterov
    /// momentum or <c>p -= lr·b</c> otherwise.
    /// </summary>
    public static void SgdMomentum(
        Span<float> parameters, ReadOnlySpan<float> gradients, Span<float> velocity,
        float gradientScale, float learningRate, float weightDecay, float momentum, bool nesterov)
    {
#if NET8_0_OR_GREATER
        ref float p = ref MemoryMarshal.GetReference(parameters);
        ref float g = ref MemoryMarshal.GetReference(gradients);
        ref float b = ref MemoryMarshal.GetReference(velocity);
        float negativeRate = -learningRate;

        // The direction is d·dWeight + b·bWeight: (1, μ) with Nesterov momentum, (0, 1) without, exactly b in that case.
        float directionWeight = nesterov ? 1f : 0f;
        float velocityWeight = nesterov ? momentum : 1f;
        int length = parameters.Length;
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            Vector<float> scale = new(gradientScale), decay = new(weightDecay), rate = new(negativeRate), mu = new(momentum);
            Vector<float> dWeight = new(directionWeight), bWeight = new(velocityWeight);
            for (; i <= length - Vector<float>.Count; i += Vector<float>.Count)
            {
                Vector<float> pv = Load(ref p, i);
                Vector<float> d = FusedMultiplyAdd(pv, decay, Load(ref g, i) * scale);
                Vector<float> bv = (Load(ref b, i) * mu) + d;
                Store(bv, ref b, i);
                Vector<float> direction = FusedMultiplyAdd(bv, bWeight, d * dWeight);
                Store(FusedMultiplyAdd(direction, rate, pv), ref p, i);
            }
        }

        for (; i < length; i++)
        {
            ref float pi = ref Unsafe.Add(ref p, i);
            ref float bi = ref Unsafe.Add(ref b, i);
            float d = FusedMultiplyAdd(pi, weightDecay, Unsafe.Add(ref g, i) * gradientScale);
            bi = (bi * momentum) + d;
            float direction = FusedMultiplyAdd(bi, velocityWeight, d * directionWeight);
            pi = FusedMultiplyAdd(direction, negativeRate, pi);
        }
#else
        float negativeRate = -learningRate;
        float directionWeight = nesterov ? 1f : 0f;
        float velocityWeight = nesterov ? momentum : 1f;
        for (int i = 0; i < parameters.Length; i++)
        {
            ref float pi = ref parameters[i];
            ref float bi = ref velocity[i];
            float d = FusedMultiplyAdd(pi, weightDecay, gradients[i] * gradientScale);
            bi = (bi * momentum) + d;
            float direction = FusedMultiplyAdd(bi, velocityWeight, d * directionWeight);
            pi = FusedMultiplyAdd(direction, negativeRate, pi);
        }
#endif
    }

    /// <summary>
    /// Adam and AdamW, <c>torch.optim.Adam</c>/<c>AdamW</c> without amsgrad: <c>p *= decoupledDecay</c> (AdamW's
    /// <c>1 - lr·λ</c>, 1 for Adam), <c>d = s·g + λ·p</c> (Adam's L2 term, λ = 0 for AdamW),
    /// <c>m = β₁·m + (1 - β₁)·d</c>, <c>v = β₂·v + (1 - β₂)·d²</c>, then
    /// <c>p -= stepSize · m / (√v / √(1 - β₂ᵗ) + ε)</c> with <c>stepSize = lr / (1 - β₁ᵗ)</c>.
    /// </summary>
    public static void Adam(
        Span<float> parameters, ReadOnlySpan<float> gradients, Span<float> firstMoment, Span<float> secondMoment,
        in AdamScalars scalars)
    {
#if NET8_0_OR_GREATER
        ref float p = ref MemoryMarshal.GetReference(parameters);
        ref float g = ref MemoryMarshal.GetReference(gradients);
        ref float m = ref MemoryMarshal.GetReference(firstMoment);
        ref float v = ref MemoryMarshal.GetReference(secondMoment);
        AdamScalars s = scalars;
        float negativeStep = -s.StepSize;
        int length = parameters.Length;
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            Vector<float> scale = new(s.GradientScale), l2 = new(s.L2Decay), keep = new(s.DecoupledDecay);
            Vector<float> beta1 = new(s.Beta1), oneMinusBeta1 = new(s.OneMinusBeta1);
            Vector<float> beta2 = new(s.Beta2), oneMinusBeta2 = new(s.OneMinusBeta2);
            Vector<float> correction2 = new(s.SqrtBiasCorrection2), epsilon = new(s.Epsilon), step = new(negativeStep);
            for (; i <= length - Vector<float>.Count; i += Vector<float>.Count)
            {
                Vector<float> pv = Load(ref p, i) * keep;
                Vector<float> d = FusedMultiplyAdd(pv, l2, Load(ref g, i) * scale);
                Vector<float> mv = FusedMultiplyAdd(d, oneMinusBeta1, Load(ref m, i) * beta1);
                Vector<float> vv = FusedMultiplyAdd(d * oneMinusBeta2, d, Load(ref v, i) * beta2);
                Store(mv, ref m, i);
                Store(vv, ref v, i);
                Vector<float> denominator = (Vector.SquareRoot(vv) / correction2) + epsilon;
                Store(FusedMultiplyAdd(mv / denominator, step, pv), ref p, i);
            }
        }

        for (; i < length; i++)
        {
            ref float pi = ref Unsafe.Add(ref p, i);
            ref float mi = ref Unsafe.Add(ref m, i);
            ref float vi = ref Unsafe.Add(ref v, i);
            float pk = pi * s.DecoupledDecay;
            float d = FusedMultiplyAdd(pk, s.L2Decay, Unsafe.Add(ref g, i) * s.GradientScale);
            mi = FusedMultiplyAdd(d, s.OneMinusBeta1, mi * s.Beta1);
            vi = FusedMultiplyAdd(d * s.OneMinusBeta2, d, vi * s.Beta2);
            float denominator = (MathF.Sqrt(vi) / s.SqrtBiasCorrection2) + s.Epsilon;
            pi = FusedMultiplyAdd(mi / denominator, negativeStep, pk);
        }
#else
        AdamScalars s = scalars;
        float negativeStep = -s.StepSize;
        for (int i = 0; i < parameters.Length; i++)
        {
            ref float pi = ref parameters[i];
            ref float mi = ref firstMoment[i];
            ref float vi = ref secondMoment[i];
            float pk = pi * s.DecoupledDecay;
            float d = FusedMultiplyAdd(pk, s.L2Decay, gradients[i] * s.GradientScale);
            mi = FusedMultiplyAdd(d, s.OneMinusBeta1, mi * s.Beta1);
            vi = FusedMultiplyAdd(d * s.OneMinusBeta2, d, vi * s.Beta2);
            float denominator = (MathF.Sqrt(vi) / s.SqrtBiasCorrection2) + s.Epsilon;
            pi = FusedMultiplyAdd(mi / denominator, negativeStep, pk);
        }
#endif
    }

    /// <summary>The per-step scalars of <see cref="Adam"/>, each rounded once to float from its double computation.</summary>
    internal readonly struct AdamScalars
    {
        public float GradientScale { get; init; }

        public float L2Decay { get; init; }

        public float DecoupledDecay { get; init; }

        public float Beta1 { get; init; }

        public float OneMinusBeta1 { get; init; }

        public float Beta2 { get; init; }

        public float OneMinusBeta2 { get; init; }

        public float SqrtBiasCorrection2 { get; init; }

        public float Epsilon { get; init; }

        public float StepSize { get; init; }
    }
}
