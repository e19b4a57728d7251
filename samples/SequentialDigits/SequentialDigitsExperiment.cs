using System;
using System.Threading;
using NetGen.Data;
using NetGen.Evaluation;
using NetGen.Samples.Digits;
using NetGen.Training;

namespace NetGen.Samples.SequentialDigits;

/// <summary>The outcome of <see cref="SequentialDigitsExperiment.Run"/>.</summary>
/// <param name="Network">The trained GRU, holding the best validation epoch's weights. It expects scaled pixels, row by row.</param>
/// <param name="History">One report per epoch, with validation loss and accuracy.</param>
/// <param name="Test">The GRU measured on the test set: loss, confusion matrix, precision, recall and F1.</param>
/// <param name="Split">The parts it was trained, validated and tested on (<see cref="DigitsExperiment.Split"/>).</param>
public sealed record SequentialDigitsResult(SequentialDigitsNet Network, TrainingHistory History, EvaluationResult Test, DigitsSplit Split)
{
    /// <summary>The test set's confusion matrix.</summary>
    public ConfusionMatrix Confusion => Test.Confusion!;

    /// <summary>The fraction of test images classified correctly.</summary>
    public double TestAccuracy => Confusion.Accuracy;
}

/// <summary>
/// Trains <see cref="SequentialDigitsNet"/> on the 8x8 handwritten digits read as 8 steps of 8 pixels, on exactly the
/// parts that samples/Digits trains, validates and tests its 64-32-10 MLP on (<see cref="DigitsExperiment.Split"/>,
/// same seed), with the same procedure: Adam on mini-batches of 32, early stopping on the validation loss.
/// </summary>
/// <remarks>
/// A sample of the scaled dataset is 64 pixels, row by row; a sequence network with 8 inputs reads those as 8 steps of
/// 8 values, so the datasets of samples/Digits serve the GRU unchanged.
/// </remarks>
public static class SequentialDigitsExperiment
{
    /// <summary>The seed of the sample and its tests: it fixes the splits (those of samples/Digits), the initial weights and the sample order.</summary>
    public const int DefaultSeed = DigitsExperiment.DefaultSeed;

    /// <summary>The most epochs to train for (early stopping usually ends sooner).</summary>
    public const int DefaultEpochs = 100;

    /// <summary>Samples per Adam step.</summary>
    public const int DefaultBatchSize = DigitsExperiment.DefaultBatchSize;

    /// <summary>Adam's learning rate.</summary>
    public const double DefaultLearningRate = 0.01;

    /// <summary>Epochs without a lower validation loss before training stops.</summary>
    public const int DefaultPatience = DigitsExperiment.DefaultPatience;

    /// <summary>Steps per image: its rows.</summary>
    public const int Steps = DigitsData.PixelCount / SequentialDigitsNet.InputCount;

    /// <summary>
    /// Loads the digits (default: <c>Data/digits.csv.gz</c>), splits and scales them as samples/Digits does, trains
    /// the GRU and evaluates it on the test set.
    /// </summary>
    /// <param name="seed">Fixes the splits, the initial weights and the sample order.</param>
    /// <param name="epochs">The most epochs to train for.</param>
    /// <param name="learningRate">Adam's learning rate.</param>
    /// <param name="patience">Epochs without a lower validation loss before training stops.</param>
    /// <param name="progress">Receives each epoch's report, on the training thread.</param>
    /// <param name="batchCompleted">Called after each optimizer step, on the training thread.</param>
    /// <param name="cancellation">Stops training between two batches; the result then holds the best epoch so far.</param>
    /// <param name="digits">The images to use instead of the data file (not changed).</param>
    public static SequentialDigitsResult Run(
        int seed = DefaultSeed,
        int epochs = DefaultEpochs,
        double learningRate = DefaultLearningRate,
        int patience = DefaultPatience,
        IProgress<EpochReport>? progress = null,
        Action<BatchReport>? batchCompleted = null,
        CancellationToken cancellation = default,
        Dataset? digits = null)
    {
        digits ??= DigitsData.Load();
        DigitsSplit split = DigitsExperiment.Split(digits, seed);
        var network = new SequentialDigitsNet(seed);
        var optimizer = new Adam(SequentialDigitsNet.ParameterCount, learningRate);
        var options = new TrainingOptions
        {
            Epochs = epochs,
            BatchSize = DefaultBatchSize,
            Random = split.Random,
            EarlyStopping = new EarlyStopping(patience),
            Progress = progress,
            BatchCompleted = batchCompleted,
            CancellationToken = cancellation,
        };
        TrainingHistory history = Trainer.Fit(network, optimizer, split.Train, split.Validation, options);
        EvaluationResult result = Evaluator.Evaluate(network, split.Test, DigitsData.ClassNames);
        return new SequentialDigitsResult(network, history, result, split);
    }

    /// <summary>
    /// Reads each test image of <paramref name="data"/> one row at a time with <c>Step</c>, the streaming form of
    /// <c>Forward</c>, and counts after each row how many images the GRU already classifies correctly.
    /// </summary>
    /// <param name="network">The trained GRU.</param>
    /// <param name="data">Scaled images with labels, e.g. <see cref="DigitsSplit.Test"/>.</param>
    /// <returns>
    /// For k = 1 to 8, the fraction of images whose class after the first k rows is right; the last is the accuracy on
    /// whole images. The GRU was trained on whole images only, so the earlier values show what its state holds on the
    /// way, not what a network trained to answer early would do.
    /// </returns>
    public static double[] AccuracyByRowsRead(SequentialDigitsNet network, Dataset data)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        int[] correct = new int[Steps];
        float[] output = new float[SequentialDigitsNet.OutputCount];
        for (int i = 0; i < data.Count; i++)
        {
            ReadOnlySpan<float> image = data.Features(i);
            SequentialDigitsNet.State state = default;
            for (int row = 0; row < Steps; row++)
            {
                network.Step(ref state, image.Slice(row * SequentialDigitsNet.InputCount, SequentialDigitsNet.InputCount), output);
                correct[row] += Evaluator.PredictedClass<SequentialDigitsNet>(output) == data.Label(i) ? 1 : 0;
            }
        }

        double[] accuracy = new double[Steps];
        for (int row = 0; row < Steps; row++)
        {
            accuracy[row] = (double)correct[row] / data.Count;
        }

        return accuracy;
    }

    /// <summary>
    /// Compares the GRU with samples/Digits' MLP image by image on the GRU's test set, after checking that the MLP was
    /// tested on the same images in the same order.
    /// </summary>
    /// <param name="gru">The GRU's run.</param>
    /// <param name="mlp">The MLP's run (<see cref="DigitsExperiment.Run"/>), with the same seed and images.</param>
    /// <returns>How many test images only the GRU classifies correctly, and how many only the MLP does.</returns>
    /// <exception cref="ArgumentException">The two runs were tested on different images.</exception>
    public static (int GruOnly, int MlpOnly) CorrectOnlyBy(SequentialDigitsResult gru, DigitsResult mlp)
    {
        ArgumentNullException.ThrowIfNull(gru);
        ArgumentNullException.ThrowIfNull(mlp);
        if (!SameImages(gru.Split.RawTest, mlp.RawTest))
        {
            throw new ArgumentException("The MLP was tested on other images than the GRU; were both runs given the same seed and data?", nameof(mlp));
        }

        Dataset test = gru.Split.Test; // the scaled images both networks read
        int gruOnly = 0, mlpOnly = 0;
        for (int i = 0; i < test.Count; i++)
        {
            bool gruRight = gru.Network.Predict(test.Features(i)) == test.Label(i);
            bool mlpRight = mlp.Network.Predict(test.Features(i)) == test.Label(i);
            gruOnly += gruRight && !mlpRight ? 1 : 0;
            mlpOnly += mlpRight && !gruRight ? 1 : 0;
        }

        return (gruOnly, mlpOnly);
    }

    /// <summary>Whether two labelled datasets hold the same samples (features and labels) in the same order.</summary>
    public static bool SameImages(Dataset first, Dataset second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        return first.Count == second.Count
            && first.FeatureValues.SequenceEqual(second.FeatureValues)
            && first.Labels.SequenceEqual(second.Labels);
    }
}
