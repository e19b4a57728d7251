using NetGen.Data;

namespace NetGen.Tests.Data;

public sealed class DatasetTests
{
    [Fact]
    public void Flat_arrays_give_row_spans_and_are_copied()
    {
        float[] features = [1, 2, 3, 4, 5, 6];
        float[] targets = [10, 20, 30];
        var data = new Dataset(features, 2, targets, 1);
        features[0] = 99; // the dataset took a copy

        Assert.Equal(3, data.Count);
        Assert.Equal(2, data.FeatureCount);
        Assert.Equal(1, data.TargetCount);
        Assert.False(data.HasLabels);
        Assert.Equal(0, data.ClassCount);
        Assert.True(data.Labels.IsEmpty);
        Assert.Equal([1f, 2f], data.Features(0).ToArray());
        Assert.Equal([5f, 6f], data.Features(2).ToArray());
        Assert.Equal([20f], data.Target(1).ToArray());
        Assert.Equal([1f, 2, 3, 4, 5, 6], data.FeatureValues.ToArray());

        data.Features(1)[0] = -3; // writable views
        Assert.Equal(-3, data.FeatureValues[2]);
    }

    [Fact]
    public void Labels_become_one_hot_targets()
    {
        float[][] rows = [[1, 2], [3, 4], [5, 6]];
        var data = Dataset.FromLabels(rows, [2, 0, 1], classCount: 3);

        Assert.True(data.HasLabels);
        Assert.Equal(3, data.ClassCount);
        Assert.Equal(3, data.TargetCount);
        Assert.Equal([0f, 0, 1], data.Target(0).ToArray());
        Assert.Equal([1f, 0, 0], data.Target(1).ToArray());
        Assert.Equal([0f, 1, 0], data.Target(2).ToArray());
        Assert.Equal(2, data.Label(0));
        Assert.Equal([2, 0, 1], data.Labels.ToArray());
        Assert.Equal([3f, 4], data.Features(1).ToArray());
        Assert.Equal([1, 1, 1], data.CountPerClass());
    }

    [Fact]
    public void Binary_labels_become_single_targets()
    {
        var data = Dataset.FromBinaryLabels([1f, 2, 3, 4, 5, 6], 3, [1, 0]);

        Assert.Equal(2, data.Count);
        Assert.Equal(1, data.TargetCount);
        Assert.Equal(2, data.ClassCount);
        Assert.Equal([1f, 0f], data.TargetValues.ToArray());
        Assert.Equal([1, 0], data.Labels.ToArray());
        Assert.Throws<ArgumentException>(() => Dataset.FromBinaryLabels([1f, 2], 1, [0, 2]));
    }

    [Fact]
    public void Rows_of_features_and_targets_are_flattened()
    {
        var data = Dataset.FromRows([[1, 2], [3, 4]], [[0.5f, 1], [1.5f, 2]]);

        Assert.Equal(2, data.Count);
        Assert.Equal([3f, 4], data.Features(1).ToArray());
        Assert.Equal([1.5f, 2], data.Target(1).ToArray());
    }

    [Fact]
    public void Select_copies_the_chosen_samples_in_order_with_their_labels()
    {
        var data = Dataset.FromLabels([10f, 11, 12, 13], 1, [0, 1, 1, 0], 2);
        Dataset picked = data.Select([3, 1, 1]);

        Assert.Equal([13f, 11, 11], picked.FeatureValues.ToArray());
        Assert.Equal([0, 1, 1], picked.Labels.ToArray());
        Assert.Equal([1f, 0, 0, 1, 0, 1], picked.TargetValues.ToArray());
        Assert.Equal(2, picked.ClassCount);
        picked.Features(0)[0] = 0;
        Assert.Equal(13f, data.Features(3)[0]);
        Assert.Equal(0, data.Select([]).Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => data.Select([0, 4]));
    }

    [Fact]
    public void Lengths_that_do_not_add_up_are_rejected_with_what_is_wrong()
    {
        AssertRejected("not a whole number of samples of 2 features", () => new Dataset([1f, 2, 3], 2, [1f], 1));
        AssertRejected("'targets' has 3 values but 2 samples of 1 targets need 2", () => new Dataset([1f, 2, 3, 4], 2, [1f, 2, 3], 1));
        AssertRejected("'labels' has 1 labels but there are 2 samples", () => new Dataset([1f, 2], 1, [1f, 2], 1, [0], 2));
        AssertRejected("Row 1 of 'features' has 3 values but row 0 has 2", () => Dataset.FromLabels([[1, 2], [3, 4, 5]], [0, 1], 2));
        AssertRejected("'labels' has 3 rows but there are 2 samples", () => Dataset.FromLabels([[1, 2], [3, 4]], [0, 1, 1], 2));
        AssertRejected("'targets' has 1 rows but there are 2 samples", () => Dataset.FromRows([[1], [2]], [[1]]));
        AssertRejected("'features' has no rows", () => Dataset.FromRows([], []));
        AssertRejected("Row 0 of 'features' is empty", () => Dataset.FromRows([[]], [[1]]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Dataset([1f], 0, [1f], 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Dataset([1f], 1, [1f], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Dataset.FromLabels([1f], 1, [0], 0));
        Assert.Throws<ArgumentNullException>(() => Dataset.FromRows([[1], null!], [[1], [2]]));
        Assert.Throws<ArgumentNullException>(() => Dataset.FromLabels(null!, [0], 1));
    }

    [Fact]
    public void Labels_out_of_range_are_rejected_with_the_sample()
    {
        AssertRejected("Sample 2 has label 3, outside [0, 3)", () => Dataset.FromLabels([1f, 2, 3], 1, [0, 2, 3], 3));
        AssertRejected("Sample 0 has label -1, outside [0, 2)", () => new Dataset([1f], 1, [1f], 1, [-1], 2));
    }

    [Fact]
    public void Values_that_are_not_finite_are_rejected_with_the_sample_and_column()
    {
        AssertRejected("Sample 1, feature 0 is NaN", () => new Dataset([1f, 2, float.NaN, 4], 2, [1f, 2], 1));
        AssertRejected("Sample 0, target 1 is", () => new Dataset([1f], 1, [1f, float.PositiveInfinity], 2));
    }

    [Fact]
    public void Indices_are_checked()
    {
        var data = new Dataset([1f, 2], 1, [1f, 2], 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => data.Features(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => data.Target(-1));
        Assert.Throws<InvalidOperationException>(() => data.Label(0));
        Assert.Throws<InvalidOperationException>(() => data.CountPerClass());
    }

    [Fact]
    public void An_empty_dataset_is_allowed()
    {
        var data = new Dataset([], 3, [], 2);
        Assert.Equal(0, data.Count);
        Assert.Equal(3, data.FeatureCount);
    }

    [Fact]
    public void Reading_samples_does_not_allocate()
    {
        var data = Dataset.FromLabels([1f, 2, 3, 4, 5, 6], 2, [0, 1, 1], 2);
        float sum = 0;
        int i = 0;
        Assert.Equal(0, AllocationMeter.BytesAllocated(() =>
        {
            int index = i++ % data.Count;
            sum += data.Features(index)[0] + data.Target(index)[1] + data.Label(index);
        }));
        Assert.True(sum > 0);
    }

    private static void AssertRejected(string expectedMessagePart, Func<object> create)
    {
        var exception = Assert.ThrowsAny<ArgumentException>(() => create());
        Assert.Contains(expectedMessagePart, exception.Message, StringComparison.Ordinal);
    }
}
