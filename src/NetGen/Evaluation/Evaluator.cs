using System;
using System.Collections.Generic;
using NetGen.Data;
using NetGen.Numerics;

namespace NetGen.Evaluation;

/// <summary>
/// Runs a network over a <see cref="Dataset"/> and measures it: the mean loss and, for classification, the confusion
/// matrix with accuracy, precision, recall and F1. The samples go through <c>ForwardBatch</c> (or <c>PredictBatch</c>)
/// in chunks, sliced from the dataset without copying, and nothing is allocated per sample.
/// </summary>
/// <remarks>
/// <para>
/// <b>Loss.</b> Each sample's loss is computed from the outputs of <c>ForwardBatch</c> with the network's
/// <c>LossFunction</c> (<see cref="Losses.OfOutputs"/>), and averaged over the samples in double precision.
/// </para>
/// <para>
/// <b>Classes.</b> The predicted class is the one <c>Predict</c> returns, taken from the same outputs
/// (<see cref="PredictedClass{TNet}(ReadOnlySpan{float})"/>): the index of the largest output or, for a single output, 1 above the
/// decision threshold (0 for a <c>Tanh</c> output, 0.5 otherwise) and 0 otherwise. The true class is the dataset's
/// label when it has labels (its <see cref="Dataset.ClassCount"/> must then be the network's: its output count, or 2
/// for a single output). Without labels it is read from the targets when the loss is a classification loss: the
/// index of the largest target for <see cref="Loss.CrossEntropy"/> (and for several outputs), and for a single
/// <see cref="Loss.BinaryCrossEntropy"/> output 1 when the target exceeds 0.5. A dataset without labels on a
/// <see cref="Loss.MeanSquaredError"/> network is treated as regression: it has a loss but no classes.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// EvaluationResult result = Evaluator.Evaluate(network, test, classNames);
/// Console.WriteLine($"loss {result.MeanLoss:0.0000}, accuracy {result.Accuracy:0.0000}");
/// Console.WriteLine(result.Confusion);
/// Console.WriteLine(result.Confusion!.ClassificationReport());
/// </code>
/// </example>
public static class Evaluator
{
    /// <summary>
    /// The floats of output buffer that live on the stack: a chunk of <c>StackOutputs / OutputCount</c> samples per
    /// <c>ForwardBatch</c>. Networks with more outputs allocate one sample's buffer per call.
    /// </summary>
    private const int StackOutputs = 1024;

    /// <summary>The samples per <c>PredictBatch</c> in <see cref="Accuracy{TNet}"/>.</summary>
    private const int PredictChunk = 256;

    /// <summary>Measures <paramref name="network"/> on every sample of <paramref name="data"/>.</summary>
    /// <param name="network">The network to run.</param>
    /// <param name="data">Samples of <c>TNet.InputCount</c> features (a sequence network: sequences of a whole number of steps of <c>TNet.InputCount</c> features) and <c>TNet.OutputCount</c> targets.</param>
    /// <param name="classNames">Names for the confusion matrix's classes, or <see langword="null"/> for <c>0, 1, ...</c>.</param>
    /// <returns>The mean loss and, unless the samples are regression data, the confusion matrix.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> or <paramref name="data"/> is null.</exception>
    /// <exception cref="ArgumentException">The dataset does not fit the network (sizes or class count), or the names do not fit the classes.</exception>
    public static EvaluationResult Evaluate<TNet>(TNet network, Dataset data, IReadOnlyList<string>? classNames = null)
        where TNet : INetwork
    {
        ArgumentNullException.ThrowIfNull(network);
        NetworkShape shape = NetworkShape.Of(network);
        int classes = CheckAndCountClasses(shape, data, nameof(data));
        if (classes == 0 && classNames is not null)
        {
            throw new ArgumentException("Class names were given but the dataset has no classes (a regression network without labels).", nameof(classNames));
        }

        ConfusionMatrix? confusion = classes == 0 ? null : new ConfusionMatrix(classes, classNames);
        Span<float> outputs = shape.OutputCount <= StackOutputs ? stackalloc float[StackOutputs - (StackOutputs % shape.OutputCount)] : new float[shape.OutputCount];
        double meanLoss = Measure(network, data, outputs, confusion, out _);
        return new EvaluationResult(data.Count, meanLoss, confusion);
    }

    /// <summary>The mean loss of <paramref name="network"/> over <paramref name="data"/> (0 for an empty dataset). Allocation-free for up to 1024 outputs.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> or <paramref name="data"/> is null.</exception>
    /// <exception cref="ArgumentException">The dataset does not fit the network.</exception>
    public static double MeanLoss<TNet>(TNet network, Dataset data)
        where TNet : INetwork
    {
        ArgumentNullException.ThrowIfNull(network);
        NetworkShape shape = NetworkShape.Of(network);
        CheckAndCountClasses(shape, data, nameof(data));
        Span<float> outputs = shape.OutputCount <= StackOutputs ? stackalloc float[StackOutputs - (StackOutputs % shape.OutputCount)] : new float[shape.OutputCount];
        return Measure(network, data, outputs, null, out _);
    }

    /// <summary>The fraction of <paramref name="data"/> that <paramref name="network"/> classifies correctly (0 for an empty dataset), through <c>PredictBatch</c>. Allocation-free.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> or <paramref name="data"/> is null.</exception>
    /// <exception cref="ArgumentException">The dataset does not fit the network, or has no classes (regression data).</exception>
    public static double Accuracy<TNet>(TNet network, Dataset data)
        where TNet : INetwork
    {
        ArgumentNullException.ThrowIfNull(network);
        NetworkShape shape = NetworkShape.Of(network);
        if (CheckAndCountClasses(shape, data, nameof(data)) == 0)
        {
            throw new ArgumentException("The dataset has no classes: it has no labels and the network's loss is mean squared error.", nameof(data));
        }

        Span<int> predicted = stackalloc int[PredictChunk];
        bool singleOutput = shape.OutputCount == 1;
        ReadOnlySpan<float> features = data.FeatureValues;
        int width = data.FeatureCount;
        int count = data.Count;
        int correct = 0;
        for (int start = 0; start < count; start += PredictChunk)
        {
            int n = Math.Min(PredictChunk, count - start);
            network.PredictBatch(features.Slice(start * width, n * width), predicted[..n]);
            for (int j = 0; j < n; j++)
            {
                int i = start + j;
                int actual = data.HasLabels ? data.Label(i) : ActualFromTarget(data.Target(i), singleOutput);
                correct += predicted[j] == actual ? 1 : 0;
            }
        }

        return count == 0 ? 0 : (double)correct / count;
    }

    /// <summary>
    /// The class <c>Predict</c> returns for these outputs of <typeparamref name="TNet"/>: the index of the largest
    /// (the first on ties) or, for a single output, 1 when it exceeds the decision threshold (0 after <c>Tanh</c>,
    /// 0.5 otherwise) and 0 if not. Allocation-free.
    /// </summary>
    /// <remarks>
    /// In the netstandard2.1 build (C# 9, Unity), where a network's sizes and architecture are instance members, this
    /// reads them once per network type from an instance made through the type's public parameterless constructor
    /// (which every generated network has); <see cref="PredictedClass{TNet}(TNet, ReadOnlySpan{float})"/> reads them
    /// from the network given instead.
    /// </remarks>
    /// <param name="outputs">Exactly <c>TNet.OutputCount</c> values written by <c>Forward</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="outputs"/> has the wrong length.</exception>
    public static int PredictedClass<TNet>(ReadOnlySpan<float> outputs)
        where TNet : INetwork
        => PredictedClass(NetworkShape.Of<TNet>(), outputs);

    /// <summary>
    /// The class <c>Predict</c> returns for these outputs of <paramref name="network"/>: the index of the largest
    /// (the first on ties) or, for a single output, 1 when it exceeds the decision threshold (0 after <c>Tanh</c>,
    /// 0.5 otherwise) and 0 if not. Allocation-free. The same as <see cref="PredictedClass{TNet}(ReadOnlySpan{float})"/>,
    /// with the network's sizes and architecture read from <paramref name="network"/> in the netstandard2.1 build.
    /// </summary>
    /// <param name="network">The network whose outputs these are.</param>
    /// <param name="outputs">Exactly <c>TNet.OutputCount</c> values written by <c>Forward</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="outputs"/> has the wrong length.</exception>
    public static int PredictedClass<TNet>(TNet network, ReadOnlySpan<float> outputs)
        where TNet : INetwork
    {
        ArgumentNullException.ThrowIfNull(network);
        return PredictedClass(NetworkShape.Of(network), outputs);
    }

    private static int PredictedClass(NetworkShape shape, ReadOnlySpan<float> outputs)
    {
        Guard.Length(outputs, shape.OutputCount, nameof(outputs));
        return outputs.Length == 1 ? (outputs[0] > DecisionThreshold(shape.Architecture) ? 1 : 0) : SpanMath.ArgMax(outputs);
    }

    /// <summary>
    /// Checks that <paramref name="data"/> fits a network of this <paramref name="shape"/> and returns its number of
    /// classes, or 0 for regression data (no labels and a mean-squared-error network).
    /// </summary>
    internal static int CheckAndCountClasses(NetworkShape shape, Dataset? data, string paramName)
    {
        ArgumentNullException.ThrowIfNull(data, paramName);
        if (shape.MaxSteps > 1)
        {
            // A sequence network: each sample is one sequence of a whole number of steps.
            if (data.FeatureCount % shape.InputCount != 0 || data.TargetCount != shape.OutputCount)
            {
                throw new ArgumentException(
                    $"The dataset has {data.FeatureCount} features and {data.TargetCount} targets per sample but the sequence network ({shape.Architecture}) "
                    + $"takes a whole number of steps of {shape.InputCount} features and has {shape.OutputCount} outputs.",
                    paramName);
            }
        }
        else if (data.FeatureCount != shape.InputCount || data.TargetCount != shape.OutputCount)
        {
            throw new ArgumentException(
                $"The dataset has {data.FeatureCount} features and {data.TargetCount} targets per sample but the network ({shape.Architecture}) "
                + $"has {shape.InputCount} inputs and {shape.OutputCount} outputs.",
                paramName);
        }

        int networkClasses = shape.OutputCount == 1 ? 2 : shape.OutputCount;
        if (data.HasLabels)
        {
            if (data.ClassCount != networkClasses)
            {
                throw new ArgumentException(
                    $"The dataset's labels have {data.ClassCount} classes but the network ({shape.Architecture}) predicts {networkClasses}.", paramName);
            }

            return networkClasses;
        }

        return shape.LossFunction == Loss.MeanSquaredError ? 0 : networkClasses;
    }

    /// <summary>
    /// The mean loss over <paramref name="data"/>; adds every (true, predicted) pair to <paramref name="confusion"/>
    /// when given (it is not cleared first). <paramref name="accuracy"/> is NaN when the data have no classes. The
    /// caller has checked the dataset. <paramref name="outputs"/> holds a whole number of samples' outputs (at least
    /// one): the samples per <c>ForwardBatch</c>.
    /// </summary>
    internal static double Measure<TNet>(TNet network, Dataset data, Span<float> outputs, ConfusionMatrix? confusion, out double accuracy)
        where TNet : INetwork
    {
        NetworkShape shape = NetworkShape.Of(network);
        bool classify = data.HasLabels || shape.LossFunction != Loss.MeanSquaredError;
        bool labelled = data.HasLabels;
        bool singleOutput = shape.OutputCount == 1;
        float threshold = DecisionThreshold(shape.Architecture);
        Loss loss = shape.LossFunction;
        double lossSum = 0;
        int correct = 0;
        int count = data.Count;
        int outputCount = shape.OutputCount;
        int chunk = outputs.Length / outputCount;
        ReadOnlySpan<float> features = data.FeatureValues;
        int width = data.FeatureCount;
        for (int start = 0; start < count; start += chunk)
        {
            int n = Math.Min(chunk, count - start);
            Span<float> chunkOutputs = outputs[..(n * outputCount)];
            network.ForwardBatch(features.Slice(start * width, n * width), chunkOutputs);
            for (int j = 0; j < n; j++)
            {
                int i = start + j;
                ReadOnlySpan<float> target = data.Target(i);
                ReadOnlySpan<float> output = chunkOutputs.Slice(j * outputCount, outputCount);
                lossSum += Losses.OfOutputs(loss, output, target);
                if (classify)
                {
                    int predicted = singleOutput ? (output[0] > threshold ? 1 : 0) : SpanMath.ArgMax(output);
                    int actual = labelled ? data.Label(i) : ActualFromTarget(target, singleOutput);
                    correct += predicted == actual ? 1 : 0;
                    confusion?.Add(actual, predicted);
                }
            }
        }

        accuracy = !classify ? double.NaN : count == 0 ? 0 : (double)correct / count;
        return count == 0 ? 0 : lossSum / count;
    }

    /// <summary>The true class read from a target without labels: above 0.5 for a single output, else the largest.</summary>
    private static int ActualFromTarget(ReadOnlySpan<float> target, bool singleOutput)
        => singleOutput ? (target[0] > 0.5f ? 1 : 0) : SpanMath.ArgMax(target);

    /// <summary>
    /// The threshold of a single-output network's <c>Predict</c>: 0 when the output layer is <c>Tanh</c>, else 0.5.
    /// Read from the network's <see cref="INetwork.Architecture"/> (<c>...-1(Tanh), Loss</c>) without allocating.
    /// </summary>
    private static float DecisionThreshold(ReadOnlySpan<char> architecture)
    {
        int comma = architecture.LastIndexOf(',');
        ReadOnlySpan<char> layers = comma < 0 ? architecture : architecture[..comma];
        return layers.EndsWith("(Tanh)", StringComparison.Ordinal) ? 0f : 0.5f;
    }
}
