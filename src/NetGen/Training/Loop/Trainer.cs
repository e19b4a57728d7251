using System;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
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
    public static TrainingHistory Fit<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TNet>(TNet network, Optimizer optimizer, Dataset train, TrainingOptions? options = null)
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
    public static TrainingHistory Fit<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TNet>(TNet network, Optimizer optimizer, Dataset train, Dataset? validation, TrainingOptions? options = null)
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
/// each mini-batch of <see cref="TrainingOptions.BatchSize"/> samples, the samples are gathered one after another into
/// a buffer (without shuffling they already are, and the dataset is sliced instead), one <c>BackwardBatch</c> sums
/// their gradients (on <see cref="TrainingOptions.DegreeOfParallelism"/> threads, each on a contiguous slice) and
/// <see cref="Optimizer.Step{TNet}(TNet, int)"/> updates the weights with the mean gradient and zeroes it. The
/// training loss is the mean over the epoch's samples of the losses <c>BackwardBatch</c> returned (each batch's sum
/// in float, the epoch's in double). After the last batch the training set (unless
/// <see cref="TrainingOptions.MeasureTrainingAccuracy"/> is off) and the validation set are measured with
/// <c>ForwardBatch</c> in chunks (<see cref="Evaluator"/>), the <see cref="EpochReport"/>
/// goes to the history and to <see cref="TrainingOptions.Progress"/>, and early stopping decides whether to go on.
/// </para>
/// <para>
/// <b>Allocations.</b> The trainer allocates its buffers (the sample order, the batch's gathered samples, the best
/// weights for early stopping, an output buffer, the network replicas of the worker threads) once, and reuses them
/// across <see cref="Fit"/> calls on data of the same size. <see cref="Fit"/> allocates its
/// <see cref="TrainingHistory"/> sized for <see cref="TrainingOptions.Epochs"/> entries, the validation split if one
/// is asked for, and with <see cref="TrainingOptions.DegreeOfParallelism"/> above 1 its worker threads (stopped when
/// it returns or throws); an epoch then allocates nothing, on any thread (unless a callback does).
/// </para>
/// <para>
/// <b>Determinism.</b> The shuffling generator starts from <see cref="TrainingOptions.Seed"/> (or
/// <see cref="TrainingOptions.Random"/>) when the trainer is created and goes on across <see cref="Fit"/> calls. Two
/// trainers created alike, on networks with the same weights and the same data, train to bit-identical weights, also
/// with several threads: the slices of a batch are fixed by its size and the degree, and their gradients are added
/// in slice order.
/// </para>
/// <para>
/// The calls on the network go through the generic <typeparamref name="TNet"/>, never through the interface type. A
/// trainer is not thread-safe, and nothing else may use the network while it trains.
/// </para>
/// </remarks>
/// <typeparam name="TNet">
/// The generated network class. Its public parameterless constructor (every generated network has one) creates the
/// worker threads' replicas when <see cref="TrainingOptions.DegreeOfParallelism"/> is above 1.
/// </typeparam>
public sealed class Trainer<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TNet>
    where TNet : INetwork
{
    /// <summary>The samples per <c>ForwardBatch</c> when the trainer measures a dataset.</summary>
    private const int MeasureChunk = 256;

    private readonly NetworkShape _shape;
    private readonly float[] _outputs;
    private readonly float[] _bestParameters;
    private readonly TNet[] _replicas;
    private NetGenRandom _random;
    private int[] _order = [];
    private float[] _batchInputs = [];
    private float[] _batchTargets = [];

    /// <summary>Creates a trainer for <paramref name="network"/>.</summary>
    /// <param name="network">The network to train, in place.</param>
    /// <param name="optimizer">The optimizer, created for <c>TNet.ParameterCount</c> parameters.</param>
    /// <param name="options">The settings, or <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> or <paramref name="optimizer"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// The optimizer was created for another parameter count, or the options ask for several threads and
    /// <typeparamref name="TNet"/> is not a class with a public parameterless constructor to create replicas with.
    /// </exception>
    public Trainer(TNet network, Optimizer optimizer, TrainingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(optimizer);
        _shape = NetworkShape.Of(network);
        if (optimizer.ParameterCount != _shape.ParameterCount)
        {
            throw new ArgumentException(
                $"The optimizer was created for {optimizer.ParameterCount} parameters but {_shape.Architecture} has {_shape.ParameterCount}.",
                nameof(optimizer));
        }

        _outputs = new float[MeasureChunk * _shape.OutputCount];

        Network = network;
        Optimizer = optimizer;
        Options = options ?? new TrainingOptions();
        _random = Options.Random ?? new NetGenRandom(Options.Seed);
        _bestParameters = Options.EarlyStopping is { RestoreBestWeights: true } ? new float[_shape.ParameterCount] : [];
        _replicas = CreateReplicas(Options.DegreeOfParallelism - 1);
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
        int classes = Evaluator.CheckAndCountClasses(_shape, train, nameof(train));
        if (train.Count == 0)
        {
            throw new ArgumentException("The training set has no samples.", nameof(train));
        }

        if (train.FeatureCount / _shape.InputCount > _shape.MaxSteps)
        {
            throw new ArgumentException(
                $"The training sequences have {train.FeatureCount / _shape.InputCount} steps, more than the network's MaxSteps of {_shape.MaxSteps} ({_shape.Architecture}); declare a larger MaxSteps on [Network].",
                nameof(train));
        }

        TrainingOptions options = Options;
        if (validation is not null)
        {
            Evaluator.CheckAndCountClasses(_shape, validation, nameof(validation));
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

        int batchValues = Math.Min(options.BatchSize, train.Count);
        if (options.Shuffle && _batchInputs.Length != batchValues * train.FeatureCount)
        {
            _batchInputs = new float[batchValues * train.FeatureCount];
            _batchTargets = new float[batchValues * train.TargetCount];
        }

        using ParallelBackward<TNet>? parallel = _replicas.Length == 0 ? null : new ParallelBackward<TNet>(Network, _replicas);

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
                double batchLoss = BackwardBatch(train, order, start, end - start, parallel, optimizer, out bool stepped);
                if (!stepped)
                {
                    optimizer.Step(network, end - start);
                }

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

    /// <summary>
    /// Adds the summed gradients of the <paramref name="n"/> samples <c>order[start..]</c> lists to the network's gradients
    /// and returns the sum of their losses: one <c>BackwardBatch</c> over the samples one after another, gathered into the
    /// batch buffers when shuffled (in dataset order they already are one after another), or the parallel equivalent,
    /// whose threads gather their own slices and, when <paramref name="stepped"/> comes back true, have also run the
    /// optimizer's step by parameter ranges.
    /// </summary>
    private double BackwardBatch(Dataset train, int[] order, int start, int n, ParallelBackward<TNet>? parallel, Optimizer optimizer, out bool stepped)
    {
        stepped = false;
        int inputs = train.FeatureCount;
        int outputs = train.TargetCount;
        if (!Options.Shuffle)
        {
            // Without shuffling the order is the identity: the batch is already one block of the dataset.
            int first = order[start];
            return parallel is null
                ? Network.BackwardBatch(train.FeatureArray.AsSpan(first * inputs, n * inputs), train.TargetArray.AsSpan(first * outputs, n * outputs))
                : parallel.Backward(train.FeatureArray, first * inputs, inputs, train.TargetArray, first * outputs, n, optimizer, out stepped);
        }

        if (parallel is not null)
        {
            // Each thread gathers its own slice into the batch buffers (disjoint parts) before its BackwardBatch.
            return parallel.Backward(train, order, start, _batchInputs, _batchTargets, n, optimizer, out stepped);
        }

        train.Gather(order, start, n, _batchInputs, _batchTargets);
        return Network.BackwardBatch(_batchInputs.AsSpan(0, n * inputs), _batchTargets.AsSpan(0, n * outputs));
    }

    /// <summary>The worker threads' network replicas, created once per trainer with <typeparamref name="TNet"/>'s parameterless constructor.</summary>
    private static TNet[] CreateReplicas(int count)
    {
        if (count == 0)
        {
            return [];
        }

        if (typeof(TNet).IsValueType)
        {
            throw new ArgumentException(
                $"Training on several threads (DegreeOfParallelism {count + 1}) needs a network class to replicate, but {typeof(TNet).Name} is a value type.",
                "options");
        }

        var replicas = new TNet[count];
        for (int k = 0; k < count; k++)
        {
            try
            {
                replicas[k] = Activator.CreateInstance<TNet>();
            }
            catch (MissingMethodException e)
            {
                throw new ArgumentException(
                    $"Training on several threads (DegreeOfParallelism {count + 1}) creates a replica of the network per worker with a public parameterless constructor, which {typeof(TNet).Name} does not have.",
                    "options",
                    e);
            }
        }

        return replicas;
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
