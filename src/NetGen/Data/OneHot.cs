using System;

namespace NetGen.Data;

/// <summary>
/// One-hot encoding of class labels: class <c>k</c> of <c>n</c> becomes <c>n</c> values, 1 at index <c>k</c> and 0
/// elsewhere, the target a softmax output layer with cross-entropy expects.
/// </summary>
/// <example>
/// <code>
/// float[] targets = OneHot.Encode([2, 0], classCount: 3); // [0, 0, 1,  1, 0, 0]
/// int label = OneHot.Decode(targets.AsSpan(0, 3));        // 2
/// </code>
/// </example>
public static class OneHot
{
    /// <summary>Writes the one-hot row of <paramref name="label"/> to <paramref name="destination"/>, whose length is the class count. Allocation-free.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="label"/> is not in <c>[0, destination.Length)</c>.</exception>
    public static void Encode(int label, Span<float> destination)
    {
        if ((uint)label >= (uint)destination.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(label), label, $"The label must be in [0, {destination.Length}).");
        }

        destination.Clear();
        destination[label] = 1f;
    }

    /// <summary>The one-hot rows of <paramref name="labels"/>, row-major: <c>labels.Length × classCount</c> values.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classCount"/> is not positive.</exception>
    /// <exception cref="ArgumentException">A label is not in <c>[0, classCount)</c>.</exception>
    public static float[] Encode(ReadOnlySpan<int> labels, int classCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classCount);
        float[] targets = new float[(long)labels.Length * classCount];
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classCount)
            {
                throw new ArgumentException($"Sample {i} has label {labels[i]}, outside [0, {classCount}).", nameof(labels));
            }

            targets[((long)i * classCount) + labels[i]] = 1f;
        }

        return targets;
    }

    /// <summary>
    /// The class a row of scores stands for: the index of the largest value (the first one on ties), as
    /// <see cref="INetwork.Predict"/> does for several outputs. A NaN is chosen only when every value is NaN.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="values"/> is empty.</exception>
    public static int Decode(ReadOnlySpan<float> values)
    {
        if (values.IsEmpty)
        {
            throw new ArgumentException("There are no values to decode.", nameof(values));
        }

        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best] || float.IsNaN(values[best]))
            {
                best = i;
            }
        }

        return best;
    }
}
