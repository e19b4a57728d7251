using System;
using System.Globalization;

namespace NetGen.Data;

/// <summary>
/// Per-feature standardization, <c>x' = (x - mean) / standardDeviation</c>, with the statistics fitted on training
/// data and then applied unchanged to the test data and to every input the trained network sees later. Save it
/// with the weights (<see cref="Serialization.WeightFile"/>) so that a loaded model scales its inputs as it did in
/// training.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Fit(ReadOnlySpan{float}, int)"/> accumulates in double precision, stores the mean as a float, and takes
/// the population standard deviation (divide by the count, not count - 1) of the float differences from that mean.
/// </para>
/// <para>
/// A constant feature has no spread to divide by. A feature whose standard deviation is zero, or below
/// <c>2^-20 · |mean|</c> (a spread at the level of float rounding of the mean), gets a standard deviation of 1: it is
/// only centred, and comes out as (about) zero instead of infinity or noise blown up a million times.
/// </para>
/// <para>Instances are immutable.</para>
/// </remarks>
/// <example>
/// <code>
/// var standardizer = Standardizer.Fit(train);
/// standardizer.Apply(train);   // in place
/// standardizer.Apply(test);    // with the training statistics
/// // later, for a single input (allocation-free):
/// standardizer.Apply(input);
/// int predicted = network.Predict(input);
/// </code>
/// </example>
public sealed class Standardizer
{
    /// <summary>The relative spread below which a feature counts as constant: <c>2^-20</c>.</summary>
    private const double ConstantTolerance = 1.0 / (1 << 20);

    private readonly float[] _means;
    private readonly float[] _standardDeviations;

    /// <summary>Creates a standardizer from known statistics (copied), e.g. ones computed elsewhere.</summary>
    /// <param name="means">The mean of each feature; finite.</param>
    /// <param name="standardDeviations">The standard deviation of each feature; finite and positive.</param>
    /// <exception cref="ArgumentException">
    /// The spans are empty or of different lengths, a mean is not finite, or a standard deviation is not finite and positive.
    /// </exception>
    public Standardizer(ReadOnlySpan<float> means, ReadOnlySpan<float> standardDeviations)
    {
        if (means.IsEmpty)
        {
            throw new ArgumentException("There must be at least one feature.", nameof(means));
        }

        Guard.SameLength(means, standardDeviations, nameof(standardDeviations));
        for (int f = 0; f < means.Length; f++)
        {
            if (!float.IsFinite(means[f]))
            {
                throw new ArgumentException($"The mean of feature {f} is {means[f].ToString(CultureInfo.InvariantCulture)}; it must be finite.", nameof(means));
            }

            if (!(float.IsFinite(standardDeviations[f]) && standardDeviations[f] > 0f))
            {
                throw new ArgumentException(
                    $"The standard deviation of feature {f} is {standardDeviations[f].ToString(CultureInfo.InvariantCulture)}; it must be finite and positive.", nameof(standardDeviations));
            }
        }

        _means = means.ToArray();
        _standardDeviations = standardDeviations.ToArray();
    }

    /// <summary>The number of features, i.e. the row width this standardizer applies to.</summary>
    public int FeatureCount => _means.Length;

    /// <summary>The mean subtracted from each feature.</summary>
    public ReadOnlySpan<float> Means => _means;

    /// <summary>The standard deviation each feature is divided by (1 for a constant feature).</summary>
    public ReadOnlySpan<float> StandardDeviations => _standardDeviations;

    /// <summary>Fits the mean and population standard deviation of each feature of <paramref name="data"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="data"/> has no samples.</exception>
    public static Standardizer Fit(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Fit(data.FeatureValues, data.FeatureCount);
    }

    /// <summary>
    /// Fits the mean and population standard deviation of each feature of a dataset of sequences (a sequence network's
    /// samples: <c>steps × featuresPerStep</c> values each), over every step of every sample, so that a sequence
    /// network's <c>InputCount</c> features are scaled alike at every step. Apply it with <see cref="Apply(Dataset)"/>,
    /// or to one step or sequence with <see cref="Apply(Span{float})"/>; weight files save it with the network.
    /// </summary>
    /// <param name="data">The sequences.</param>
    /// <param name="featuresPerStep">The features of one step (the network's <c>InputCount</c>).</param>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="data"/> has no samples, or its samples are not a whole number of steps of <paramref name="featuresPerStep"/>.
    /// </exception>
    public static Standardizer Fit(Dataset data, int featuresPerStep)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(featuresPerStep);
        if (data.FeatureCount % featuresPerStep != 0)
        {
            throw new ArgumentException(
                $"The dataset's samples have {data.FeatureCount} features, which is not a whole number of steps of {featuresPerStep}.", nameof(featuresPerStep));
        }

        return Fit(data.FeatureValues, featuresPerStep);
    }

    /// <summary>
    /// Fits the mean and population standard deviation of each column of <paramref name="rows"/>, a row-major block
    /// of samples of <paramref name="featureCount"/> values (also usable on regression targets).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="featureCount"/> is not positive.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="rows"/> is empty, is not a whole number of rows, or holds a NaN or infinite value.
    /// </exception>
    public static Standardizer Fit(ReadOnlySpan<float> rows, int featureCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(featureCount);
        if (rows.IsEmpty || rows.Length % featureCount != 0)
        {
            throw new ArgumentException(
                $"'{nameof(rows)}' has {rows.Length} values; fitting needs at least one whole row of {featureCount}.", nameof(rows));
        }

        int count = rows.Length / featureCount;
        float[] means = new float[featureCount];
        float[] deviations = new float[featureCount];
        for (int f = 0; f < featureCount; f++)
        {
            double sum = 0;
            for (int i = f; i < rows.Length; i += featureCount)
            {
                if (!float.IsFinite(rows[i]))
                {
                    throw new ArgumentException($"Row {i / featureCount}, feature {f} is {rows[i].ToString(CultureInfo.InvariantCulture)}; values must be finite.", nameof(rows));
                }

                sum += rows[i];
            }

            float mean = (float)(sum / count);
            double squares = 0;
            for (int i = f; i < rows.Length; i += featureCount)
            {
                double difference = rows[i] - mean;
                squares += difference * difference;
            }

            double deviation = Math.Sqrt(squares / count);
            means[f] = mean;
            deviations[f] = deviation == 0 || deviation < ConstantTolerance * Math.Abs(mean) || (float)deviation == 0f ? 1f : (float)deviation;
        }

        return new Standardizer(means, deviations);
    }

    /// <summary>
    /// Standardizes <paramref name="rows"/> in place: one sample of <see cref="FeatureCount"/> values, or several
    /// row-major. Allocation-free.
    /// </summary>
    /// <exception cref="ArgumentException">The length is not a multiple of <see cref="FeatureCount"/>.</exception>
    public void Apply(Span<float> rows)
    {
        CheckRows(rows);
        float[] means = _means;
        float[] deviations = _standardDeviations;
        for (int start = 0; start < rows.Length; start += means.Length)
        {
            Span<float> row = rows.Slice(start, means.Length);
            for (int f = 0; f < row.Length; f++)
            {
                row[f] = (row[f] - means[f]) / deviations[f];
            }
        }
    }

    /// <summary>
    /// Standardizes the features of every sample of <paramref name="data"/> in place: samples of
    /// <see cref="FeatureCount"/> features, or sequences of steps of <see cref="FeatureCount"/> features each
    /// (<see cref="Fit(Dataset, int)"/>).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is null.</exception>
    /// <exception cref="ArgumentException">The dataset's feature count is not a multiple of <see cref="FeatureCount"/>.</exception>
    public void Apply(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.FeatureCount % FeatureCount != 0)
        {
            throw new ArgumentException(
                $"The dataset has {data.FeatureCount} features but this standardizer was fitted on {FeatureCount} (a sample, or each step of a sequence).", nameof(data));
        }

        Apply(data.FeatureValues);
    }

    /// <summary>
    /// Undoes <see cref="Apply(Span{float})"/> in place, <c>x = x' · standardDeviation + mean</c> (up to float
    /// rounding), e.g. to report a standardized regression output in original units. Allocation-free.
    /// </summary>
    /// <exception cref="ArgumentException">The length is not a multiple of <see cref="FeatureCount"/>.</exception>
    public void Inverse(Span<float> rows)
    {
        CheckRows(rows);
        float[] means = _means;
        float[] deviations = _standardDeviations;
        for (int start = 0; start < rows.Length; start += means.Length)
        {
            Span<float> row = rows.Slice(start, means.Length);
            for (int f = 0; f < row.Length; f++)
            {
                row[f] = (row[f] * deviations[f]) + means[f];
            }
        }
    }

    private void CheckRows(Span<float> rows)
    {
        if (rows.Length % _means.Length != 0)
        {
            throw new ArgumentException(
                $"'{nameof(rows)}' has length {rows.Length}, which is not a multiple of the {_means.Length} features.", nameof(rows));
        }
    }
}
