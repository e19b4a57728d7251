using System;
using System.Globalization;
using System.Text;

namespace NetGen.Training;

/// <summary>
/// How one epoch of <see cref="Trainer{TNet}.Fit"/> went: an entry of <see cref="TrainingHistory"/> and what
/// <see cref="TrainingOptions.Progress"/> receives after each epoch.
/// </summary>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="EpochCount">The number of epochs the training run was asked for (<see cref="TrainingOptions.Epochs"/>).</param>
/// <param name="TrainingLoss">
/// The mean of the per-sample losses that <c>Backward</c> returned during the epoch, while the weights were changing
/// (what Keras and a PyTorch loop print as the training loss).
/// </param>
/// <param name="TrainingAccuracy">
/// The fraction of training samples classified correctly by the weights at the end of the epoch (an extra
/// <c>Forward</c> pass over the training set), or <see langword="null"/> when
/// <see cref="TrainingOptions.MeasureTrainingAccuracy"/> is off or the data have no classes.
/// </param>
/// <param name="ValidationLoss">The mean loss on the validation set at the end of the epoch, or <see langword="null"/> without one.</param>
/// <param name="ValidationAccuracy">The validation accuracy at the end of the epoch, or <see langword="null"/> without a validation set or classes.</param>
/// <param name="LearningRate">The optimizer's learning rate during the epoch (after the schedule, if any, set it).</param>
/// <param name="Duration">The wall time of the epoch: training, then measuring the training and validation sets.</param>
public readonly record struct EpochReport(
    int Epoch,
    int EpochCount,
    double TrainingLoss,
    double? TrainingAccuracy,
    double? ValidationLoss,
    double? ValidationAccuracy,
    double LearningRate,
    TimeSpan Duration)
{
    /// <summary>One line in Keras's manner, e.g. <c>epoch 3/30: loss 0.1234, accuracy 0.9600, val_loss 0.1500, val_accuracy 0.9500, lr 0.001, 12 ms</c>.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        CultureInfo invariant = CultureInfo.InvariantCulture;
        text.Append(invariant, $"epoch {Epoch}/{EpochCount}: loss {TrainingLoss:0.0000}");
        if (TrainingAccuracy is double accuracy)
        {
            text.Append(invariant, $", accuracy {accuracy:0.0000}");
        }

        if (ValidationLoss is double validationLoss)
        {
            text.Append(invariant, $", val_loss {validationLoss:0.0000}");
        }

        if (ValidationAccuracy is double validationAccuracy)
        {
            text.Append(invariant, $", val_accuracy {validationAccuracy:0.0000}");
        }

        text.Append(invariant, $", lr {LearningRate:0.######}, {Duration.TotalMilliseconds:0} ms");
        return text.ToString();
    }
}

/// <summary>
/// One mini-batch of <see cref="Trainer{TNet}.Fit"/>, passed to <see cref="TrainingOptions.BatchCompleted"/> on the
/// training thread right after the optimizer's step.
/// </summary>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="Batch">The batch within the epoch, from 1.</param>
/// <param name="BatchCount">The number of batches per epoch.</param>
/// <param name="Size">The number of samples in this batch (the last batch of an epoch may be smaller).</param>
/// <param name="Loss">The mean of this batch's per-sample losses, before the step.</param>
public readonly record struct BatchReport(int Epoch, int Batch, int BatchCount, int Size, double Loss);
