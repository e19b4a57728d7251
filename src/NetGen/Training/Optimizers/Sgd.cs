using System;

namespace NetGen.Training;

/// <summary>
/// Stochastic gradient descent, as <c>torch.optim.SGD</c> without dampening: optional momentum (classical or
/// Nesterov) and L2 weight decay added to the gradient. For a step the gradient is
/// <c>d = g + λ·p</c>; with momentum <c>μ</c> the velocity is <c>b = μ·b + d</c> (<c>b = d</c> on the first step) and
/// the parameters move by <c>-lr·b</c>, or by <c>-lr·(d + μ·b)</c> with Nesterov momentum; without momentum by
/// <c>-lr·d</c>.
/// </summary>
/// <remarks>
/// The static <see cref="Step{TNetwork}(TNetwork, float, int)"/> is the stateless shortcut for plain SGD at a fixed
/// rate. Instances add momentum, weight decay, clipping and schedules (see <see cref="Optimizer"/> for the mini-batch
/// contract). The velocity buffer is allocated by the constructor, and only when momentum is used.
/// </remarks>
/// <example>
/// <code>
/// var optimizer = new Sgd(MyNet.ParameterCount, learningRate: 0.05, momentum: 0.9, nesterov: true);
/// net.Backward(input, target);
/// optimizer.Step(net);              // p -= 0.05 · (d + 0.9 · b), then zero the gradients
///
/// Sgd.Step(net, learningRate: 0.5f); // stateless plain SGD: p -= 0.5 · g, then zero the gradients
/// </code>
/// </example>
public sealed class Sgd : Optimizer
{
    private readonly float[] velocity;

    /// <summary>Creates SGD for <paramref name="parameterCount"/> parameters.</summary>
    /// <param name="parameterCount">The number of parameters to optimize, e.g. <c>MyNet.ParameterCount</c>.</param>
    /// <param name="learningRate">The initial <see cref="Optimizer.LearningRate"/>; PyTorch's <c>lr</c>.</param>
    /// <param name="momentum">The velocity's decay <c>μ</c>; 0 (the default) for plain SGD. PyTorch's <c>momentum</c>.</param>
    /// <param name="nesterov">Use Nesterov momentum (requires <paramref name="momentum"/> above 0). PyTorch's <c>nesterov</c>.</param>
    /// <param name="weightDecay">The L2 penalty <c>λ</c> added to the gradient as <c>λ·p</c>. PyTorch's <c>weight_decay</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="parameterCount"/> is below 1, or <paramref name="learningRate"/>, <paramref name="momentum"/> or
    /// <paramref name="weightDecay"/> is negative, NaN or infinite.
    /// </exception>
    /// <exception cref="ArgumentException"><paramref name="nesterov"/> is set without momentum.</exception>
    public Sgd(int parameterCount, double learningRate, double momentum = 0, bool nesterov = false, double weightDecay = 0)
        : base(parameterCount, learningRate)
    {
        Momentum = Hyperparameters.NonNegative(momentum, nameof(momentum));
        WeightDecay = Hyperparameters.NonNegative(weightDecay, nameof(weightDecay));
        if (nesterov && momentum == 0)
        {
            throw new ArgumentException("Nesterov momentum needs a momentum above 0.", nameof(nesterov));
        }

        Nesterov = nesterov;
        velocity = momentum == 0 ? [] : new float[parameterCount];
    }

    /// <summary>The momentum <c>μ</c>; 0 for plain SGD.</summary>
    public double Momentum { get; }

    /// <summary>Whether the momentum is Nesterov's.</summary>
    public bool Nesterov { get; }

    /// <summary>The L2 weight decay <c>λ</c> added to the gradient.</summary>
    public double WeightDecay { get; }

    /// <summary>
    /// Applies <c>p -= learningRate · g / batchSize</c> for the accumulated gradients of <paramref name="batchSize"/>
    /// samples, then zeroes the gradients for the next batch. Stateless: plain SGD needs no optimizer instance.
    /// </summary>
    /// <param name="network">The network to update.</param>
    /// <param name="learningRate">The learning rate.</param>
    /// <param name="batchSize">The number of samples whose gradients were summed; the step uses their mean.</param>
    public static void Step<TNetwork>(TNetwork network, float learningRate, int batchSize = 1)
        where TNetwork : INetwork
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        Span<float> parameters = network.Parameters;
        Span<float> gradients = network.Gradients;
        Guard.SameLength(parameters, gradients, nameof(network));
        OptimizerKernels.UpdateAndClear(parameters, gradients, -learningRate / batchSize);
    }

    /// <summary>
    /// Updates <paramref name="network"/>'s parameters from the mean of the gradients that <paramref name="batchSize"/>
    /// calls of <see cref="INetwork.Backward"/> accumulated, then zeroes the gradients: the same as
    /// <see cref="Optimizer.Step{TNet}(TNet, int)"/>, redeclared so that <c>sgd.Step(net, 4)</c> does not bind to the
    /// static <see cref="Step{TNetwork}(TNetwork, float, int)"/>.
    /// </summary>
    /// <param name="network">A network with <see cref="Optimizer.ParameterCount"/> parameters.</param>
    /// <param name="batchSize">The number of samples whose gradients were summed; the step uses their mean.</param>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is below 1.</exception>
    /// <exception cref="ArgumentException">The network does not have <see cref="Optimizer.ParameterCount"/> parameters.</exception>
    public new void Step<TNet>(TNet network, int batchSize = 1)
        where TNet : INetwork
        => base.Step(network, batchSize);

    private protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradients, float gradientScale, int offset)
    {
        float rate = (float)LearningRate;
        float decay = (float)WeightDecay;
        if (velocity.Length == 0)
        {
            OptimizerKernels.Sgd(parameters, gradients, gradientScale, rate, decay);
        }
        else
        {
            OptimizerKernels.SgdMomentum(parameters, gradients, velocity.AsSpan(offset, parameters.Length), gradientScale, rate, decay, (float)Momentum, Nesterov);
        }
    }

    private protected override void ClearState() => Array.Clear(velocity);
}
