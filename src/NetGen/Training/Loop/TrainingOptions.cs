using System;
using System.Threading;
using NetGen.Data;
using NetGen.Initialization;

namespace NetGen.Training;

/// <summary>
/// How <see cref="Trainer"/> trains: epochs, mini-batch size, shuffling, validation, learning-rate schedule, early
/// stopping, progress and cancellation. Every setting has a default; each is checked when it is set.
/// </summary>
/// <example>
/// <code>
/// var options = new TrainingOptions
/// {
///     Epochs = 50,
///     BatchSize = 32,
///     Seed = 7,
///     ValidationFraction = 0.1,
///     Schedule = new CosineAnnealingSchedule(1e-3, period: 50),
///     EarlyStopping = new EarlyStopping(patience: 5),
///     Progress = new Progress&lt;EpochReport&gt;(Console.WriteLine), // see Progress: this one reports on the thread pool
/// };
/// </code>
/// </example>
public sealed record TrainingOptions
{
    private readonly int _epochs = 10;
    private readonly int _batchSize = 32;
    private readonly double _validationFraction;
    private readonly int _degreeOfParallelism = 1;

    /// <summary>The number of passes over the training set; default 10. 0 trains nothing (and still measures nothing).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int Epochs
    {
        get => _epochs;
        init => _epochs = Hyperparameters.NonNegative(value, nameof(Epochs));
    }

    /// <summary>
    /// The samples per optimizer step; default 32. They are gathered one after another into a buffer (allocated once
    /// per run) and one <c>BackwardBatch</c> sums their gradients (see <see cref="DegreeOfParallelism"/> for
    /// several threads); the step uses their
    /// mean (<see cref="Optimizer.Step{TNet}(TNet, int)"/>). The last batch of an epoch holds the remainder (PyTorch's
    /// <c>drop_last=False</c>). 1 gives per-sample (online) SGD.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1.</exception>
    public int BatchSize
    {
        get => _batchSize;
        init => _batchSize = Hyperparameters.Positive(value, nameof(BatchSize));
    }

    /// <summary>
    /// The number of threads that compute a mini-batch's gradients; default 1 (the calling thread alone). With
    /// <c>d</c> &gt; 1 the trainer starts <c>d - 1</c> worker threads for the run, each with its own replica of the
    /// network (created with the network type's public parameterless constructor, its weights copied from the trained
    /// network before every batch). Each batch is cut into <c>d</c> contiguous slices of (nearly) equal size; slice 0
    /// runs <c>BackwardBatch</c> on the calling thread into the trained network's gradients, slice <c>k</c> on worker
    /// <c>k</c> into its replica's, and the replicas' gradients and losses are then added in the fixed order 1, 2, ...
    /// So a seed gives bit-identical training for a given degree on every run; different degrees sum the same
    /// gradients in another order, and agree to float rounding. The workers end when <c>Fit</c> returns or throws.
    /// Worth it when a batch holds enough work (e.g. 784-128-64-10 at 256 samples per batch); set it at most to the
    /// number of cores (<see cref="Environment.ProcessorCount"/>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1.</exception>
    public int DegreeOfParallelism
    {
        get => _degreeOfParallelism;
        init => _degreeOfParallelism = value >= 1
            ? value
            : throw new ArgumentOutOfRangeException(nameof(DegreeOfParallelism), value, "The degree of parallelism must be at least 1 (1 trains on the calling thread alone).");
    }

    /// <summary>
    /// Whether to visit the training samples in a new random order each epoch; default <see langword="true"/>. The
    /// order is kept in one index buffer and shuffled in place each epoch (<see cref="Permutation.Shuffle"/>), so each
    /// epoch's order follows from the previous one. Without shuffling the samples are visited in dataset order.
    /// </summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>
    /// The seed of the generator that shuffles the samples and splits off <see cref="ValidationFraction"/>; default
    /// <see cref="NetGenRandom.DefaultSeed"/>. The same seed, data, network weights and options give bit-identical
    /// training on every run. Ignored when <see cref="Random"/> is set.
    /// </summary>
    public int Seed { get; init; } = NetGenRandom.DefaultSeed;

    /// <summary>
    /// A generator state to shuffle (and split) with instead of one started from <see cref="Seed"/>, e.g. the one that
    /// <see cref="DataSplit.Stratified(Dataset, double, ref NetGenRandom)"/> left advanced, so that one seed drives
    /// both the split and the training order. The trainer works on its own copy.
    /// </summary>
    public NetGenRandom? Random { get; init; }

    /// <summary>
    /// The fraction of the training set to hold out for validation when <c>Fit</c> is given no validation set; default
    /// 0 (none). The split is drawn with the training generator before the first epoch, stratified by class when the
    /// data have labels (<see cref="DataSplit.Stratified(Dataset, double, ref NetGenRandom)"/>) and uniform otherwise.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not in <c>[0, 1)</c>.</exception>
    public double ValidationFraction
    {
        get => _validationFraction;
        init => _validationFraction = value >= 0 && value < 1
            ? value
            : throw new ArgumentOutOfRangeException(nameof(ValidationFraction), value, "The validation fraction must be in [0, 1).");
    }

    /// <summary>
    /// A learning-rate schedule, applied before each epoch with the number of epochs completed (0 for the first), or
    /// <see langword="null"/> (the default) to leave the optimizer's <see cref="Optimizer.LearningRate"/> alone.
    /// </summary>
    public LearningRateSchedule? Schedule { get; init; }

    /// <summary>When to stop before <see cref="Epochs"/> and whether to put back the best epoch's weights; default none.</summary>
    public EarlyStopping? EarlyStopping { get; init; }

    /// <summary>
    /// Whether to measure the training accuracy after each epoch with one <c>Forward</c> pass over the training set
    /// (about a third of an epoch's cost); default <see langword="true"/>. Off, <see cref="EpochReport.TrainingAccuracy"/>
    /// is <see langword="null"/>. The training loss needs no extra pass: it is the mean of what <c>Backward</c> returned.
    /// </summary>
    public bool MeasureTrainingAccuracy { get; init; } = true;

    /// <summary>
    /// Receives an <see cref="EpochReport"/> after each epoch, called on the training thread. Note that
    /// <see cref="System.Progress{T}"/> forwards each report to the synchronization context it captured, which in a
    /// console program is the thread pool, so its handler may run late or out of order; implement
    /// <see cref="IProgress{T}"/> directly to handle reports as they happen.
    /// </summary>
    public IProgress<EpochReport>? Progress { get; init; }

    /// <summary>Called on the training thread after each optimizer step, with that batch's loss; default none.</summary>
    public Action<BatchReport>? BatchCompleted { get; init; }

    /// <summary>
    /// Stops training cleanly when cancelled: the token is checked before each epoch and before each mini-batch, so a
    /// batch is never cut in half, and <c>Fit</c> returns the history of the completed epochs with
    /// <see cref="TrainingHistory.Cancelled"/> set instead of throwing. The partial epoch is not in the history (its
    /// steps are counted in <see cref="TrainingHistory.Steps"/>).
    /// </summary>
    public CancellationToken CancellationToken { get; init; }
}
