using System;

namespace NetGen.Training;

/// <summary>
/// Adam (Kingma and Ba), as <c>torch.optim.Adam</c> without amsgrad: moment estimates
/// <c>m = β₁·m + (1 - β₁)·d</c> and <c>v = β₂·v + (1 - β₂)·d²</c> of the gradient <c>d = g + λ·p</c>, and the update
/// <c>p -= lr / (1 - β₁ᵗ) · m / (√v / √(1 - β₂ᵗ) + ε)</c> at step <c>t</c> (ε added after the square root of the
/// bias-corrected second moment, as PyTorch does).
/// </summary>
/// <remarks>
/// Weight decay here is PyTorch's Adam <c>weight_decay</c>: an L2 term added to the gradient, which the moments then
/// rescale. For weight decay that does not pass through the moments use <see cref="AdamW"/>. Both moment buffers are
/// allocated by the constructor; see <see cref="Optimizer"/> for the mini-batch contract.
/// </remarks>
/// <example>
/// <code>
/// var optimizer = new Adam(MyNet.ParameterCount, learningRate: 1e-3);
/// foreach (var (x, t) in batch) net.Backward(x, t);
/// optimizer.Step(net, batch.Count);   // Adam step on the mean gradient, then zero the gradients
/// </code>
/// </example>
public sealed class Adam : Optimizer
{
    private readonly AdamMoments moments;

    /// <summary>Creates Adam for <paramref name="parameterCount"/> parameters; the defaults are PyTorch's.</summary>
    /// <param name="parameterCount">The number of parameters to optimize, e.g. <c>MyNet.ParameterCount</c>.</param>
    /// <param name="learningRate">The initial <see cref="Optimizer.LearningRate"/>; PyTorch's <c>lr</c>.</param>
    /// <param name="beta1">The first moment's decay <c>β₁</c>, in [0, 1); PyTorch's <c>betas[0]</c>.</param>
    /// <param name="beta2">The second moment's decay <c>β₂</c>, in [0, 1); PyTorch's <c>betas[1]</c>.</param>
    /// <param name="epsilon">The <c>ε</c> added to the denominator; PyTorch's <c>eps</c>.</param>
    /// <param name="weightDecay">The L2 penalty <c>λ</c> added to the gradient as <c>λ·p</c>; PyTorch's <c>weight_decay</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="parameterCount"/> is below 1, <paramref name="beta1"/> or <paramref name="beta2"/> is outside
    /// [0, 1), or another value is negative, NaN or infinite.
    /// </exception>
    public Adam(int parameterCount, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 0)
        : base(parameterCount, learningRate)
    {
        Beta1 = Hyperparameters.DecayRate(beta1, nameof(beta1));
        Beta2 = Hyperparameters.DecayRate(beta2, nameof(beta2));
        Epsilon = Hyperparameters.NonNegative(epsilon, nameof(epsilon));
        WeightDecay = Hyperparameters.NonNegative(weightDecay, nameof(weightDecay));
        moments = new AdamMoments(parameterCount);
    }

    /// <summary>The first moment's decay <c>β₁</c>.</summary>
    public double Beta1 { get; }

    /// <summary>The second moment's decay <c>β₂</c>.</summary>
    public double Beta2 { get; }

    /// <summary>The <c>ε</c> added to the denominator.</summary>
    public double Epsilon { get; }

    /// <summary>The L2 weight decay <c>λ</c> added to the gradient.</summary>
    public double WeightDecay { get; }

    private protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradients, float gradientScale, int offset)
        => moments.Update(parameters, gradients, offset, gradientScale, StepCount, LearningRate, Beta1, Beta2, Epsilon, l2Decay: WeightDecay, decoupledDecay: 0);

    private protected override void ClearState() => moments.Clear();
}
