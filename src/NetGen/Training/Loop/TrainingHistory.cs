using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace NetGen.Training;

/// <summary>
/// What a <see cref="Trainer{TNet}.Fit"/> run did: one <see cref="EpochReport"/> per completed epoch, in order, and how
/// the run ended. Keras's <c>History</c>.
/// </summary>
public sealed class TrainingHistory : IReadOnlyList<EpochReport>
{
    private readonly List<EpochReport> _epochs;

    internal TrainingHistory(int capacity) => _epochs = new List<EpochReport>(capacity);

    /// <summary>The number of completed epochs.</summary>
    public int Count => _epochs.Count;

    /// <summary>The last completed epoch, or <see langword="null"/> if none completed.</summary>
    public EpochReport? Last => _epochs.Count == 0 ? null : _epochs[^1];

    /// <summary>
    /// The epoch (from 1) with the best value of <see cref="EarlyStopping.Monitor"/>, or <see langword="null"/>
    /// without early stopping or before an epoch completed. With <see cref="EarlyStopping.RestoreBestWeights"/> the
    /// network holds this epoch's weights when <c>Fit</c> returns.
    /// </summary>
    public int? BestEpoch { get; internal set; }

    /// <summary>The report of <see cref="BestEpoch"/>, or <see langword="null"/>.</summary>
    public EpochReport? Best => BestEpoch is int epoch ? _epochs[epoch - 1] : null;

    /// <summary>Whether early stopping ended the run before <see cref="TrainingOptions.Epochs"/>.</summary>
    public bool StoppedEarly { get; internal set; }

    /// <summary>Whether <see cref="TrainingOptions.CancellationToken"/> ended the run.</summary>
    public bool Cancelled { get; internal set; }

    /// <summary>Whether the best epoch's weights were copied back into the network when the run ended.</summary>
    public bool RestoredBestWeights { get; internal set; }

    /// <summary>The number of optimizer steps taken (mini-batches trained), including those of a cancelled epoch.</summary>
    public long Steps { get; internal set; }

    /// <summary>The wall time of the whole run.</summary>
    public TimeSpan Duration { get; internal set; }

    /// <summary>The report of epoch <paramref name="index"/> + 1.</summary>
    /// <param name="index">The position in the history, from 0.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not in <c>[0, Count)</c>.</exception>
    public EpochReport this[int index] => _epochs[index];

    /// <summary>Enumerates the epochs in order.</summary>
    public List<EpochReport>.Enumerator GetEnumerator() => _epochs.GetEnumerator();

    IEnumerator<EpochReport> IEnumerable<EpochReport>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The history as a text table, one line per epoch, then how the run ended.</summary>
    public override string ToString()
    {
        CultureInfo invariant = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.Append("epoch  train loss  train acc   val loss    val acc  learning rate  time (ms)");
        foreach (EpochReport epoch in _epochs)
        {
            text.AppendLine().Append(invariant,
                $"{epoch.Epoch,5}  {epoch.TrainingLoss,10:0.0000}  {Format(epoch.TrainingAccuracy),9}  {Format(epoch.ValidationLoss),9}  {Format(epoch.ValidationAccuracy),9}  {epoch.LearningRate,13:0.######}  {epoch.Duration.TotalMilliseconds,9:0.0}");
        }

        text.AppendLine().Append(invariant, $"{Count} epochs, {Steps} steps, {Duration.TotalSeconds:0.000} s");
        if (StoppedEarly)
        {
            text.Append("; stopped early");
        }

        if (Cancelled)
        {
            text.Append("; cancelled");
        }

        if (BestEpoch is int best)
        {
            text.Append(invariant, $"; best epoch {best}{(RestoredBestWeights ? " (weights restored)" : string.Empty)}");
        }

        return text.ToString();
    }

    internal void Add(EpochReport report) => _epochs.Add(report);

    private static string Format(double? value) => value is double v ? v.ToString("0.0000", CultureInfo.InvariantCulture) : "-";
}
