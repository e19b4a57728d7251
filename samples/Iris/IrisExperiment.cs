using System;
using System.Collections.Generic;
using NetGen.Data;
using NetGen.Evaluation;
using NetGen.Initialization;
using NetGen.Training;

namespace NetGen.Samples.Iris;

/// <summary>The outcome of <see cref="IrisExperiment.Run"/>.</summary>
/// <param name="Network">The trained network (it expects standardised features: apply <paramref name="Standardizer"/> first).</param>
/// <param name="Standardizer">The training set's feature statistics.</param>
/// <param name="History">One report per epoch: mean training loss during the epoch, training accuracy after it.</param>
/// <param name="Test">The trained network measured on the test set: loss, confusion matrix, precision, recall and F1.</param>
/// <param name="TrainCount">The number of training flowers.</param>
/// <param name="TestCount">The number of test flowers.</param>
public sealed record IrisResult(IrisNet Network, Standardizer Standardizer, TrainingHistory History, EvaluationResult Test, int TrainCount, int TestCount)
{
    /// <summary>The test set's confusion matrix.</summary>
    public ConfusionMatrix Confusion => Test.Confusion!;

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
    public const double DefaultLearningRate = 0.05;

    /// <summary>Samples per SGD update.</summary>
    public const int DefaultBatchSize = 1;

    /// <summary>
    /// Splits <paramref name="flowers"/> (default: <c>Data/iris.csv</c>) with <see cref="DataSplit.Stratified(Dataset, double, ref NetGenRandom)"/>,
    /// standardises the features with the training set's statistics (<see cref="Standardizer"/>), trains with plain
    /// SGD through <see cref="Trainer"/> (the same generator that split the data then shuffles the training flowers
    /// each epoch), and evaluates on the test set.
    /// </summary>
    public static IrisResult Run(
        int seed = DefaultSeed,
        int epochs = DefaultEpochs,
        double learningRate = DefaultLearningRate,
        int batchSize = DefaultBatchSize,
        Dataset? flowers = null,
        IReadOnlyList<string>? classNames = null)
    {
        if (flowers is null)
        {
            (flowers, IReadOnlyList<string> names) = IrisData.Load();
            classNames ??= names;
        }

        var random = new NetGenRandom(seed);
        (Dataset train, Dataset test) = DataSplit.Stratified(flowers, TrainFraction, ref random);
        Standardizer standardizer = Standardizer.Fit(train);
        standardizer.Apply(train);
        standardizer.Apply(test);

        var network = new IrisNet(seed);
        var options = new TrainingOptions { Epochs = epochs, BatchSize = batchSize, Random = random };
        TrainingHistory history = Trainer.Fit(network, new Sgd(IrisNet.ParameterCount, learningRate), train, options);
        EvaluationResult result = Evaluator.Evaluate(network, test, classNames);
        return new IrisResult(network, standardizer, history, result, train.Count, test.Count);
    }
}
