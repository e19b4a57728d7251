using System;
using System.Diagnostics;
using System.Threading;
using NetGen.Data;
using NetGen.Evaluation;
using NetGen.Initialization;

namespace NetGen.Training;

/// <summary>
/// Entry points of the training loop: <see cref="Fit{TNet}(TNet, Optimizer, Dataset, TrainingOptions?)"/> trains a
/// network on a <see cref="Dataset"/> in mini-batches over epochs (see <see cref="Trainer{TNet}"/>), and
/// <see cref="TrainStep{TNet}"/> takes one online step on one sample, for games and devices that learn as data arrive.
/// </summary>
/// <example>
/// <code>
/// var net = new DigitsNet(seed: 1);
/// var optimizer = new Adam(DigitsNet.ParameterCount, learningRate: 1e-3);
/// TrainingHistory history = Trainer.Fit(net, optimizer, train, new TrainingOptions { Epochs = 30, BatchSize = 32, ValidationFraction = 0.1 });
/// Console.WriteLine(history);                              // one line per epoch
/// Console.WriteLine(Evaluator.Evaluate(net, test));        // loss and accuracy on held-out data
///
/// float loss = Trainer.TrainStep(net, optimizer, input, target); // one sample, one step
/// </code>
/// </example>
public static class Trainer
{
    /// <summary>Trains <paramref name="network"/> on <paramref name="train"/>; see <see cref="Trainer{TNet}.Fit"/>.</summary>
    /// <param name="network">The network to train, in place.</param>
    /// <param name="optimizer">The optimizer, created for <c>TNet.ParameterCount</c> parameters.</param>
    /// <param name="train">The training samples.</param>
    /// <param name="options">The settings, or <see langword="null"/> for the defaults.</param>
    /// <returns>One report per completed epoch and how the run ended.</returns>
    /// <exception cref="ArgumentNullException">An argument other than <paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">The optimizer or the data do not fit the network, or the options ask for something the data cannot give.</exception>
    public static TrainingHistory Fit<TNet>(TNet network, Optimizer optimizer, Dataset train, TrainingOptions? options = null)
        where TNet : INetwork
        => new Trainer<TNet>(network, optimizer, options).Fit(train);

    /// <summary>Trains <paramref name="network"/> on <paramref name="train"/>, measuring <paramref name="validation"/> after each epoch; see <see cref="Trainer{TNet}.Fit"/>.</summary>
    /// <param name="network">The network to train, in place.</param>
    /// <param name="optimizer">The optimizer, created for <c>TNet.ParameterCount</c> parameters.</param>
    /// <param name="train">The training samples.</param>
    /// <param name="validation">The validation samples, or <see langword="null"/>.</param>
    /// <param name="options">The settings, or <see langword="null"/> for the defaults.</param>
    /// <returns>One report per completed epoch and how the run ended.</returns>
    /// <exception cref="ArgumentNullException">An argument other than <paramref name="validation"/> and <paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">The optimizer or the data do not fit the network, or the options ask for something the data cannot give.</exception>
    public static TrainingHistory Fit<TNet>(TNet network, Optimizer optimizer, Dataset train, Dataset? validation, TrainingOptions? options = null)
        where TNet : INetwork
        => new Trainer<TNet>(network, optimizer, options).Fit(train, validation);

    /// <summary>
    /// One online training step on one sample: <c>Backward</c> (which adds the sample's gradient), then
    /// <c>optimizer.Step(network)</c> (which updates the weights and zeroes the gradients). Allocation-free. The
    /// gradients must be zero before the call, as every step leaves them.
    /// </summary>
    /// <param name="network">The network to train, in place.</param>
    /// <param name="optimizer">The optimizer, created for <c>TNet.ParameterCount</c> parameters.</param>
    /// <param name="input">Exactly <c>TNet.InputCount</c> values.</param>
    /// <param name="target">Exactly <c>TNet.OutputCount</c> values.</param>
    /// <returns>The sample's loss before the step.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> or <paramref name="optimizer"/> is null.</exception>
    /// <exception cref="ArgumentException">A span has the wrong length, or the optimizer does not fit the network.</exception>
    public static float TrainStep<TNet>(TNet network, Optimizer optimizer, ReadOnlySpan<float> input, ReadOnlySpan<float> target)
        where TNet : INetwork
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(optimizer);
        float loss = network.Backward(input, target);
        optimizer.Step(network);
        return loss;
    }
}

/// <summary>
/// Trains one network with one optimizer: mini-batches over epochs, a seeded shuffle per epoch, optional validation,
/// learning-rate schedule and early stopping, progress reports and cancellation. Keras's <c>model.fit</c>, or the
/// usual PyTorch loop, for a generated network.
/// </summary>
/// <remarks>
/// <para>
/// <b>An epoch.</b> The schedule, if any, sets the learning rate for the epoch; the sample order is shuffled; then for
/// each mini-batch of <see cref="TrainingOptions.BatchSize"/> samples, <c>Backward</c> runs on each (summing their
/// gradients) and <see cref="Optimizer.Step{TNet}(TNet, int)"/> updates the weights with the mean gradient and zeroes
/// it. After the last batch the training set (unless <see cref="TrainingOptions.MeasureTrainingAccuracy"/> is off)
/// and the validation set are measured with <c>Forward</c> (<see cref="Evaluator"/>), the <see cref="EpochReport"/>
/// goes to the history and to <see cref="TrainingOptions.Progress"/>, and early stopping decides whether to go on.
/// </para>
/// <para>
/// <b>Allocations.</b> The trainer allocates its buffers (the sample order, the best weights for early stopping, an
/// output buffer) once, and reuses them across <see cref="Fit"/> calls on data of the same size. <see cref="Fit"/>
/// allocates its <see cref="TrainingHistory"/> sized for <see cref="TrainingOptions.Epochs"/> entries, and the
/// validation split if one is asked for; an epoch then allocates nothing (unless a callback does).
/// </para>
/// <para>
/// <b>Determinism.</b> The shuffling generator starts from <see cref="TrainingOptions.Seed"/> (or
/// <see cref="TrainingOptions.Random"/>) when the trainer is created and goes on across <see cref="Fit"/> calls. Two
/// trainers created alike, on networks with the same weights and the same data, train to bit-identical weights.
/// </para>
/// <para>
/// The calls on the network go through the generic <typeparamref name="TNet"/>, never through the interface type. A
/// trainer is not thread-safe, and nothing else may use the network while it trains.
/// </para>
/// </remarks>
/// <typeparam name="TNet">The generated network class.</typeparam>
public sealed class Trainer<TNet>
    where TNet : INetwork
{
    private readonly float[] _outputs = new float[TNet.OutputCount];
    private readonly float[] _bestParameters;
    private NetGenRandom _random;
    private int[] _order = [];

    /// <summary>Creates a trainer for <paramref name="network"/>.</summary>
    /// <param name="network">The network to train, in place.</param>
    /// <param name="optimizer">The optimizer, created for <c>TNet.ParameterCount</c> parameters.</param>
    /// <param name="options">The settings, or <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> or <paramref name="optimizer"/> is null.</exception>
    /// <exception cref="ArgumentException">The optimizer was created for another parameter count.</exception>
    public Trainer(TNet network, Optimizer optimizer, TrainingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(optimizer);
        if (optimizer.ParameterCount != TNet.ParameterCount)
        {
            throw new ArgumentException(
                $"The optimizer was created for {optimizer.ParameterCount} parameters but {TNet.Architecture} has {TNet.ParameterCount}.",
                nameof(optimizer));
        }

        Network = network;
        Optimizer = optimizer;
        Options = options ?? new TrainingOptions();
        _random = Options.Random ?? new NetGenRandom(Options.Seed);
        _bestParameters = Options.EarlyStopping is { RestoreBestWeights: true } ? new float[TNet.ParameterCount] : [];
    }

    /// <summary>The network being trained.</summary>
    public TNet Network { get; }

    /// <summary>The optimizer that updates it.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>The settings.</summary>
    public TrainingOptions Options { get; }

    /// <summary>
    /// Trains for up to <see cref="TrainingOptions.Epochs"/> epochs on <paramref name="train"/> and returns the history.
    /// The network's gradients are zeroed first.
    /// </summary>
    /// <remarks>
    /// Validation data come from <paramref name="validation"/> or, when it is <see langword="null"/>, from holding out
    /// <see cref="TrainingOptions.ValidationFraction"/> of <paramref name="train"/>. Cancellation through
    /// <see cref="TrainingOptions.CancellationToken"/> does not throw: it ends the run between two batches and the
    /// history says so (<see cref="TrainingHistory.Cancelled"/>).
    /// </remarks>
    /// <param name="train">
    /// The training samples: <c>TNet.InputCount</c> features (a sequence network: sequences of a whole number of steps, at
    /// most <c>TNet.MaxSteps</c>, of <c>TNet.InputCount</c> features) and <c>TNet.OutputCount</c> targets each, at least one.
    /// </param>
    /// <param name="validation">Validation samples, or <see langword="null"/>.</param>
    /// <returns>One report per completed epoch and how the run ended.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="train"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// A dataset does not fit the network or is empty; a validation set is given while
    /// <see cref="TrainingOptions.ValidationFraction"/> is set; or early stopping watches a validation value there is
    /// no validation set (or no classes) for.
    /// </exception>
    public TrainingHistory Fit(Dataset train, Dataset? validation = null)
    {
        int classes = Evaluator.CheckAndCountClasses<TNet>(train, nameof(train));
        if (train.Count == 0)
        {
            throw new ArgumentException("The training set has no samples.", nameof(train));
        }

        if (train.FeatureCount / TNet.InputCount > TNet.MaxSteps)
        {
            throw new ArgumentException(
                $"The training sequences have {train.FeatureCount / TNet.InputCount} steps, more than the network's MaxSteps of {TNet.MaxSteps} ({TNet.Architecture}); declare a larger MaxSteps on [Network].",
                nameof(train));
        }

        TrainingOptions options = Options;
        if (validation is not null)
        {
            Evaluator.CheckAndCountClasses<TNet>(validation, nameof(validation));
            if (options.ValidationFraction > 0)
            {
                throw new ArgumentException("A validation set was given and the options also ask to split one off (ValidationFraction); choose one.", nameof(validation));
            }
        }
        else if (options.ValidationFraction > 0)
        {
            (train, validation) = SplitValidation(train, options.ValidationFraction);
        }

        EarlyStopping? stopping = options.EarlyStopping;
        CheckEarlyStopping(stopping, validation, classes);

        if (_order.Length != train.Count)
        {
            _order = new int[train.Count];
        }

        Permutation.Identity(_order);
        TNet network = Network;
        Optimizer optimizer = Optimizer;
        CancellationToken cancellation = options.CancellationToken;
        Action<BatchReport>? batchCompleted = options.BatchCompleted;
        int batchSize = options.BatchSize;
        int count = train.Count;
        int batchCount = (count + batchSize - 1) / batchSize;
        bool measureTraining = options.MeasureTrainingAccuracy && classes > 0;
        var history = new TrainingHistory(options.Epochs);
        int[] order = _order;
        ReadOnlySpan<float> features = train.FeatureValues;
        ReadOnlySpan<float> targets = train.TargetValues;
        int inputs = train.FeatureCount;
        int outputs = train.TargetCount;
        double best = double.NaN;
        int sinceBest = 0;
        bool holdingBest = false; // the network's weights are those saved in _bestParameters
        long runStart = Stopwatch.GetTimestamp();
        network.ZeroGradients();
        for (int epoch = 1; epoch <= options.Epochs && !history.Cancelled; epoch++)
        {
            if (cancellation.IsCancellationRequested)
            {
                history.Cancelled = true;
                break;
            }

            long epochStart = Stopwatch.GetTimestamp();
            options.Schedule?.Apply(optimizer, epoch - 1);
            double learningRate = optimizer.LearningRate;
            if (options.Shuffle)
            {
                Permutation.Shuffle(order, ref _random);
            }

            double lossSum = 0;
            int batch = 0;
            for (int start = 0; start < count; start += batchSize)
            {
                if (cancellation.IsCancellationRequested)
                {
                    history.Cancelled = true;
                    break;
                }

                int end = Math.Min(start + batchSize, count);
                double batchLoss = 0;
                for (int i = start; i < end; i++)
                {
                    int sample = order[i];
                    batchLoss += network.Backward(features.Slice(sample * inputs, inputs), targets.Slice(sample * outputs, outputs));
                }

                optimizer.Step(network, end - start);
                history.Steps++;
                holdingBest = false;
                lossSum += batchLoss;
                batch++;
                batchCompleted?.Invoke(new BatchReport(epoch, batch, batchCount, end - start, batchLoss / (end - start)));
            }

            if (history.Cancelled)
            {
                break;
            }

            double? trainingAccuracy = null;
            if (measureTraining)
            {
                Evaluator.Measure(network, train, _outputs, null, out double accuracy);
                trainingAccuracy = accuracy;
            }

            double? validationLoss = null;
            double? validationAccuracy = null;
            if (validation is not null)
            {
                validationLoss = Evaluator.Measure(network, validation, _outputs, null, out double accuracy);
                validationAccuracy = double.IsNaN(accuracy) ? null : accuracy;
            }

            var report = new EpochReport(
                epoch, options.Epochs, lossSum / count, trainingAccuracy, validationLoss, validationAccuracy, learningRate,
                Stopwatch.GetElapsedTime(epochStart));
            history.Add(report);
            options.Progress?.Report(report);

            if (stopping is not null)
            {
                double value = stopping.Monitor switch
                {
                    EarlyStoppingMetric.ValidationLoss => report.ValidationLoss!.Value,
                    EarlyStoppingMetric.ValidationAccuracy => report.ValidationAccuracy!.Value,
                    _ => report.TrainingLoss,
                };
                if (stopping.Improves(value, best))
                {
                    best = value;
                    sinceBest = 0;
                    history.BestEpoch = epoch;
                    if (stopping.RestoreBestWeights)
                    {
                        network.Parameters.CopyTo(_bestParameters);
                        holdingBest = true;
                    }
                }
                else if (++sinceBest >= stopping.Patience)
                {
                    history.StoppedEarly = epoch < options.Epochs;
                    break;
                }
            }
        }

        if (stopping is { RestoreBestWeights: true } && history.BestEpoch is not null && !holdingBest)
        {
            _bestParameters.CopyTo(network.Parameters);
            history.RestoredBestWeights = true;
        }

        history.Duration = Stopwatch.GetElapsedTime(runStart);
        return history;
    }

    private (Dataset Train, Dataset Validation) SplitValidation(Dataset data, double fraction)
    {
        (Dataset train, Dataset validation) = data.HasLabels
            ? DataSplit.Stratified(data, 1 - fraction, ref _random)
            : DataSplit.Random(data, 1 - fraction, ref _random);
        if (train.Count == 0 || validation.Count == 0)
        {
            throw new ArgumentException(
                $"Holding out {fraction} of {data.Count} samples for validation leaves {train.Count} to train on and {validation.Count} to validate with; both need at least one.",
                nameof(data));
        }

        return (train, validation);
    }

    private static void CheckEarlyStopping(EarlyStopping? stopping, Dataset? validation, int classes)
    {
        if (stopping is null || !stopping.NeedsValidation)
        {
            return;
        }

        if (validation is null || validation.Count == 0)
        {
            throw new ArgumentException(
                $"Early stopping watches {stopping.Monitor} but there is no validation data: pass a validation set or set ValidationFraction.",
                nameof(validation));
        }

        if (stopping.Monitor == EarlyStoppingMetric.ValidationAccuracy && classes == 0)
        {
            throw new ArgumentException(
                "Early stopping watches the validation accuracy but the data have no classes (no labels and a mean-squared-error network).",
                nameof(validation));
        }
    }
}
