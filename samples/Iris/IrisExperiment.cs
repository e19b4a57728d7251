using System;
using System.Collections.Generic;
using NetGen.Initialization;
using NetGen.Training;

namespace NetGen.Samples.Iris;

/// <summary>How training went in one epoch. The test set is used only once, after the last epoch.</summary>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="TrainLoss">The mean cross-entropy over the training flowers during the epoch.</param>
/// <param name="TrainAccuracy">The fraction of training flowers classified correctly after the epoch.</param>
public readonly record struct EpochStats(int Epoch, float TrainLoss, double TrainAccuracy);

/// <summary>The outcome of <see cref="IrisExperiment.Run"/>.</summary>
/// <param name="Network">The trained network (it expects standardised features).</param>
/// <param name="Epochs">Statistics per epoch.</param>
/// <param name="Confusion">The trained network's predictions on the test set.</param>
/// <param name="TrainCount">The number of training flowers.</param>
/// <param name="TestCount">The number of test flowers.</param>
public sealed record IrisResult(IrisNet Network, IReadOnlyList<EpochStats> Epochs, ConfusionMatrix Confusion, int TrainCount, int TestCount)
{
    /// <summary>The fraction of test flowers classified correctly.</summary>
    public double TestAccuracy => Confusion.Accuracy;
}

/// <summary>Trains <see cref="IrisNet"/> on a 70/30 stratified split of the Iris data and evaluates it.</summary>
public static class IrisExperiment
{
    /// <summary>The seed used by the sample and its tests: it fixes the split, the initial weights and the sample order.</summary>
    public const int DefaultSeed = 1;

    /// <summary>The fraction of each class used for training; the rest is the test set.</summary>
    public const double TrainFraction = 0.7;

    /// <summary>Passes over the training set.</summary>
    public const int DefaultEpochs = 30;

    /// <summary>The SGD learning rate.</summary>
    public const float DefaultLearningRate = 0.05f;

    /// <summary>Samples per SGD update.</summary>
    public const int DefaultBatchSize = 1;

    /// <summary>
    /// Splits <paramref name="data"/> (default: <c>Data/iris.csv</c>), standardises the features with the training
    /// set's mean and standard deviation, trains with mini-batch SGD on freshly shuffled training data each epoch, and
    /// evaluates on the test set.
    /// </summary>
    public static IrisResult Run(
        int seed = DefaultSeed,
        int epochs = DefaultEpochs,
        float learningRate = DefaultLearningRate,
        int batchSize = DefaultBatchSize,
        IrisData? data = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epochs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        data ??= IrisData.Load();
        var random = new NetGenRandom(seed);
        (IrisData train, IrisData test) = data.SplitStratified(TrainFraction, ref random);
        (float[] mean, float[] deviation) = train.FeatureStatistics();
        train = train.Standardize(mean, deviation);
        test = test.Standardize(mean, deviation);

        var network = new IrisNet(seed);
        int[] order = new int[train.Count];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        var history = new List<EpochStats>();
        float[] target = new float[IrisNet.OutputCount];
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            random.Shuffle(order.AsSpan());
            float loss = 0;
            for (int start = 0; start < order.Length; start += batchSize)
            {
                int end = Math.Min(start + batchSize, order.Length);
                for (int i = start; i < end; i++)
                {
                    int row = order[i];
                    Array.Clear(target);
                    target[train.Labels[row]] = 1;
                    loss += network.Backward(train.Features[row], target);
                }

                Sgd.Step(network, learningRate, end - start);
            }

            history.Add(new EpochStats(epoch, loss / train.Count, Evaluate(network, train).Accuracy));
        }

        return new IrisResult(network, history, Evaluate(network, test), train.Count, test.Count);
    }

    /// <summary>Classifies every flower of <paramref name="data"/> (already standardised).</summary>
    public static ConfusionMatrix Evaluate(IrisNet network, IrisData data)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        var confusion = new ConfusionMatrix(data.ClassNames);
        for (int i = 0; i < data.Count; i++)
        {
            confusion.Add(data.Labels[i], network.Predict(data.Features[i]));
        }

        return confusion;
    }
}
