namespace NetGen.Training;

/// <summary>
/// Exponential decay, as <c>torch.optim.lr_scheduler.ExponentialLR</c>: the rate is multiplied by
/// <see cref="Gamma"/> every epoch, <c>lr = initial · γ^epoch</c>.
/// </summary>
/// <example>
/// <code>
/// var schedule = new ExponentialSchedule(0.1, gamma: 0.8);   // 0.1, 0.08, 0.064, ...
/// </code>
/// </example>
public sealed class ExponentialSchedule : LearningRateSchedule
{
    /// <summary>Creates an exponential decay.</summary>
    /// <param name="initialLearningRate">The rate of the first epoch; PyTorch's <c>base_lr</c>.</param>
    /// <param name="gamma">The factor applied every epoch; PyTorch's <c>gamma</c>.</param>
    /// <exception cref="System.ArgumentOutOfRangeException">
    /// <paramref name="initialLearningRate"/> is negative or not finite, or <paramref name="gamma"/> is not a finite
    /// number above 0.
    /// </exception>
    public ExponentialSchedule(double initialLearningRate, double gamma)
        : base(initialLearningRate)
        => Gamma = Hyperparameters.Positive(gamma, nameof(gamma));

    /// <summary>The factor applied every epoch.</summary>
    public double Gamma { get; }

    private protected override double Compute(int epoch) => InitialLearningRate * System.Math.Pow(Gamma, epoch);
}
