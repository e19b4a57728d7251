using NetGen.Data;

namespace NetGen.Tests.Data;

public sealed class OneHotTests
{
    [Fact]
    public void Labels_become_rows_with_a_single_one()
    {
        Assert.Equal([0f, 0, 1, 1, 0, 0, 0, 1, 0], OneHot.Encode([2, 0, 1], 3));
        Assert.Empty(OneHot.Encode([], 4));
    }

    [Fact]
    public void A_single_label_overwrites_the_whole_destination()
    {
        float[] row = [5, 5, 5, 5];
        OneHot.Encode(1, row);
        Assert.Equal([0f, 1, 0, 0], row);
        Assert.Throws<ArgumentOutOfRangeException>(() => OneHot.Encode(4, row));
        Assert.Throws<ArgumentOutOfRangeException>(() => OneHot.Encode(-1, row));
    }

    [Fact]
    public void Out_of_range_labels_and_class_counts_are_rejected()
    {
        var exception = Assert.Throws<ArgumentException>(() => OneHot.Encode([0, 3], 3));
        Assert.Contains("Sample 1 has label 3", exception.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => OneHot.Encode([0], 0));
    }

    [Fact]
    public void Decode_is_the_first_largest_value()
    {
        Assert.Equal(2, OneHot.Decode([0.1f, 0.2f, 0.7f]));
        Assert.Equal(0, OneHot.Decode([3f, 1f, 3f]));
        Assert.Equal(1, OneHot.Decode([float.NaN, -5f]));
        Assert.Equal(0, OneHot.Decode([-1f]));
        Assert.Throws<ArgumentException>(() => OneHot.Decode([]));
    }

    [Fact]
    public void Encoding_one_label_does_not_allocate()
    {
        float[] row = new float[10];
        int label = 0;
        Assert.Equal(0, AllocationMeter.BytesAllocated(() => OneHot.Encode(label++ % 10, row)));
    }
}
