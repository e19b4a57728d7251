using System;
using System.Collections.Generic;
using NetGen.Training;

namespace NetGen.Samples.Xor;

/// <summary>The outcome of training <see cref="XorNet"/>.</summary>
/// <param name="Network">The trained network.</param>
/// <param name="EpochLosses">The mean loss over the four rows in each epoch, before that epoch's update.</param>
/// <param name="Outputs">The trained network's output (the probability of 1) for the inputs 00, 01, 10 and 11.</param>
/// <param name="Predictions">The predicted class for the same inputs.</param>
/// <param name="Accuracy">The fraction of the four rows predicted correctly.</param>
public sealed record XorResult(
    XorNet Network,
    IReadOnlyList<float> EpochLosses,
    IReadOnlyList<float> Outputs,
    IReadOnlyList<int> Predictions,
    double Accuracy);

/// <summary>Trains <see cref="XorNet"/> on the XOR truth table with full-batch gradient descent.</summary>
public static class XorExperiment
{
    /// <summary>The seed of the initial weights used by the sample and its tests.</summary>
    public const int DefaultSeed = 1;

    /// <summary>Epochs (full passes over the four rows, one update each) the sample trains for.</summary>
    public const int DefaultEpochs = 2000;

    /// <summary>The SGD learning rate.</summary>
    public const float DefaultLearningRate = 0.5f;

    /// <summary>The four inputs of the truth table, in the order 00, 01, 10, 11.</summary>
    public static IReadOnlyList<float[]> Inputs { get; } = [[0, 0], [0, 1], [1, 0], [1, 1]];

    /// <summary>XOR of each row of <see cref="Inputs"/>.</summary>
    public static IReadOnlyList<int> Targets { get; } = [0, 1, 1, 0];

    /// <summary>Trains a network whose initial weights come from <paramref name="seed"/>.</summary>
    public static XorResult Run(int seed = DefaultSeed, int epochs = DefaultEpochs, float learningRate = DefaultLearningRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epochs);
        var network = new XorNet(seed);
        float[] losses = new float[epochs];
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            float loss = 0;
            for (int row = 0; row < Inputs.Count; row++)
            {
                loss += network.Backward(Inputs[row], [Targets[row]]);
            }

            Sgd.Step(network, learningRate, batchSize: Inputs.Count);
            losses[epoch] = loss / Inputs.Count;
        }

        float[] outputs = new float[Inputs.Count];
        int[] predictions = new int[Inputs.Count];
        int correct = 0;
        for (int row = 0; row < Inputs.Count; row++)
        {
            network.Forward(Inputs[row], outputs.AsSpan(row, 1));
            predictions[row] = network.Predict(Inputs[row]);
            correct += predictions[row] == Targets[row] ? 1 : 0;
        }

        return new XorResult(network, losses, outputs, predictions, (double)correct / Inputs.Count);
    }
}
