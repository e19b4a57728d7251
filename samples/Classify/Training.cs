using System;
using System.Globalization;
using System.IO;
using NetGen.Data;
using NetGen.Initialization;
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
        (float[] features, int[] labels) = ReadCsv(dataPath);
        var data = Dataset.FromLabels(features, IrisModel.InputCount, labels, IrisModel.OutputCount);
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

    /// <summary>
    /// Reads a header <c>rows,4,name0,name1,name2</c> (the names must be <see cref="IrisModel.ClassNames"/>), then one
    /// line <c>f1,f2,f3,f4,label</c> per flower.
    /// </summary>
    private static (float[] Features, int[] Labels) ReadCsv(string path)
    {
        string[] lines = File.ReadAllLines(path);
        string[] header = lines[0].Split(',');
        int rows = int.Parse(header[0], CultureInfo.InvariantCulture);
        if (lines.Length - 1 != rows || header.Length != 2 + IrisModel.OutputCount || header[1] != "4"
            || !header.AsSpan(2).SequenceEqual(IrisModel.ClassNames))
        {
            throw new InvalidDataException($"{path}: expected a header '{rows},4,{string.Join(',', IrisModel.ClassNames)}' and {rows} rows.");
        }

        float[] features = new float[rows * IrisModel.InputCount];
        int[] labels = new int[rows];
        for (int row = 0; row < rows; row++)
        {
            string[] fields = lines[row + 1].Split(',');
            for (int f = 0; f < IrisModel.InputCount; f++)
            {
                features[(row * IrisModel.InputCount) + f] = float.Parse(fields[f], CultureInfo.InvariantCulture);
            }

            labels[row] = int.Parse(fields[IrisModel.InputCount], CultureInfo.InvariantCulture);
        }

        return (features, labels);
    }
}
