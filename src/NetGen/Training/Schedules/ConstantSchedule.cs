namespace NetGen.Training;

/// <summary>The same learning rate at every epoch (no scheduler, in PyTorch terms).</summary>
/// <example>
/// <code>
/// var schedule = new ConstantSchedule(0.01);   // 0.01, 0.01, 0.01, ...
/// </code>
/// </example>
public sealed class ConstantSchedule : LearningRateSchedule
{
    /// <summary>Creates a schedule that always returns <paramref name="learningRate"/>.</summary>
    /// <param name="learningRate">The learning rate.</param>
    /// <exception cref="System.ArgumentOutOfRangeException"><paramref name="learningRate"/> is negative, NaN or infinite.</exception>
    public ConstantSchedule(double learningRate)
        : base(Hyperparameters.NonNegative(learningRate, nameof(learningRate)))
    {
    }

    private protected override double Compute(int epoch) => InitialLearningRate;
}
