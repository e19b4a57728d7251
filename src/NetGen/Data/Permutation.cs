using System;
using NetGen.Initialization;

namespace NetGen.Data;

/// <summary>
/// Seeded orderings of sample indices, for trainers that visit the samples in a fresh random order each epoch. The
/// methods that take a span are allocation-free, so a trainer allocates its index buffer once and reuses it.
/// Shuffling is Fisher–Yates driven by <see cref="NetGenRandom"/>, so a seed gives the same order on every platform.
/// </summary>
/// <example>
/// <code>
/// var random = new NetGenRandom(seed);
/// int[] order = new int[train.Count];
/// Permutation.Identity(order);
/// for (int epoch = 0; epoch &lt; epochs; epoch++)
/// {
///     Permutation.Shuffle(order, ref random); // no allocation
///     foreach (int i in order)
///     {
///         network.Backward(train.Features(i), train.Target(i));
///         Sgd.Step(network, learningRate);
///     }
/// }
/// </code>
/// </example>
public static class Permutation
{
    /// <summary>Writes <c>0, 1, …, indices.Length - 1</c> to <paramref name="indices"/>.</summary>
    public static void Identity(Span<int> indices)
    {
        for (int i = 0; i < indices.Length; i++)
        {
            indices[i] = i;
        }
    }

    /// <summary>
    /// Shuffles the current contents of <paramref name="indices"/> in place, exactly as
    /// <see cref="NetGenRandom.Shuffle{T}(Span{T})"/> does, advancing <paramref name="random"/>.
    /// </summary>
    public static void Shuffle(Span<int> indices, ref NetGenRandom random) => random.Shuffle(indices);

    /// <summary>Writes a uniformly random permutation of <c>0 … indices.Length - 1</c> to <paramref name="indices"/>: <see cref="Identity"/>, then <see cref="Shuffle"/>.</summary>
    public static void Random(Span<int> indices, ref NetGenRandom random)
    {
        Identity(indices);
        random.Shuffle(indices);
    }

    /// <summary>A new random permutation of <c>0 … count - 1</c>, the same for the same seed on every platform.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public static int[] Random(int count, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        int[] indices = new int[count];
        var random = new NetGenRandom(seed);
        Random(indices, ref random);
        return indices;
    }
}
