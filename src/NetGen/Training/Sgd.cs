using System;

namespace NetGen.Training;

/// <summary>
/// Plain stochastic gradient descent over a network's <see cref="INetwork.Parameters"/>: the smallest optimizer,
/// enough to train the samples. Allocation-free.
/// </summary>
public static class Sgd
{
    /// <summary>
    /// Applies <c>p -= learningRate · g / batchSize</c> for the accumulated gradients of <paramref name="batchSize"/>
    /// samples, then zeroes the gradients for the next batch.
    /// </summary>
    public static void Step<TNetwork>(TNetwork network, float learningRate, int batchSize = 1)
        where TNetwork : INetwork
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        Numerics.DenseKernels.MultiplyAddTo(-learningRate / batchSize, network.Gradients, network.Parameters);
        network.ZeroGradients();
    }
}
