using System;
using System.Collections.Generic;
using System.Linq;
using NetGen.Data;
using NetGen.Training;

namespace NetGen.Samples.Xor;

/// <summary>The outcome of training <see cref="XorNet"/>.</summary>
/// <param name="Network">The trained network.</param>
/// <param name="History">One report per epoch; its training loss is the mean loss over the four rows, before that epoch's update.</param>
/// <param name="Outputs">The trained network's output (the probability of 1) for the inputs 00, 01, 10 and 11.</param>
/// <param name="Predictions">The predicted class for the same inputs.</param>
/// <param name="Accuracy">The fraction of the four rows predicted correctly.</param>
public sealed record XorResult(
    XorNet Network,
    TrainingHistory History,
    IReadOnlyList<float> Outputs,
    IReadOnlyList<int> Predictions,
    double Accuracy)
{
    /// <summary>The mean loss over the four rows in each epoch, before that epoch's update.</summary>
    public IReadOnlyList<double> EpochLosses { get; } = History.Select(epoch => epoch.TrainingLoss).ToArray();
}

/// <summary>Trains <see cref="XorNet"/> on the XOR truth table with full-batch gradient descent.</summary>
public static class XorExperiment
{
    /// <summary>The seed of the initial weights used by the sample and its tests.</summary>
    public const int DefaultSeed = 1;

    /// <summary>Epochs (full passes over the four rows, one update each) the sample trains for.</summary>
    public const int DefaultEpochs = 2000;

    /// <summary>The SGD learning rate.</summary>
    public const double DefaultLearningRate = 0.5;

    /// <summary>The four inputs of the truth table, in the order 00, 01, 10, 11.</summary>
    public static IReadOnlyList<float[]> Inputs { get; } = [[0, 0], [0, 1], [1, 0], [1, 1]];

    /// <summary>XOR of each row of <see cref="Inputs"/>.</summary>
    public static IReadOnlyList<int> Targets { get; } = [0, 1, 1, 0];

    /// <summary>The truth table as a dataset: two features, one target (0 or 1) and a label (class 0 or 1) per row.</summary>
    public static Dataset TruthTable()
    {
        float[] features = Inputs.SelectMany(x => x).ToArray();
        int[] labels = Targets.ToArray();
        float[] targets = labels.Select(label => (float)label).ToArray();
        return new Dataset(features, 2, targets, 1, labels, classCount: 2);
    }

    /// <summary>
    /// Trains a network whose initial weights come from <paramref name="seed"/> with <see cref="Trainer"/>: one batch
    /// of all four rows per epoch, in table order (no shuffling: the mean gradient does not depend on the order).
    /// </summary>
    public static XorResult Run(int seed = DefaultSeed, int epochs = DefaultEpochs, double learningRate = DefaultLearningRate)
    {
        var network = new XorNet(seed);
        Dataset table = TruthTable();
        var options = new TrainingOptions { Epochs = epochs, BatchSize = table.Count, Shuffle = false, MeasureTrainingAccuracy = false };
        TrainingHistory history = Trainer.Fit(network, new Sgd(XorNet.ParameterCount, learningRate), table, options);

        float[] outputs = new float[Inputs.Count];
        int[] predictions = new int[Inputs.Count];
        int correct = 0;
        for (int row = 0; row < Inputs.Count; row++)
        {
            network.Forward(Inputs[row], outputs.AsSpan(row, 1));
            predictions[row] = network.Predict(Inputs[row]);
            correct += predictions[row] == Targets[row] ? 1 : 0;
        }

        return new XorResult(network, history, outputs, predictions, (double)correct / Inputs.Count);
    }
}
