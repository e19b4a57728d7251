using System;

namespace NetGen.Training;

/// <summary>
/// AdamW (Loshchilov and Hutter), as <c>torch.optim.AdamW</c> without amsgrad: <see cref="Adam"/> with decoupled
/// weight decay. Each step first shrinks the parameters, <c>p *= 1 - lr·λ</c>, then applies Adam's update to the
/// plain gradient.
/// </summary>
/// <remarks>
/// The default weight decay is PyTorch's, 0.01. Both moment buffers are allocated by the constructor; see
/// <see cref="Optimizer"/> for the mini-batch contract.
/// </remarks>
/// <example>
/// <code>
/// var optimizer = new AdamW(MyNet.ParameterCount, learningRate: 1e-3, weightDecay: 0.05);
/// net.Backward(input, target);
/// optimizer.Step(net);   // p *= 1 - 1e-3 · 0.05, Adam step, then zero the gradients
/// </code>
/// </example>
public sealed class AdamW : Optimizer
{
    private readonly AdamMoments moments;

    /// <summary>Creates AdamW for <paramref name="parameterCount"/> parameters; the defaults are PyTorch's.</summary>
    /// <param name="parameterCount">The number of parameters to optimize, e.g. <c>MyNet.ParameterCount</c>.</param>
    /// <param name="learningRate">The initial <see cref="Optimizer.LearningRate"/>; PyTorch's <c>lr</c>.</param>
    /// <param name="beta1">The first moment's decay <c>β₁</c>, in [0, 1); PyTorch's <c>betas[0]</c>.</param>
    /// <param name="beta2">The second moment's decay <c>β₂</c>, in [0, 1); PyTorch's <c>betas[1]</c>.</param>
    /// <param name="epsilon">The <c>ε</c> added to the denominator; PyTorch's <c>eps</c>.</param>
    /// <param name="weightDecay">The decoupled decay <c>λ</c>: each step multiplies the parameters by <c>1 - lr·λ</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="parameterCount"/> is below 1, <paramref name="beta1"/> or <paramref name="beta2"/> is outside
    /// [0, 1), or another value is negative, NaN or infinite.
    /// </exception>
    public AdamW(int parameterCount, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 1e-2)
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

    /// <summary>The decoupled weight decay <c>λ</c>.</summary>
    public double WeightDecay { get; }

    private protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradients, float gradientScale, int offset)
        => moments.Update(parameters, gradients, offset, gradientScale, StepCount, LearningRate, Beta1, Beta2, Epsilon, l2Decay: 0, decoupledDecay: WeightDecay);

    private protected override void ClearState() => moments.Clear();
}
