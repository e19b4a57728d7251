namespace NetGen.Training;

/// <summary>
/// Step decay, as <c>torch.optim.lr_scheduler.StepLR</c>: the rate is multiplied by <see cref="Gamma"/> every
/// <see cref="StepSize"/> epochs, <c>lr = initial · γ^⌊epoch / stepSize⌋</c>.
/// </summary>
/// <example>
/// <code>
/// var schedule = new StepSchedule(0.1, stepSize: 3, gamma: 0.5);   // 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, ...
/// </code>
/// </example>
public sealed class StepSchedule : LearningRateSchedule
{
    /// <summary>Creates a step decay.</summary>
    /// <param name="initialLearningRate">The rate of the first <paramref name="stepSize"/> epochs; PyTorch's <c>base_lr</c>.</param>
    /// <param name="stepSize">The number of epochs between decays; PyTorch's <c>step_size</c>.</param>
    /// <param name="gamma">The factor applied at each decay; PyTorch's <c>gamma</c> (default 0.1, as there).</param>
    /// <exception cref="System.ArgumentOutOfRangeException">
    /// <paramref name="initialLearningRate"/> is negative or not finite, <paramref name="stepSize"/> is below 1, or
    /// <paramref name="gamma"/> is not a finite number above 0.
    /// </exception>
    public StepSchedule(double initialLearningRate, int stepSize, double gamma = 0.1)
        : base(initialLearningRate)
    {
        StepSize = Hyperparameters.Positive(stepSize, nameof(stepSize));
        Gamma = Hyperparameters.Positive(gamma, nameof(gamma));
    }

    /// <summary>The number of epochs between decays.</summary>
    public int StepSize { get; }

    /// <summary>The factor applied at each decay.</summary>
    public double Gamma { get; }

    private protected override double Compute(int epoch) => InitialLearningRate * System.Math.Pow(Gamma, epoch / StepSize);
}
