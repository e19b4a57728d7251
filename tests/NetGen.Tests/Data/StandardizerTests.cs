using NetGen.Data;

namespace NetGen.Tests.Data;

public sealed class StandardizerTests
{
    // Columns: 1..4 (mean 2.5, population variance 1.25); constant 7; -2, 0, 2, 0 (mean 0, variance 2).
    private static readonly float[] Rows =
    [
        1, 7, -2,
        2, 7, 0,
        3, 7, 2,
        4, 7, 0,
    ];

    [Fact]
    public void Fit_gives_the_mean_and_population_standard_deviation()
    {
        var standardizer = Standardizer.Fit(Rows, 3);

        Assert.Equal(3, standardizer.FeatureCount);
        Assert.Equal([2.5f, 7f, 0f], standardizer.Means.ToArray());
        Assert.Equal((float)Math.Sqrt(1.25), standardizer.StandardDeviations[0]);
        Assert.Equal(1f, standardizer.StandardDeviations[1]); // constant: only centred
        Assert.Equal((float)Math.Sqrt(2), standardizer.StandardDeviations[2]);
    }

    [Fact]
    public void Apply_standardizes_in_place_and_inverse_undoes_it()
    {
        var standardizer = Standardizer.Fit(Rows, 3);
        float[] rows = (float[])Rows.Clone();
        standardizer.Apply(rows);

        float a = 1.5f / (float)Math.Sqrt(1.25); // 1.3416408
        float b = 0.5f / (float)Math.Sqrt(1.25); // 0.4472136
        float c = 2f / (float)Math.Sqrt(2);      // 1.4142135
        Assert.Equal([-a, 0, -c, -b, 0, 0, b, 0, c, a, 0, 0], rows);
        Assert.Equal(1.3416408f, a, 6);

        standardizer.Inverse(rows);
        for (int i = 0; i < rows.Length; i++)
        {
            Assert.Equal(Rows[i], rows[i], 5);
        }
    }

    [Fact]
    public void Standardized_training_data_has_mean_zero_and_deviation_one()
    {
        var random = new Random(4);
        float[] rows = new float[300 * 2];
        for (int i = 0; i < rows.Length; i++)
        {
            rows[i] = (float)((random.NextDouble() * 50) + (i % 2 == 0 ? 1000 : -3));
        }

        var standardizer = Standardizer.Fit(rows, 2);
        standardizer.Apply(rows);
        var refitted = Standardizer.Fit(rows, 2);
        Assert.All(refitted.Means.ToArray(), m => Assert.Equal(0, m, 5));
        Assert.All(refitted.StandardDeviations.ToArray(), s => Assert.Equal(1, s, 5));
    }

    [Fact]
    public void A_spread_at_float_rounding_level_counts_as_constant()
    {
        // 1000.0001f is one float step above 1000: the spread is rounding, not signal.
        var standardizer = Standardizer.Fit([1000f, 1000f, 1000f, 1000.0001f], 1);
        Assert.Equal(1f, standardizer.StandardDeviations[0]);

        // A small but real spread is kept.
        var small = Standardizer.Fit([0.001f, 0.002f], 1);
        Assert.Equal(0.0005f, small.StandardDeviations[0], 9);
    }

    [Fact]
    public void Dataset_overloads_fit_and_apply_the_features_only()
    {
        var data = new Dataset(Rows, 3, [1f, 2, 3, 4], 1);
        var standardizer = Standardizer.Fit(data);
        standardizer.Apply(data);

        float[] expected = (float[])Rows.Clone();
        standardizer.Apply(expected);
        Assert.Equal(expected, data.FeatureValues.ToArray());
        Assert.Equal([1f, 2, 3, 4], data.TargetValues.ToArray());
        var other = new Dataset([1f, 2], 2, [1f], 1);
        Assert.Throws<ArgumentException>(() => standardizer.Apply(other));
    }

    [Fact]
    public void Invalid_statistics_and_shapes_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => new Standardizer([], []));
        Assert.Throws<ArgumentException>(() => new Standardizer([0f, 1], [1f]));
        Assert.Throws<ArgumentException>(() => new Standardizer([float.NaN], [1f]));
        Assert.Throws<ArgumentException>(() => new Standardizer([0f], [0f]));
        Assert.Throws<ArgumentException>(() => new Standardizer([0f], [-1f]));
        Assert.Throws<ArgumentException>(() => new Standardizer([0f], [float.PositiveInfinity]));
        Assert.Throws<ArgumentException>(() => Standardizer.Fit([], 2));
        Assert.Throws<ArgumentException>(() => Standardizer.Fit([1f, 2, 3], 2));
        Assert.Throws<ArgumentException>(() => Standardizer.Fit([1f, float.NaN], 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => Standardizer.Fit([1f], 0));
        Assert.Throws<ArgumentException>(() => Standardizer.Fit(new Dataset([], 2, [], 1)));
        var standardizer = new Standardizer([0f, 0], [1f, 1]);
        Assert.Throws<ArgumentException>(() => standardizer.Apply(new float[3]));
        Assert.Throws<ArgumentException>(() => standardizer.Inverse(new float[1]));
    }

    [Fact]
    public void Statistics_are_copied()
    {
        float[] means = [1f];
        var standardizer = new Standardizer(means, [2f]);
        means[0] = 5;
        Assert.Equal(1f, standardizer.Means[0]);
    }

    [Fact]
    public void Applying_to_a_span_does_not_allocate()
    {
        var standardizer = Standardizer.Fit(Rows, 3);
        float[] input = [1, 2, 3];
        Assert.Equal(0, AllocationMeter.BytesAllocated(() =>
        {
            standardizer.Apply(input);
            standardizer.Inverse(input);
        }));
    }
}
