using System;
using NetGen.Data;
using NetGen.Initialization;
using NetGen.Samples.Iris;
using NetGen.Training;

namespace NetGen.Samples.Classify;

/// <summary>The outcome of <see cref="Training.Run"/>: the network, its input standardizer and its test score.</summary>
public sealed record TrainedModel(IrisModel Network, Standardizer Standardizer, int TestCorrect, int TestCount);

/// <summary>
/// Trains <see cref="IrisModel"/> the way samples/Iris does (stratified 70/30 split, standardised features,
/// per-sample SGD), with a fixed seed: the same data gives the same weights on every run.
/// </summary>
public static class Training
{
    /// <summary>Fixes the split, the initial weights and the order of the samples.</summary>
    public const int Seed = 1;

    /// <summary>The fraction of each class used for training; the rest is the test set.</summary>
    public const double TrainFraction = 0.7;

    /// <summary>Passes over the training set.</summary>
    public const int Epochs = 30;

    /// <summary>The SGD learning rate (one sample per step).</summary>
    public const float LearningRate = 0.05f;

    /// <summary>Trains on the Iris CSV at <paramref name="dataPath"/> (the format of samples/Iris/Data/iris.csv).</summary>
    public static TrainedModel Run(string dataPath)
    {
        Dataset flowers = IrisData.Load(dataPath, IrisModel.ClassNames);
        var data = Dataset.FromLabels(flowers.FeatureValues, IrisModel.InputCount, flowers.Labels, IrisModel.OutputCount);
        var random = new NetGenRandom(Seed);
        (Dataset train, Dataset test) = DataSplit.Stratified(data, TrainFraction, ref random);
        Standardizer standardizer = Standardizer.Fit(train);
        standardizer.Apply(train);
        standardizer.Apply(test);

        var network = new IrisModel(Seed);
        int[] order = new int[train.Count];
        Permutation.Identity(order);
        for (int epoch = 0; epoch < Epochs; epoch++)
        {
            random.Shuffle(order.AsSpan());
            foreach (int i in order)
            {
                network.Backward(train.Features(i), train.Target(i));
                Sgd.Step(network, LearningRate);
            }
        }

        int correct = 0;
        for (int i = 0; i < test.Count; i++)
        {
            correct += network.Predict(test.Features(i)) == test.Label(i) ? 1 : 0;
        }

        return new TrainedModel(network, standardizer, correct, test.Count);
    }
}
