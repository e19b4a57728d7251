using System;

namespace NetGen.Training;

/// <summary>
/// A gradient-descent optimizer bound to one parameter count: <see cref="Sgd"/>, <see cref="Adam"/> or
/// <see cref="AdamW"/>. It owns its state (velocity, moments), allocated once by the constructor, and updates a
/// network's <see cref="INetwork.Parameters"/> from its accumulated <see cref="INetwork.Gradients"/> with
/// <see cref="Step{TNet}(TNet, int)"/>, allocation-free and vectorised.
/// </summary>
/// <remarks>
/// <para>
/// <b>Mini-batches.</b> <see cref="INetwork.Backward"/> <em>adds</em> each sample's gradient, so after a batch of
/// <c>n</c> samples <see cref="INetwork.Gradients"/> holds their sum. <c>Step(network, n)</c> uses the mean, the sum
/// divided by <c>n</c> (PyTorch's mean-reduced batch loss), then sets the gradients to zero for the next batch. With
/// the default <c>n = 1</c> the gradients are used as they are.
/// </para>
/// <para>
/// <b>Clipping.</b> With <see cref="MaxGradientNorm"/> set, each step first measures the L2 norm of the whole (mean)
/// gradient vector, reports it in <see cref="GradientNorm"/>, and scales the gradient by
/// <c>min(1, max / (norm + 1e-6))</c>, as <c>torch.nn.utils.clip_grad_norm_</c> does before <c>optimizer.step()</c>.
/// </para>
/// <para>
/// <b>Learning rate.</b> <see cref="LearningRate"/> may be changed between steps; a
/// <see cref="LearningRateSchedule"/> sets it from an epoch index (<see cref="LearningRateSchedule.Apply"/>). The
/// optimizer never advances a schedule itself.
/// </para>
/// <para>
/// Hyperparameters are <see cref="double"/>, like PyTorch's, and the per-step scalars derived from them
/// (<c>1 - β</c>, bias corrections, step sizes) are computed in double and rounded to float once, so that the steps
/// match <c>torch.optim</c> on float32 parameters to rounding. An optimizer is not thread-safe.
/// </para>
/// </remarks>
/// <example>
/// A training loop over mini-batches, with Adam, clipping and a cosine schedule:
/// <code>
/// var net = new MyNet();
/// var optimizer = new Adam(MyNet.ParameterCount, learningRate: 1e-3) { MaxGradientNorm = 1.0 };
/// var schedule = new CosineAnnealingSchedule(1e-3, period: epochs);
/// for (int epoch = 0; epoch &lt; epochs; epoch++)
/// {
///     schedule.Apply(optimizer, epoch);
///     foreach (var batch in batches)
///     {
///         foreach (var (x, t) in batch) net.Backward(x, t);   // sums the batch's gradients
///         optimizer.Step(net, batch.Count);                    // mean gradient, update, zero the gradients
///     }
/// }
/// </code>
/// </example>
public abstract class Optimizer
{
    private double learningRate;
    private double? maxGradientNorm;

    /// <summary>Binds the optimizer to <paramref name="parameterCount"/> parameters.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A count below 1 or a negative or non-finite learning rate.</exception>
    private protected Optimizer(int parameterCount, double learningRate)
    {
        ParameterCount = Hyperparameters.Positive(parameterCount, nameof(parameterCount));
        this.learningRate = Hyperparameters.NonNegative(learningRate, nameof(learningRate));
    }

    /// <summary>The number of parameters the optimizer updates (for a network, <c>TNet.ParameterCount</c>).</summary>
    public int ParameterCount { get; }

    /// <summary>The learning rate of the next step. May be changed between steps, e.g. by a <see cref="LearningRateSchedule"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative, NaN or infinite.</exception>
    public double LearningRate
    {
        get => learningRate;
        set => learningRate = Hyperparameters.NonNegative(value, nameof(value));
    }

    /// <summary>
    /// The largest L2 norm the (mean) gradient may have, or <see langword="null"/> (the default) for no clipping. When
    /// set, each step scales a longer gradient down to this norm, as <c>torch.nn.utils.clip_grad_norm_</c> does.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a finite number above 0.</exception>
    public double? MaxGradientNorm
    {
        get => maxGradientNorm;
        set => maxGradientNorm = value is double norm ? Hyperparameters.Positive(norm, nameof(value)) : null;
    }

    /// <summary>
    /// The L2 norm of the (mean) gradient the last step measured, before clipping: the value
    /// <c>clip_grad_norm_</c> returns. <see cref="float.NaN"/> until a step runs with <see cref="MaxGradientNorm"/> set;
    /// steps without clipping do not measure it (see <see cref="GradientClipping.GlobalNorm"/>).
    /// </summary>
    public float GradientNorm { get; private set; } = float.NaN;

    /// <summary>The number of steps taken since construction or <see cref="Reset"/> (Adam's <c>t</c>).</summary>
    public long StepCount { get; private set; }

    /// <summary>
    /// Updates <paramref name="network"/>'s parameters from the mean of the gradients that <paramref name="batchSize"/>
    /// calls of <see cref="INetwork.Backward"/> accumulated, then zeroes the gradients. Allocation-free.
    /// </summary>
    /// <param name="network">A network with <see cref="ParameterCount"/> parameters.</param>
    /// <param name="batchSize">The number of samples whose gradients were summed; the step uses their mean.</param>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is below 1.</exception>
    /// <exception cref="ArgumentException">The network does not have <see cref="ParameterCount"/> parameters.</exception>
    public void Step<TNet>(TNet network, int batchSize = 1)
        where TNet : INetwork
    {
        ArgumentNullException.ThrowIfNull(network);
        Span<float> parameters = network.Parameters;
        Span<float> gradients = network.Gradients;
        if (parameters.Length != ParameterCount || gradients.Length != ParameterCount)
        {
            throw new ArgumentException(
                $"The optimizer was created for {ParameterCount} parameters but the network has {parameters.Length}.",
                nameof(network));
        }

        Hyperparameters.Positive(batchSize, nameof(batchSize));
        ClipAndUpdate(parameters, gradients, batchSize);
        network.ZeroGradients();
    }

    /// <summary>
    /// Updates <paramref name="parameters"/> from the mean of <paramref name="batchSize"/> samples' summed
    /// <paramref name="gradients"/>, then zeroes <paramref name="gradients"/>. Allocation-free.
    /// </summary>
    /// <param name="parameters">Exactly <see cref="ParameterCount"/> values, updated in place.</param>
    /// <param name="gradients">The summed gradients, in the layout of <paramref name="parameters"/>; zeroed afterwards.</param>
    /// <param name="batchSize">The number of samples whose gradients were summed; the step uses their mean.</param>
    /// <exception cref="ArgumentException">A span does not have <see cref="ParameterCount"/> elements.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is below 1.</exception>
    public void Step(Span<float> parameters, Span<float> gradients, int batchSize = 1)
    {
        Guard.Length(parameters, ParameterCount, nameof(parameters));
        Guard.Length(gradients, ParameterCount, nameof(gradients));
        Hyperparameters.Positive(batchSize, nameof(batchSize));
        ClipAndUpdate(parameters, gradients, batchSize);
        gradients.Clear();
    }

    /// <summary>
    /// Forgets the optimizer's state, as if it had just been created: zero velocity or moments,
    /// <see cref="StepCount"/> 0, <see cref="GradientNorm"/> NaN. Settings (learning rate, clipping) stay.
    /// </summary>
    public void Reset()
    {
        StepCount = 0;
        GradientNorm = float.NaN;
        ClearState();
    }

    /// <summary>
    /// Applies one update with the gradient <c>gradientScale · gradients</c> to the parameters from index
    /// <paramref name="offset"/> on (the whole vector, or one range of it: every update is element by element, so the
    /// ranges of one step may run on different threads); <see cref="StepCount"/> already counts it.
    /// </summary>
    private protected abstract void Update(Span<float> parameters, ReadOnlySpan<float> gradients, float gradientScale, int offset);

    /// <summary>Whether a step may run as independent parameter ranges: not with clipping, which needs the whole gradient's norm first.</summary>
    internal bool UpdatesByRange => maxGradientNorm is null;

    /// <summary>Counts a step whose update then runs by ranges (<see cref="UpdateRange"/>) and returns its gradient scale.</summary>
    internal float BeginRangeStep(int batchSize)
    {
        Hyperparameters.Positive(batchSize, nameof(batchSize));
        StepCount++;
        return 1f / batchSize;
    }

    /// <summary>The update of <see cref="BeginRangeStep"/>'s step for the parameters from <paramref name="offset"/> on; the same bits as the whole step.</summary>
    internal void UpdateRange(Span<float> parameters, ReadOnlySpan<float> gradients, float gradientScale, int offset)
        => Update(parameters, gradients, gradientScale, offset);

    /// <summary>Zeroes the velocity or moments.</summary>
    private protected abstract void ClearState();

    private void ClipAndUpdate(Span<float> parameters, ReadOnlySpan<float> gradients, int batchSize)
    {
        float scale = 1f / batchSize;
        if (maxGradientNorm is double maxNorm)
        {
            float norm = GradientClipping.GlobalNorm(gradients) * scale;
            GradientNorm = norm;
            float coefficient = (float)maxNorm / (norm + GradientClipping.ClippingEpsilon);
            if (coefficient < 1f)
            {
                scale *= coefficient;
            }
        }

        StepCount++;
        Update(parameters, gradients, scale, 0);
    }
}
