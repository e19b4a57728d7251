using NetGen.Numerics;

namespace NetGen.Tests.Batches;

/// <summary><see cref="BatchKernels"/> against double-precision definitions, over the shapes their passes split at.</summary>
public sealed class BatchKernelTests
{
    public static TheoryData<int, int, int> Shapes()
    {
        var data = new TheoryData<int, int, int>();
        foreach (int rows in new[] { 1, 7, 8, 9, 16, 17, 33 })
        {
            foreach (int depth in new[] { 1, 5, 16, 37 })
            {
                foreach (int block in new[] { 1, 3, 4, 8, 16, 32 })
                {
                    data.Add(rows, depth, block);
                }
            }
        }

        return data;
    }

    /// <summary>
    /// <c>Z = W X + b</c> over a block, and <c>Wᵀ D</c>, each output within 1e-6 of its sum of magnitudes (float
    /// rounding of a sum of at most 37 products is below 37 · 2⁻²⁴ of it).
    /// </summary>
    [Theory]
    [MemberData(nameof(Shapes))]
    public void Products_match_their_definitions(int rows, int depth, int block)
    {
        var random = new Random((rows * 1000) + (depth * 10) + block);
        float[] w = RandomSamples.Uniform(random, rows * depth, -1, 1);
        float[] b = RandomSamples.Uniform(random, rows, -1, 1);
        float[] x = RandomSamples.Uniform(random, depth * block, -1, 1);
        float[] z = new float[rows * block];
        BatchKernels.MultiplyAdd(w, b, x, z, block);
        for (int j = 0; j < rows; j++)
        {
            for (int s = 0; s < block; s++)
            {
                double sum = b[j], magnitude = Math.Abs(b[j]);
                for (int k = 0; k < depth; k++)
                {
                    sum += (double)w[(j * depth) + k] * x[(k * block) + s];
                    magnitude += Math.Abs((double)w[(j * depth) + k] * x[(k * block) + s]);
                }

                Check.Close(sum, z[(j * block) + s], 1e-6 * magnitude, () => $"Z[{j}, {s}]");
            }
        }

        // The transposed product: W is [rows, depth], so D is [rows, block] and the result [depth, block].
        float[] d = RandomSamples.Uniform(random, rows * block, -1, 1);
        float[] dx = RandomSamples.Uniform(random, depth * block, -1, 1); // overwritten
        BatchKernels.MultiplyTransposed(w, d, dx, block);
        for (int i = 0; i < depth; i++)
        {
            for (int s = 0; s < block; s++)
            {
                double sum = 0, magnitude = 0;
                for (int j = 0; j < rows; j++)
                {
                    sum += (double)w[(j * depth) + i] * d[(j * block) + s];
                    magnitude += Math.Abs((double)w[(j * depth) + i] * d[(j * block) + s]);
                }

                Check.Close(sum, dx[(i * block) + s], 1e-6 * magnitude, () => $"dX[{i}, {s}]");
            }
        }
    }

    [Theory]
    [InlineData(5, 16, 16)]
    [InlineData(5, 16, 9)]
    [InlineData(784, 16, 16)]
    [InlineData(13, 8, 3)]
    [InlineData(1, 4, 0)]
    public void Blocks_hold_the_samples_feature_major_and_padded_with_zeros(int features, int size, int count)
    {
        var random = new Random(features + count);
        float[] samples = RandomSamples.Uniform(random, count * features, -1, 1);
        float[] block = RandomSamples.Uniform(random, size * features, 5, 6); // stale values must go
        BatchKernels.ToBlock(samples, features, block);
        for (int f = 0; f < features; f++)
        {
            for (int s = 0; s < size; s++)
            {
                Assert.Equal(s < count ? samples[(s * features) + f] : 0f, block[(f * size) + s]);
            }
        }

        float[] back = new float[count * features];
        BatchKernels.FromBlock(block, features, back);
        Assert.Equal(samples, back);
    }

    [Theory]
    [InlineData(6, 16, 16, 3)]
    [InlineData(6, 16, 9, 1)]
    [InlineData(13, 8, 8, 5)]
    public void A_step_of_sequences_goes_into_a_block(int features, int size, int count, int steps)
    {
        var random = new Random(features + count + steps);
        int stride = steps * features;
        float[] sequences = RandomSamples.Uniform(random, count * stride, -1, 1);
        float[] block = RandomSamples.Uniform(random, size * features, 5, 6);
        for (int t = 0; t < steps; t++)
        {
            BatchKernels.ToBlock(sequences.AsSpan(t * features), count, stride, features, block);
            for (int f = 0; f < features; f++)
            {
                for (int s = 0; s < size; s++)
                {
                    Assert.Equal(s < count ? sequences[(s * stride) + (t * features) + f] : 0f, block[(f * size) + s]);
                }
            }
        }

        Assert.Throws<ArgumentException>(() => BatchKernels.ToBlock(sequences.AsSpan(stride), count, stride, features, block)); // one sequence short
    }

    [Fact]
    public void Wrong_shapes_throw()
    {
        BatchKernels.MultiplyAdd(new float[12], new float[3], new float[8], new float[6], 2); // W 3 × 4, X 4 × 2, Z 3 × 2
        Assert.Throws<ArgumentException>(() => BatchKernels.MultiplyAdd(new float[12], new float[3], new float[8], new float[8], 2));
        Assert.Throws<ArgumentException>(() => BatchKernels.MultiplyAdd(new float[12], new float[3], new float[7], new float[6], 2));
        Assert.Throws<ArgumentException>(() => BatchKernels.MultiplyAdd(new float[12], new float[3], new float[8], new float[6], 0));
        Assert.Throws<ArgumentException>(() => BatchKernels.MultiplyTransposed(new float[12], new float[6], new float[9], 2));
        Assert.Throws<ArgumentException>(() => BatchKernels.ToBlock(new float[7], 2, new float[8]));
        Assert.Throws<ArgumentException>(() => BatchKernels.ToBlock(new float[10], 2, new float[8]));
        Assert.Throws<ArgumentException>(() => BatchKernels.FromBlock(new float[8], 2, new float[10]));
    }
}
