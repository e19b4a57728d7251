using System;

namespace NetGen.Training;

/// <summary>The per-epoch value that <see cref="EarlyStopping"/> watches.</summary>
public enum EarlyStoppingMetric
{
    /// <summary>The mean loss on the validation set; lower is better (Keras's <c>val_loss</c>, the default).</summary>
    ValidationLoss = 0,

    /// <summary>The accuracy on the validation set; higher is better (Keras's <c>val_accuracy</c>).</summary>
    ValidationAccuracy = 1,

    /// <summary>The mean training loss of the epoch; lower is better. Needs no validation set.</summary>
    TrainingLoss = 2,
}

/// <summary>
/// Stops training when a metric has not improved for <see cref="Patience"/> epochs and, by default, puts back the
/// weights of the best epoch: Keras's <c>EarlyStopping(monitor, min_delta, patience, restore_best_weights)</c>.
/// </summary>
/// <remarks>
/// <para>
/// An epoch improves on the best so far when its value is better by more than <see cref="MinDelta"/> (lower for the
/// losses, higher for accuracy); the first epoch always does. After <see cref="Patience"/> epochs in a row without
/// improvement training stops. A NaN never improves.
/// </para>
/// <para>
/// With <see cref="RestoreBestWeights"/> the trainer copies the parameters after each improving epoch into a buffer
/// it allocated once, and copies them back when training ends, however it ends: stopped early, epochs run out, or
/// cancelled. (Keras restores only when it stops early; here the network always comes back as the best epoch left
/// it.) The optimizer's state (momentum, Adam's moments) is not rolled back.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// var options = new TrainingOptions { Epochs = 200, ValidationFraction = 0.1, EarlyStopping = new EarlyStopping(patience: 10) };
/// </code>
/// </example>
public sealed class EarlyStopping
{
    /// <summary>Creates the rule.</summary>
    /// <param name="patience">Epochs without improvement after which training stops; at least 1.</param>
    /// <param name="monitor">The value to watch.</param>
    /// <param name="minDelta">The smallest change that counts as an improvement; at least 0.</param>
    /// <param name="restoreBestWeights">Whether to put back the best epoch's weights when training ends.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="patience"/> is below 1, or <paramref name="minDelta"/> is negative or not finite.</exception>
    public EarlyStopping(int patience, EarlyStoppingMetric monitor = EarlyStoppingMetric.ValidationLoss, double minDelta = 0, bool restoreBestWeights = true)
    {
        Patience = Hyperparameters.Positive(patience, nameof(patience));
        MinDelta = Hyperparameters.NonNegative(minDelta, nameof(minDelta));
        if (!Enum.IsDefined(monitor))
        {
            throw new ArgumentOutOfRangeException(nameof(monitor), monitor, "Unknown metric.");
        }

        Monitor = monitor;
        RestoreBestWeights = restoreBestWeights;
    }

    /// <summary>Epochs without improvement after which training stops.</summary>
    public int Patience { get; }

    /// <summary>The value watched.</summary>
    public EarlyStoppingMetric Monitor { get; }

    /// <summary>The smallest change that counts as an improvement.</summary>
    public double MinDelta { get; }

    /// <summary>Whether the best epoch's weights are put back when training ends.</summary>
    public bool RestoreBestWeights { get; }

    /// <summary>Whether the monitored value is better when lower.</summary>
    internal bool LowerIsBetter => Monitor != EarlyStoppingMetric.ValidationAccuracy;

    /// <summary>Whether the monitored value needs a validation set.</summary>
    internal bool NeedsValidation => Monitor != EarlyStoppingMetric.TrainingLoss;

    /// <summary>Whether <paramref name="value"/> improves on <paramref name="best"/> (NaN when there is none yet).</summary>
    internal bool Improves(double value, double best)
    {
        if (double.IsNaN(value))
        {
            return false;
        }

        if (double.IsNaN(best))
        {
            return true;
        }

        return LowerIsBetter ? value < best - MinDelta : value > best + MinDelta;
    }
}
