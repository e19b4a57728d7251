using System.Globalization;

namespace NetGen.Evaluation;

/// <summary>What <see cref="Evaluator.Evaluate{TNet}"/> measured on a dataset.</summary>
public sealed class EvaluationResult
{
    internal EvaluationResult(int count, double meanLoss, ConfusionMatrix? confusion)
    {
        Count = count;
        MeanLoss = meanLoss;
        Confusion = confusion;
    }

    /// <summary>The number of samples evaluated.</summary>
    public int Count { get; }

    /// <summary>The mean over the samples of each sample's loss (the network's <c>LossFunction</c>); 0 for no samples.</summary>
    public double MeanLoss { get; }

    /// <summary>
    /// The (true class, predicted class) counts, with precision, recall and F1 per class; <see langword="null"/> for
    /// regression data (no labels and a mean-squared-error network).
    /// </summary>
    public ConfusionMatrix? Confusion { get; }

    /// <summary>The fraction of samples classified correctly, or <see langword="null"/> for regression data.</summary>
    public double? Accuracy => Confusion?.Accuracy;

    /// <summary>A one-line summary, e.g. <c>540 samples: loss 0.0912, accuracy 0.9722 (525 of 540)</c>.</summary>
    public override string ToString()
    {
        string text = string.Create(CultureInfo.InvariantCulture, $"{Count} samples: loss {MeanLoss:0.0000}");
        return Confusion is null
            ? text
            : string.Create(CultureInfo.InvariantCulture, $"{text}, accuracy {Confusion.Accuracy:0.0000} ({Confusion.Correct} of {Confusion.Total})");
    }
}
