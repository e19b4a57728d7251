using System;
using NetGen.Numerics;

namespace NetGen.Training;

/// <summary>
/// Gradient clipping by global L2 norm, as <c>torch.nn.utils.clip_grad_norm_</c>: the whole gradient vector is scaled
/// by <c>min(1, maxNorm / (norm + 1e-6))</c>. Optimizers do this themselves when
/// <see cref="Optimizer.MaxGradientNorm"/> is set (without writing the gradients); these methods are for custom loops.
/// </summary>
/// <example>
/// <code>
/// foreach (var (x, t) in batch) net.Backward(x, t);
/// float norm = GradientClipping.ClipByGlobalNorm(net.Gradients, maxNorm: 1f * batch.Count); // the sum's norm
/// Sgd.Step(net, learningRate: 0.1f, batchSize: batch.Count);
/// </code>
/// </example>
public static class GradientClipping
{
    /// <summary>The <c>1e-6</c> that <c>clip_grad_norm_</c> adds to the norm before dividing by it.</summary>
    internal const float ClippingEpsilon = 1e-6f;

    /// <summary>The L2 norm <c>√Σ g²</c> of <paramref name="gradients"/> (0 for an empty span), in float32 like PyTorch's.</summary>
    /// <param name="gradients">The values to measure.</param>
    public static float GlobalNorm(ReadOnlySpan<float> gradients) => MathF.Sqrt(DenseKernels.Dot(gradients, gradients));

    /// <summary>
    /// Scales <paramref name="gradients"/> in place by <c>min(1, maxNorm / (norm + 1e-6))</c> and returns the norm
    /// measured before scaling, as <c>torch.nn.utils.clip_grad_norm_</c> does.
    /// </summary>
    /// <param name="gradients">The gradients to clip.</param>
    /// <param name="maxNorm">The largest norm to leave unscaled.</param>
    /// <returns>The L2 norm of <paramref name="gradients"/> before clipping.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxNorm"/> is not a finite number above 0.</exception>
    public static float ClipByGlobalNorm(Span<float> gradients, float maxNorm)
    {
        Hyperparameters.Positive(maxNorm, nameof(maxNorm));
        float norm = GlobalNorm(gradients);
        float coefficient = maxNorm / (norm + ClippingEpsilon);
        if (coefficient < 1f)
        {
            OptimizerKernels.Scale(gradients, coefficient);
        }

        return norm;
    }
}
