using System;

namespace NetGen.Training;

/// <summary>
/// A learning rate as a function of the epoch: <see cref="ConstantSchedule"/>, <see cref="StepSchedule"/>,
/// <see cref="ExponentialSchedule"/> or <see cref="CosineAnnealingSchedule"/>, with the closed-form formulas of
/// <c>torch.optim.lr_scheduler</c>.
/// </summary>
/// <remarks>
/// <para>
/// A schedule holds no state and never advances by itself: <see cref="LearningRateAt"/> is a pure function of the
/// index it is given, and <see cref="Apply"/> copies that rate into an <see cref="Optimizer"/>. The intended use is
/// per epoch: call <c>Apply(optimizer, epoch)</c> before each epoch with the number of epochs completed (0 for the
/// first), which gives the rate PyTorch's scheduler holds after <c>epoch</c> calls of <c>scheduler.step()</c>, called
/// once per epoch. To schedule per optimizer step instead, pass the step index (and give periods in steps).
/// </para>
/// <para>The rate at index 0 is always <see cref="InitialLearningRate"/> (PyTorch's <c>base_lr</c>).</para>
/// </remarks>
/// <example>
/// <code>
/// var optimizer = new Sgd(MyNet.ParameterCount, learningRate: 0.1, momentum: 0.9);
/// var schedule = new StepSchedule(0.1, stepSize: 30, gamma: 0.1);   // 0.1, then 0.01 from epoch 30, ...
/// for (int epoch = 0; epoch &lt; 90; epoch++)
/// {
///     schedule.Apply(optimizer, epoch);
///     TrainOneEpoch(net, optimizer);
/// }
/// </code>
/// </example>
public abstract class LearningRateSchedule
{
    /// <summary>Validates and stores the initial learning rate.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="initialLearningRate"/> is negative, NaN or infinite.</exception>
    private protected LearningRateSchedule(double initialLearningRate)
        => InitialLearningRate = Hyperparameters.NonNegative(initialLearningRate, nameof(initialLearningRate));

    /// <summary>The learning rate at index 0; PyTorch's <c>base_lr</c> (the optimizer's <c>lr</c> when the scheduler was created).</summary>
    public double InitialLearningRate { get; }

    /// <summary>The learning rate for <paramref name="epoch"/>.</summary>
    /// <param name="epoch">The number of completed epochs (or steps, when scheduling per step); 0 for the first.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epoch"/> is negative.</exception>
    public double LearningRateAt(int epoch) => Compute(Hyperparameters.NonNegative(epoch, nameof(epoch)));

    /// <summary>Sets <paramref name="optimizer"/>'s <see cref="Optimizer.LearningRate"/> to <see cref="LearningRateAt"/>(<paramref name="epoch"/>).</summary>
    /// <param name="optimizer">The optimizer whose learning rate to set.</param>
    /// <param name="epoch">The number of completed epochs (or steps, when scheduling per step); 0 for the first.</param>
    /// <exception cref="ArgumentNullException"><paramref name="optimizer"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epoch"/> is negative.</exception>
    public void Apply(Optimizer optimizer, int epoch)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        optimizer.LearningRate = LearningRateAt(epoch);
    }

    /// <summary>The rate at a validated, non-negative <paramref name="epoch"/>.</summary>
    private protected abstract double Compute(int epoch);
}
