using System;
using System.Collections.Generic;
using NetGen.Training;

namespace NetGen.Samples.SingleNeuron;

/// <summary>What one perceptron learned about one two-input truth table.</summary>
/// <param name="Name">The Boolean function, such as <c>"AND"</c>.</param>
/// <param name="Targets">The function's outputs for the inputs 00, 01, 10 and 11.</param>
/// <param name="Outputs">The trained neuron's outputs for the same inputs.</param>
/// <param name="Learned">Whether all four outputs became correct.</param>
/// <param name="Epochs">The epochs trained: until the table was learned, or the epoch limit.</param>
/// <param name="BestCorrect">The most rows the neuron got right after any epoch.</param>
/// <param name="Weights">The final <c>w1</c>, <c>w2</c> and bias <c>b</c>.</param>
public sealed record PerceptronResult(
    string Name,
    IReadOnlyList<int> Targets,
    IReadOnlyList<int> Outputs,
    bool Learned,
    int Epochs,
    int BestCorrect,
    IReadOnlyList<float> Weights);

/// <summary>Trains a single <see cref="Activation.Step"/> neuron on a two-input Boolean function.</summary>
public static class PerceptronExperiment
{
    /// <summary>The epoch limit: far more than AND or OR need, so XOR's failure is not for lack of time.</summary>
    public const int MaxEpochs = 100;

    /// <summary>The SGD learning rate.</summary>
    public const float LearningRate = 0.1f;

    /// <summary>The four inputs of a two-input truth table, in the order 00, 01, 10, 11.</summary>
    public static IReadOnlyList<float[]> Inputs { get; } = [[0, 0], [0, 1], [1, 0], [1, 1]];

    /// <summary>Logical AND.</summary>
    public static PerceptronResult And() => Train("AND", [0, 0, 0, 1]);

    /// <summary>Logical OR.</summary>
    public static PerceptronResult Or() => Train("OR", [0, 1, 1, 1]);

    /// <summary>Exclusive OR, which no single neuron can represent.</summary>
    public static PerceptronResult Xor() => Train("XOR", [0, 1, 1, 0]);

    /// <summary>
    /// Starts from zero weights, as Rosenblatt did (so no seed is involved), and presents the four rows in order, one
    /// SGD step per row (the perceptron rule), until an epoch ends with all four rows correct or
    /// <paramref name="maxEpochs"/> have passed.
    /// </summary>
    public static PerceptronResult Train(string name, int[] targets, int maxEpochs = MaxEpochs)
    {
        ArgumentNullException.ThrowIfNull(targets);
        if (targets.Length != Inputs.Count)
        {
            throw new ArgumentException($"A two-input truth table has {Inputs.Count} rows, not {targets.Length}.", nameof(targets));
        }

        var neuron = new Perceptron();
        neuron.Parameters.Clear();
        int epochs = 0;
        int bestCorrect = CountCorrect(neuron, targets);
        while (bestCorrect < Inputs.Count && epochs < maxEpochs)
        {
            epochs++;
            for (int row = 0; row < Inputs.Count; row++)
            {
                neuron.Backward(Inputs[row], [targets[row]]);
                Sgd.Step(neuron, LearningRate);
            }

            bestCorrect = Math.Max(bestCorrect, CountCorrect(neuron, targets));
        }

        int[] outputs = new int[Inputs.Count];
        for (int row = 0; row < Inputs.Count; row++)
        {
            outputs[row] = neuron.Predict(Inputs[row]);
        }

        return new PerceptronResult(name, targets, outputs, bestCorrect == Inputs.Count, epochs, bestCorrect, neuron.Parameters.ToArray());
    }

    private static int CountCorrect(Perceptron neuron, int[] targets)
    {
        int correct = 0;
        for (int row = 0; row < Inputs.Count; row++)
        {
            if (neuron.Predict(Inputs[row]) == targets[row])
            {
                correct++;
            }
        }

        return correct;
    }
}
