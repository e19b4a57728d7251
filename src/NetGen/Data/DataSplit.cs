using System;
using System.Collections.Generic;
using NetGen.Initialization;

namespace NetGen.Data;

/// <summary>
/// Seeded train/test splits. Both kinds are deterministic: a seed (or a <see cref="NetGenRandom"/> in a given state)
/// gives the same split on every platform and .NET version.
/// </summary>
/// <example>
/// <code>
/// var data = Dataset.FromLabels(rows, labels, classCount: 3);
/// (Dataset train, Dataset test) = DataSplit.Stratified(data, trainFraction: 0.7, seed: 1);
/// </code>
/// </example>
public static class DataSplit
{
    /// <summary>
    /// Splits a labelled dataset keeping each class's proportion: each class's samples (in dataset order) are
    /// shuffled, and the first <c>Math.Round(classSize × trainFraction)</c> of them (rounding half to even) go to
    /// training, the rest to the test set.
    /// </summary>
    /// <remarks>
    /// Both parts list their samples class by class, class 0 first, each class in its shuffled order; a trainer is
    /// expected to shuffle the training set itself (see <see cref="Permutation"/>). The classes are visited in label
    /// order and each takes its shuffle from <paramref name="random"/> in turn, which is left advanced, so the same
    /// generator can go on to order the training samples.
    /// </remarks>
    /// <param name="data">A dataset with labels.</param>
    /// <param name="trainFraction">The fraction of each class that goes to training, in <c>[0, 1]</c>.</param>
    /// <param name="random">The generator to shuffle with.</param>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="data"/> has no labels.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="trainFraction"/> is not in <c>[0, 1]</c>.</exception>
    public static (Dataset Train, Dataset Test) Stratified(Dataset data, double trainFraction, ref NetGenRandom random)
    {
        ArgumentNullException.ThrowIfNull(data);
        CheckFraction(trainFraction);
        if (!data.HasLabels)
        {
            throw new ArgumentException("A stratified split needs class labels; this dataset has none.", nameof(data));
        }

        ReadOnlySpan<int> labels = data.Labels;
        var train = new List<int>(data.Count);
        var test = new List<int>(data.Count);
        var members = new List<int>();
        for (int label = 0; label < data.ClassCount; label++)
        {
            members.Clear();
            for (int i = 0; i < labels.Length; i++)
            {
                if (labels[i] == label)
                {
                    members.Add(i);
                }
            }

            int[] shuffled = members.ToArray();
            random.Shuffle(shuffled.AsSpan());
            int trainCount = TrainCount(shuffled.Length, trainFraction);
            train.AddRange(shuffled.AsSpan(0, trainCount));
            test.AddRange(shuffled.AsSpan(trainCount));
        }

        return (data.Select(train.ToArray()), data.Select(test.ToArray()));
    }

    /// <summary>
    /// Splits a labelled dataset keeping each class's proportion, shuffling with a <see cref="NetGenRandom"/> started
    /// from <paramref name="seed"/>; see <see cref="Stratified(Dataset, double, ref NetGenRandom)"/>.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="data"/> has no labels.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="trainFraction"/> is not in <c>[0, 1]</c>.</exception>
    public static (Dataset Train, Dataset Test) Stratified(Dataset data, double trainFraction, int seed)
    {
        var random = new NetGenRandom(seed);
        return Stratified(data, trainFraction, ref random);
    }

    /// <summary>
    /// Splits a dataset (labelled or not) without regard to classes: the samples are shuffled and the first
    /// <c>Math.Round(Count × trainFraction)</c> (rounding half to even) go to training, in shuffled order, the rest to
    /// the test set. <paramref name="random"/> is left advanced.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="trainFraction"/> is not in <c>[0, 1]</c>.</exception>
    public static (Dataset Train, Dataset Test) Random(Dataset data, double trainFraction, ref NetGenRandom random)
    {
        ArgumentNullException.ThrowIfNull(data);
        CheckFraction(trainFraction);
        int[] order = new int[data.Count];
        Permutation.Random(order, ref random);
        int trainCount = TrainCount(order.Length, trainFraction);
        return (data.Select(order.AsSpan(0, trainCount)), data.Select(order.AsSpan(trainCount)));
    }

    /// <summary>Splits a dataset without regard to classes, shuffling with a <see cref="NetGenRandom"/> started from <paramref name="seed"/>; see <see cref="Random(Dataset, double, ref NetGenRandom)"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="trainFraction"/> is not in <c>[0, 1]</c>.</exception>
    public static (Dataset Train, Dataset Test) Random(Dataset data, double trainFraction, int seed)
    {
        var random = new NetGenRandom(seed);
        return Random(data, trainFraction, ref random);
    }

    private static int TrainCount(int count, double trainFraction) => (int)Math.Round(count * trainFraction);

    private static void CheckFraction(double trainFraction)
    {
        if (!(trainFraction >= 0 && trainFraction <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(trainFraction), trainFraction, "The training fraction must be in [0, 1].");
        }
    }
}
