using System;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace NetGen.Data;

/// <summary>
/// Samples for training or evaluation, held contiguously: the features as one row-major <c>[Count, FeatureCount]</c>
/// block, the targets as one <c>[Count, TargetCount]</c> block and, for classification, one class label per sample.
/// </summary>
/// <remarks>
/// <para>
/// The constructors and factories copy what they are given and reject malformed data (ragged rows, lengths that do
/// not add up, labels out of range, NaN or infinite values) with an <see cref="ArgumentException"/> that says where.
/// After that the dataset owns its arrays: <see cref="Features"/> and <see cref="Target"/> return writable views of
/// them, so preprocessing such as <see cref="Standardizer.Apply(Dataset)"/> works in place without copying.
/// </para>
/// <para>
/// Labels, when present, are kept as given and are not derived from (or re-derived after changes to) the targets.
/// They drive <see cref="DataSplit.Stratified(Dataset, double, int)"/> and let callers count correct predictions.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// // Four samples of two features, labelled with one of three classes: targets are the one-hot rows.
/// float[][] rows = [[5.1f, 3.5f], [7.0f, 3.2f], [6.3f, 3.3f], [4.9f, 3.0f]];
/// int[] labels = [0, 1, 2, 0];
/// var data = Dataset.FromLabels(rows, labels, classCount: 3);
/// var network = new MyNet(); // [Network(2, Loss = Loss.CrossEntropy)] ... [Dense(3, Activation.Softmax)]
/// float loss = 0;
/// for (int i = 0; i &lt; data.Count; i++)
/// {
///     loss += network.Backward(data.Features(i), data.Target(i));
/// }
/// </code>
/// </example>
public sealed class Dataset
{
    private readonly float[] _features;
    private readonly float[] _targets;
    private readonly int[]? _labels;

    /// <summary>Creates a dataset without class labels (e.g. for regression), copying the values.</summary>
    /// <param name="features">The features, row-major: <c>Count × featureCount</c> values.</param>
    /// <param name="featureCount">The number of features per sample; at least 1.</param>
    /// <param name="targets">The targets, row-major: <c>Count × targetCount</c> values.</param>
    /// <param name="targetCount">The number of target values per sample; at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A count is not positive.</exception>
    /// <exception cref="ArgumentException">The lengths do not describe the same number of samples, or a value is NaN or infinite.</exception>
    public Dataset(ReadOnlySpan<float> features, int featureCount, ReadOnlySpan<float> targets, int targetCount)
        : this(features, featureCount, targets, targetCount, default, 0, labelled: false)
    {
    }

    /// <summary>Creates a dataset with a class label per sample, copying the values.</summary>
    /// <param name="features">The features, row-major: <c>Count × featureCount</c> values.</param>
    /// <param name="featureCount">The number of features per sample; at least 1.</param>
    /// <param name="targets">The targets, row-major: <c>Count × targetCount</c> values (typically one-hot rows, see <see cref="OneHot"/>).</param>
    /// <param name="targetCount">The number of target values per sample; at least 1.</param>
    /// <param name="labels">One class per sample, each in <c>[0, classCount)</c>.</param>
    /// <param name="classCount">The number of classes; at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A count is not positive.</exception>
    /// <exception cref="ArgumentException">
    /// The lengths do not describe the same number of samples, a value is NaN or infinite, or a label is out of range.
    /// </exception>
    public Dataset(ReadOnlySpan<float> features, int featureCount, ReadOnlySpan<float> targets, int targetCount, ReadOnlySpan<int> labels, int classCount)
        : this(features, featureCount, targets, targetCount, labels, classCount, labelled: true)
    {
    }

    private Dataset(ReadOnlySpan<float> features, int featureCount, ReadOnlySpan<float> targets, int targetCount, ReadOnlySpan<int> labels, int classCount, bool labelled)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(featureCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(targetCount);
        if (features.Length % featureCount != 0)
        {
            throw new ArgumentException(
                $"'{nameof(features)}' has {features.Length} values, which is not a whole number of samples of {featureCount} features.",
                nameof(features));
        }

        int count = features.Length / featureCount;
        if (targets.Length != (long)count * targetCount)
        {
            throw new ArgumentException(
                $"'{nameof(targets)}' has {targets.Length} values but {count} samples of {targetCount} targets need {(long)count * targetCount}.",
                nameof(targets));
        }

        CheckFinite(features, featureCount, nameof(features), "feature");
        CheckFinite(targets, targetCount, nameof(targets), "target");
        if (labelled)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classCount);
            CheckLabels(labels, count, classCount, nameof(labels));
            _labels = labels.ToArray();
        }

        _features = features.ToArray();
        _targets = targets.ToArray();
        Count = count;
        FeatureCount = featureCount;
        TargetCount = targetCount;
        ClassCount = labelled ? classCount : 0;
    }

    /// <summary>The number of samples.</summary>
    public int Count { get; }

    /// <summary>The number of features per sample (a network's <c>InputCount</c>).</summary>
    public int FeatureCount { get; }

    /// <summary>The number of target values per sample (a network's <c>OutputCount</c>).</summary>
    public int TargetCount { get; }

    /// <summary>The number of classes, or 0 when the samples have no labels.</summary>
    public int ClassCount { get; }

    /// <summary>Whether every sample has a class label (<see cref="Label"/>).</summary>
    public bool HasLabels => _labels is not null;

    /// <summary>The array behind <see cref="FeatureValues"/>, for the trainer's worker threads (which cannot hold spans).</summary>
    internal float[] FeatureArray => _features;

    /// <summary>The array behind <see cref="TargetValues"/>.</summary>
    internal float[] TargetArray => _targets;

    /// <summary>
    /// Copies the samples <c>order[start..start + count]</c> one after another into <paramref name="features"/> and
    /// <paramref name="targets"/> from their beginning (the trainer's mini-batch buffers, or a thread's part of them).
    /// </summary>
    internal void Gather(int[] order, int start, int count, Span<float> features, Span<float> targets)
    {
        for (int i = 0; i < count; i++)
        {
            int sample = order[start + i];
            _features.AsSpan(sample * FeatureCount, FeatureCount).CopyTo(features.Slice(i * FeatureCount, FeatureCount));
            _targets.AsSpan(sample * TargetCount, TargetCount).CopyTo(targets.Slice(i * TargetCount, TargetCount));
        }
    }

    /// <summary>All features, row-major <c>[Count, FeatureCount]</c>. Writable: changes are seen by <see cref="Features"/>.</summary>
    public Span<float> FeatureValues => _features;

    /// <summary>All targets, row-major <c>[Count, TargetCount]</c>. Writable: changes are seen by <see cref="Target"/>.</summary>
    public Span<float> TargetValues => _targets;

    /// <summary>The class label of every sample, or an empty span when the samples have no labels.</summary>
    public ReadOnlySpan<int> Labels => _labels;

    /// <summary>The features of sample <paramref name="index"/>: <see cref="FeatureCount"/> values, writable in place.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not in <c>[0, Count)</c>.</exception>
    public Span<float> Features(int index)
    {
        CheckIndex(index);
        return _features.AsSpan(index * FeatureCount, FeatureCount);
    }

    /// <summary>The targets of sample <paramref name="index"/>: <see cref="TargetCount"/> values, writable in place.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not in <c>[0, Count)</c>.</exception>
    public Span<float> Target(int index)
    {
        CheckIndex(index);
        return _targets.AsSpan(index * TargetCount, TargetCount);
    }

    /// <summary>The class label of sample <paramref name="index"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not in <c>[0, Count)</c>.</exception>
    /// <exception cref="InvalidOperationException">The samples have no labels.</exception>
    public int Label(int index)
    {
        CheckIndex(index);
        return _labels is null ? throw NoLabels() : _labels[index];
    }

    /// <summary>How many samples each class has: an array of <see cref="ClassCount"/> counts.</summary>
    /// <exception cref="InvalidOperationException">The samples have no labels.</exception>
    public int[] CountPerClass()
    {
        if (_labels is null)
        {
            throw NoLabels();
        }

        int[] counts = new int[ClassCount];
        foreach (int label in _labels)
        {
            counts[label]++;
        }

        return counts;
    }

    /// <summary>
    /// A new dataset of the samples at <paramref name="indices"/>, in that order (an index may repeat), with labels and
    /// class count when this one has them. The values are copied.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An index is not in <c>[0, Count)</c>.</exception>
    public Dataset Select(ReadOnlySpan<int> indices)
    {
        float[] features = new float[indices.Length * FeatureCount];
        float[] targets = new float[indices.Length * TargetCount];
        int[]? labels = _labels is null ? null : new int[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            int index = indices[i];
            if ((uint)index >= (uint)Count)
            {
                throw new ArgumentOutOfRangeException(nameof(indices), index, $"Index {i} is {index}, outside [0, {Count}).");
            }

            _features.AsSpan(index * FeatureCount, FeatureCount).CopyTo(features.AsSpan(i * FeatureCount));
            _targets.AsSpan(index * TargetCount, TargetCount).CopyTo(targets.AsSpan(i * TargetCount));
            if (labels is not null)
            {
                labels[i] = _labels![index];
            }
        }

        return new Dataset(features, targets, labels, FeatureCount, TargetCount, ClassCount);
    }

    /// <summary>
    /// Creates a dataset from one array of features and one array of targets per sample (e.g. parsed CSV rows),
    /// without class labels.
    /// </summary>
    /// <param name="features">One array per sample, all of the same non-zero length.</param>
    /// <param name="targets">One array per sample, all of the same non-zero length.</param>
    /// <exception cref="ArgumentNullException">An array or row is null.</exception>
    /// <exception cref="ArgumentException">There are no samples, the rows are ragged, the row counts differ, or a value is NaN or infinite.</exception>
    public static Dataset FromRows(float[][] features, float[][] targets)
    {
        float[] flatFeatures = Flatten(features, nameof(features), out int featureCount);
        float[] flatTargets = Flatten(targets, nameof(targets), out int targetCount);
        CheckSameCount(features.Length, targets.Length, nameof(targets));
        return new Dataset(flatFeatures, featureCount, flatTargets, targetCount);
    }

    /// <summary>
    /// Creates a classification dataset whose targets are the one-hot rows of the labels: sample <c>i</c>'s target has
    /// <paramref name="classCount"/> values, 1 at <c>labels[i]</c> and 0 elsewhere (for a softmax output layer).
    /// </summary>
    /// <param name="features">The features, row-major: <c>labels.Length × featureCount</c> values.</param>
    /// <param name="featureCount">The number of features per sample; at least 1.</param>
    /// <param name="labels">One class per sample, each in <c>[0, classCount)</c>.</param>
    /// <param name="classCount">The number of classes, which is also the number of targets per sample; at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A count is not positive.</exception>
    /// <exception cref="ArgumentException">The lengths disagree, a feature is NaN or infinite, or a label is out of range.</exception>
    public static Dataset FromLabels(ReadOnlySpan<float> features, int featureCount, ReadOnlySpan<int> labels, int classCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classCount);
        CheckLabels(labels, labels.Length, classCount, nameof(labels));
        return new Dataset(features, featureCount, OneHot.Encode(labels, classCount), classCount, labels, classCount);
    }

    /// <summary>
    /// Creates a classification dataset from one feature array per sample, with the one-hot rows of the labels as
    /// targets (see <see cref="FromLabels(ReadOnlySpan{float}, int, ReadOnlySpan{int}, int)"/>).
    /// </summary>
    /// <exception cref="ArgumentNullException">An array or row is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classCount"/> is not positive.</exception>
    /// <exception cref="ArgumentException">There are no samples, the rows are ragged, the counts differ, a feature is not finite, or a label is out of range.</exception>
    public static Dataset FromLabels(float[][] features, int[] labels, int classCount)
    {
        ArgumentNullException.ThrowIfNull(labels);
        float[] flat = Flatten(features, nameof(features), out int featureCount);
        CheckSameCount(features.Length, labels.Length, nameof(labels));
        return FromLabels(flat, featureCount, labels, classCount);
    }

    /// <summary>
    /// Creates a two-class dataset for a network with a single output (sigmoid with binary cross-entropy, or step):
    /// each target is the label itself, 0 or 1, and <see cref="ClassCount"/> is 2.
    /// </summary>
    /// <param name="features">The features, row-major: <c>labels.Length × featureCount</c> values.</param>
    /// <param name="featureCount">The number of features per sample; at least 1.</param>
    /// <param name="labels">One class per sample, 0 or 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="featureCount"/> is not positive.</exception>
    /// <exception cref="ArgumentException">The lengths disagree, a feature is NaN or infinite, or a label is not 0 or 1.</exception>
    public static Dataset FromBinaryLabels(ReadOnlySpan<float> features, int featureCount, ReadOnlySpan<int> labels)
    {
        CheckLabels(labels, labels.Length, 2, nameof(labels));
        float[] targets = new float[labels.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            targets[i] = labels[i];
        }

        return new Dataset(features, featureCount, targets, 1, labels, 2);
    }

    /// <summary>
    /// Creates a two-class dataset for a single-output network from one feature array per sample (see
    /// <see cref="FromBinaryLabels(ReadOnlySpan{float}, int, ReadOnlySpan{int})"/>).
    /// </summary>
    /// <exception cref="ArgumentNullException">An array or row is null.</exception>
    /// <exception cref="ArgumentException">There are no samples, the rows are ragged, the counts differ, a feature is not finite, or a label is not 0 or 1.</exception>
    public static Dataset FromBinaryLabels(float[][] features, int[] labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        float[] flat = Flatten(features, nameof(features), out int featureCount);
        CheckSameCount(features.Length, labels.Length, nameof(labels));
        return FromBinaryLabels(flat, featureCount, labels);
    }

    /// <summary>Takes ownership of arrays that are already valid (for <see cref="Select"/>).</summary>
    private Dataset(float[] features, float[] targets, int[]? labels, int featureCount, int targetCount, int classCount)
    {
        _features = features;
        _targets = targets;
        _labels = labels;
        Count = features.Length / featureCount;
        FeatureCount = featureCount;
        TargetCount = targetCount;
        ClassCount = classCount;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void CheckIndex(int index)
    {
        if ((uint)index >= (uint)Count)
        {
            ThrowIndex(index);
        }
    }

    private void ThrowIndex(int index)
        => throw new ArgumentOutOfRangeException(nameof(index), index, $"The dataset has {Count} samples.");

    private static InvalidOperationException NoLabels() => new("The dataset has no class labels.");

    private static void CheckFinite(ReadOnlySpan<float> values, int width, string paramName, string what)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                throw new ArgumentException(
                    $"Sample {i / width}, {what} {i % width} is {values[i].ToString(CultureInfo.InvariantCulture)}; values must be finite.", paramName);
            }
        }
    }

    private static void CheckLabels(ReadOnlySpan<int> labels, int count, int classCount, string paramName)
    {
        if (labels.Length != count)
        {
            throw new ArgumentException($"'{paramName}' has {labels.Length} labels but there are {count} samples.", paramName);
        }

        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classCount)
            {
                throw new ArgumentException(
                    $"Sample {i} has label {labels[i]}, outside [0, {classCount}).", paramName);
            }
        }
    }

    private static void CheckSameCount(int expected, int actual, string paramName)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"'{paramName}' has {actual} rows but there are {expected} samples.", paramName);
        }
    }

    private static float[] Flatten(float[][] rows, string paramName, out int width)
    {
        ArgumentNullException.ThrowIfNull(rows, paramName);
        if (rows.Length == 0)
        {
            throw new ArgumentException($"'{paramName}' has no rows; the row length cannot be known.", paramName);
        }

        width = (rows[0] ?? throw new ArgumentNullException(paramName, $"Row 0 of '{paramName}' is null.")).Length;
        if (width == 0)
        {
            throw new ArgumentException($"Row 0 of '{paramName}' is empty.", paramName);
        }

        float[] flat = new float[(long)rows.Length * width];
        for (int i = 0; i < rows.Length; i++)
        {
            float[] row = rows[i] ?? throw new ArgumentNullException(paramName, $"Row {i} of '{paramName}' is null.");
            if (row.Length != width)
            {
                throw new ArgumentException($"Row {i} of '{paramName}' has {row.Length} values but row 0 has {width}.", paramName);
            }

            row.CopyTo(flat, (long)i * width);
        }

        return flat;
    }
}
