namespace NetGen.Training;

/// <summary>
/// Cosine annealing, as <c>torch.optim.lr_scheduler.CosineAnnealingLR</c> (closed form):
/// <c>lr = min + (initial - min) · (1 + cos(π · epoch / period)) / 2</c>, from the initial rate at epoch 0 down to
/// <see cref="MinimumLearningRate"/> at epoch <see cref="Period"/>.
/// </summary>
/// <remarks>
/// As in PyTorch, the curve does not stop at the minimum: past <see cref="Period"/> the rate rises again along the
/// same cosine and is back at the initial rate at <c>2 · period</c>. Set the period to the number of epochs trained
/// to anneal once.
/// </remarks>
/// <example>
/// <code>
/// var schedule = new CosineAnnealingSchedule(0.1, period: 100, minimumLearningRate: 1e-4);
/// </code>
/// </example>
public sealed class CosineAnnealingSchedule : LearningRateSchedule
{
    /// <summary>Creates a cosine annealing schedule.</summary>
    /// <param name="initialLearningRate">The rate at epoch 0; PyTorch's <c>base_lr</c>.</param>
    /// <param name="period">The number of epochs from the initial to the minimum rate; PyTorch's <c>T_max</c>.</param>
    /// <param name="minimumLearningRate">The rate reached at epoch <paramref name="period"/>; PyTorch's <c>eta_min</c>.</param>
    /// <exception cref="System.ArgumentOutOfRangeException">
    /// <paramref name="initialLearningRate"/> or <paramref name="minimumLearningRate"/> is negative, NaN or infinite,
    /// or <paramref name="period"/> is below 1.
    /// </exception>
    public CosineAnnealingSchedule(double initialLearningRate, int period, double minimumLearningRate = 0)
        : base(initialLearningRate)
    {
        Period = Hyperparameters.Positive(period, nameof(period));
        MinimumLearningRate = Hyperparameters.NonNegative(minimumLearningRate, nameof(minimumLearningRate));
    }

    /// <summary>The number of epochs from the initial to the minimum rate.</summary>
    public int Period { get; }

    /// <summary>The rate reached at epoch <see cref="Period"/>.</summary>
    public double MinimumLearningRate { get; }

    private protected override double Compute(int epoch)
        => MinimumLearningRate
            + ((InitialLearningRate - MinimumLearningRate) * (1 + System.Math.Cos(System.Math.PI * epoch / Period)) / 2);
}
