using System.Collections.Generic;
using NetGen.Data;
using NetGen.Initialization;
using NetGen.Training;

namespace NetGen.Tests;

/// <summary>A small classifier for the trainer's tests: 4 inputs, 8 ReLU units, 3 softmax outputs.</summary>
[Network(4, Loss = Loss.CrossEntropy)]
[Dense(8, Activation.ReLU)]
[Dense(3, Activation.Softmax)]
public sealed partial class TrainerNet { }

/// <summary>A regression network (mean squared error) for the trainer's and evaluator's tests.</summary>
[Network(3)]
[Dense(6, Activation.Tanh)]
[Dense(2)]
public sealed partial class RegressionNet { }

/// <summary>One tanh output trained with mean squared error: <c>Predict</c>'s threshold is 0.</summary>
[Network(2)]
[Dense(4, Activation.Tanh)]
[Dense(1, Activation.Tanh)]
public sealed partial class TanhOutputNet { }

/// <summary>One sigmoid output with binary cross-entropy: <c>Predict</c>'s threshold is 0.5.</summary>
[Network(2, Loss = Loss.BinaryCrossEntropy)]
[Dense(4, Activation.Tanh)]
[Dense(1, Activation.Sigmoid)]
public sealed partial class SigmoidOutputNet { }

internal static class TrainerTestData
{
    /// <summary>
    /// The trainer's loop written out, as tests compare it with <c>Trainer.Fit</c>: per epoch the order shuffled with
    /// <paramref name="seed"/> (when <paramref name="shuffle"/>), then per mini-batch <paramref name="batchGradients"/>
    /// (the batch's dataset indices; adds their gradients to <paramref name="net"/>, returns their summed loss) and one
    /// optimizer step on the mean. Returns each epoch's mean loss.
    /// </summary>
    public static List<double> HandWrittenEpochs(
        TrainerNet net, Optimizer optimizer, Dataset data, int epochs, int batchSize, bool shuffle, int seed,
        Func<ReadOnlyMemory<int>, double> batchGradients)
    {
        var random = new NetGenRandom(seed);
        int[] order = new int[data.Count];
        Permutation.Identity(order);
        var losses = new List<double>();
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            if (shuffle)
            {
                Permutation.Shuffle(order, ref random);
            }

            double lossSum = 0;
            for (int start = 0; start < order.Length; start += batchSize)
            {
                int size = Math.Min(batchSize, order.Length - start);
                lossSum += batchGradients(order.AsMemory(start, size));
                optimizer.Step(net, size);
            }

            losses.Add(lossSum / data.Count);
        }

        return losses;
    }

    /// <summary>
    /// <paramref name="count"/> samples of three Gaussian-ish blobs in 4 dimensions (class <c>i % 3</c>), labelled, with
    /// one-hot targets; the same for the same seed. <paramref name="flipLabels"/> moves every sample to the next class,
    /// which makes a validation set whose loss rises as the network learns the unflipped data.
    /// </summary>
    public static Dataset Blobs(int count, int seed, bool flipLabels = false)
    {
        var random = new NetGenRandom(seed);
        float[] features = new float[count * 4];
        int[] labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            int label = i % 3;
            for (int f = 0; f < 4; f++)
            {
                float centre = f == label ? 2f : f == 3 ? label - 1f : 0f;
                features[(i * 4) + f] = centre + random.NextSingle(1f) + random.NextSingle(1f);
            }

            labels[i] = flipLabels ? (label + 1) % 3 : label;
        }

        return new Dataset(features, 4, OneHot.Encode(labels, 3), 3, labels, 3);
    }

    /// <summary>Unlabelled regression data for <see cref="RegressionNet"/>: targets are smooth functions of the inputs.</summary>
    public static Dataset Regression(int count, int seed)
    {
        var random = new NetGenRandom(seed);
        float[] features = new float[count * 3];
        float[] targets = new float[count * 2];
        for (int i = 0; i < count; i++)
        {
            float a = random.NextSingle(1f), b = random.NextSingle(1f), c = random.NextSingle(1f);
            features[i * 3] = a;
            features[(i * 3) + 1] = b;
            features[(i * 3) + 2] = c;
            targets[i * 2] = (0.5f * a) - b;
            targets[(i * 2) + 1] = a * c;
        }

        return new Dataset(features, 3, targets, 2);
    }

    /// <summary>An <see cref="IProgress{T}"/> that runs its handler at once, on the training thread.</summary>
    public sealed class Immediate<T>(Action<T> handler) : IProgress<T>
    {
        public void Report(T value) => handler(value);
    }

    /// <summary>Records the network's parameters after each epoch (the progress report comes before early stopping decides).</summary>
    public sealed class Snapshots<TNet>(TNet network) : IProgress<EpochReport>
        where TNet : INetwork
    {
        public List<float[]> AfterEpoch { get; } = [];

        public void Report(EpochReport value) => AfterEpoch.Add(network.Parameters.ToArray());
    }
}
