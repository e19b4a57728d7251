using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
#if NET8_0_OR_GREATER
using System.Runtime.Intrinsics;
#endif

namespace NetGen.Numerics;

/// <summary>
/// The products of a dense layer over a block of samples, for <c>ForwardBatch</c> and <c>BackwardBatch</c>. A block
/// holds its values feature-major, <c>[features, block]</c>: each feature's values for the block's samples side by
/// side, so that a vector holds one feature of several samples. A product then broadcasts each weight once per vector
/// of samples and multiply-adds it into the accumulators of several rows at a time (sixteen with <c>Vector512</c>'s 32
/// registers, eight with <see cref="Vector{T}"/>): one load of a weight serves a whole vector of samples, one load of the
/// inputs serves all those rows, and no horizontal sums are needed. A layer's output block is
/// the next layer's input block as it stands, so only the network's inputs and outputs change layout
/// (<see cref="ToBlock(ReadOnlySpan{float}, int, Span{float})"/>, <see cref="FromBlock"/>).
/// </summary>
/// <remarks>
/// Every output is its bias (or zero) plus the products in order of the summed index, multiply-adds fused where the
/// hardware fuses (<see cref="SimdMath"/>), at every vector width and in the scalar code alike: a block's results do not
/// depend on the width the machine runs, only on FMA. They differ from the per-sample products (which sum in vector
/// lanes, then across them) in the rounding of the last bits.
/// </remarks>
public static class BatchKernels
{
    /// <summary>Rows (or columns, for the transposed product) whose accumulators stay in registers together, below <c>Vector512</c>.</summary>
    private const int RowsPerPass = 8;

    /// <summary>
    /// Writes <c>count = samples.Length / features</c> samples, stored one after another, into the feature-major
    /// <paramref name="block"/> (<c>[features, block.Length / features]</c>), zero for the samples past <c>count</c>.
    /// </summary>
    /// <param name="samples">The samples, <c>count × features</c> values.</param>
    /// <param name="features">The values per sample.</param>
    /// <param name="block">Receives the block: <c>features × blockSamples</c> values, <c>blockSamples ≥ count</c>.</param>
    public static void ToBlock(ReadOnlySpan<float> samples, int features, Span<float> block)
    {
        int size = CheckBlock(samples.Length, features, block.Length, nameof(block));
        int count = samples.Length / features;
        if (count == size)
        {
            // A full block is the transpose of the samples' matrix, 8 × 8 at a time: element by element, each store
            // would touch a cache line of its own (a 784-feature block took a third of the first layer's product).
            DenseKernels.Transpose(samples, count, features, block);
            return;
        }

        block.Clear();

#if NET8_0_OR_GREATER
        ref float source = ref MemoryMarshal.GetReference(samples);
        ref float destination = ref MemoryMarshal.GetReference(block);
        for (int s = 0; s < count; s++)
        {
            ref float sample = ref Unsafe.Add(ref source, s * features);
            for (int f = 0; f < features; f++)
            {
                Unsafe.Add(ref destination, (f * size) + s) = Unsafe.Add(ref sample, f);
            }
        }
#else
        for (int s = 0; s < count; s++)
        {
            for (int f = 0; f < features; f++)
            {
                block[(f * size) + s] = samples[(s * features) + f];
            }
        }
#endif
    }

    /// <summary>
    /// Writes one step of <paramref name="count"/> sequences into the feature-major <paramref name="block"/>
    /// (<c>[features, block.Length / features]</c>), zero for the sequences past <paramref name="count"/>: the
    /// <paramref name="features"/> values at <c>s · stride</c> of <paramref name="source"/> for sequence <c>s</c>.
    /// </summary>
    /// <param name="source">The step's first sequence's values onwards (a slice of the sequences, one after another).</param>
    /// <param name="count">The sequences.</param>
    /// <param name="stride">The values from one sequence to the next.</param>
    /// <param name="features">The values per step.</param>
    /// <param name="block">Receives the block: <c>features × blockSamples</c> values, <c>blockSamples ≥ count</c>.</param>
    public static void ToBlock(ReadOnlySpan<float> source, int count, int stride, int features, Span<float> block)
    {
        int size = CheckBlock(count * features, features, block.Length, nameof(block));
        if (count > 0 && (stride < features || source.Length < ((count - 1) * (long)stride) + features))
        {
            throw new ArgumentException($"'{nameof(source)}' ({source.Length} values) must hold {count} samples of {features} values {stride} apart.", nameof(source));
        }

        if (count < size)
        {
            block.Clear();
        }

#if NET8_0_OR_GREATER
        ref float from = ref MemoryMarshal.GetReference(source);
        ref float destination = ref MemoryMarshal.GetReference(block);
        for (int s = 0; s < count; s++)
        {
            ref float sample = ref Unsafe.Add(ref from, s * stride);
            for (int f = 0; f < features; f++)
            {
                Unsafe.Add(ref destination, (f * size) + s) = Unsafe.Add(ref sample, f);
            }
        }
#else
        for (int s = 0; s < count; s++)
        {
            for (int f = 0; f < features; f++)
            {
                block[(f * size) + s] = source[(s * stride) + f];
            }
        }
#endif
    }

    /// <summary>
    /// Writes the first <c>count = samples.Length / features</c> samples of the feature-major <paramref name="block"/>
    /// to <paramref name="samples"/>, one after another: the inverse of <see cref="ToBlock(ReadOnlySpan{float}, int, Span{float})"/>.
    /// </summary>
    /// <param name="block">The block, <c>features × blockSamples</c> values.</param>
    /// <param name="features">The values per sample.</param>
    /// <param name="samples">Receives <c>count × features</c> values, <c>count ≤ blockSamples</c>.</param>
    public static void FromBlock(ReadOnlySpan<float> block, int features, Span<float> samples)
    {
        int size = CheckBlock(samples.Length, features, block.Length, nameof(samples));
        int count = samples.Length / features;
        if (count == size)
        {
            DenseKernels.Transpose(block, features, size, samples);
            return;
        }

#if NET8_0_OR_GREATER
        ref float source = ref MemoryMarshal.GetReference(block);
        ref float destination = ref MemoryMarshal.GetReference(samples);
        for (int s = 0; s < count; s++)
        {
            ref float sample = ref Unsafe.Add(ref destination, s * features);
            for (int f = 0; f < features; f++)
            {
                Unsafe.Add(ref sample, f) = Unsafe.Add(ref source, (f * size) + s);
            }
        }
#else
        for (int s = 0; s < count; s++)
        {
            for (int f = 0; f < features; f++)
            {
                samples[(s * features) + f] = block[(f * size) + s];
            }
        }
#endif
    }

    /// <summary>Forward product over a block: <c>Z = W X + b</c>, with <c>X</c> and <c>Z</c> feature-major.</summary>
    /// <param name="weights"><c>W</c>, <c>units × inputs</c> values, row-major.</param>
    /// <param name="bias"><c>b</c>, <c>units</c> values.</param>
    /// <param name="inputs"><c>X</c>, <c>inputs × block</c> values.</param>
    /// <param name="outputs">Receives <c>Z</c>, <c>units × block</c> values.</param>
    /// <param name="block">The samples in the block.</param>
    public static void MultiplyAdd(ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, ReadOnlySpan<float> inputs, Span<float> outputs, int block)
    {
        int units = bias.Length;
        int columns = CheckProduct(weights, units, inputs.Length, outputs.Length, block);
#if NET8_0_OR_GREATER
        Product(ref MemoryMarshal.GetReference(weights), rowStride: columns, depthStride: 1, units, columns, ref MemoryMarshal.GetReference(inputs), ref MemoryMarshal.GetReference(outputs), block, ref MemoryMarshal.GetReference(bias), hasBias: true);
#else
        Product(weights, rowStride: columns, depthStride: 1, units, columns, inputs, outputs, block, bias, hasBias: true);
#endif
    }

    /// <summary>
    /// Transposed product over a block: <c>dX = Wᵀ D</c> (overwrites <paramref name="inputGradients"/>), with <c>D</c>
    /// and <c>dX</c> feature-major: the deltas of the layer below, before its activation's derivative.
    /// </summary>
    /// <param name="weights"><c>W</c>, <c>units × inputs</c> values, row-major.</param>
    /// <param name="deltas"><c>D</c>, <c>units × block</c> values.</param>
    /// <param name="inputGradients">Receives <c>dX</c>, <c>inputs × block</c> values.</param>
    /// <param name="block">The samples in the block.</param>
    public static void MultiplyTransposed(ReadOnlySpan<float> weights, ReadOnlySpan<float> deltas, Span<float> inputGradients, int block)
    {
        int units = block > 0 ? deltas.Length / block : 0;
        int columns = CheckProduct(weights, units, inputGradients.Length, deltas.Length, block);
#if NET8_0_OR_GREATER
        Product(ref MemoryMarshal.GetReference(weights), rowStride: 1, depthStride: columns, columns, units, ref MemoryMarshal.GetReference(deltas), ref MemoryMarshal.GetReference(inputGradients), block, ref Unsafe.NullRef<float>(), hasBias: false);
#else
        Product(weights, rowStride: 1, depthStride: columns, columns, units, deltas, inputGradients, block, default, hasBias: false);
#endif
    }

#if NET8_0_OR_GREATER
    /// <summary>
    /// <c>Y[r, s] = bias[r] + Σₖ A[r, k] X[k, s]</c> for <paramref name="rows"/> rows, where <c>A[r, k]</c> is
    /// <c>a[r · rowStride + k · depthStride]</c> (<c>W</c> or <c>Wᵀ</c>) and <c>X</c>, <c>Y</c> are feature-major over
    /// <paramref name="block"/> samples, in the widest vectors that divide the block.
    /// </summary>
    private static void Product(ref float a, nint rowStride, nint depthStride, int rows, int depth, ref float x, ref float y, int block, ref float bias, bool hasBias)
    {
        if (Vector512.IsHardwareAccelerated && block % Vector512<float>.Count == 0)
        {
            // AVX-512's 32 registers hold sixteen rows' accumulators: one load of the inputs per sixteen multiply-adds.
            int done = Product16(ref a, rowStride, depthStride, rows, depth, ref x, ref y, block, ref bias, hasBias);
            Product<Float512, Vector512<float>>(ref Unsafe.Add(ref a, done * rowStride), rowStride, depthStride, rows - done, depth, ref x, ref Unsafe.Add(ref y, done * block), block, ref hasBias ? ref Unsafe.Add(ref bias, done) : ref bias, hasBias);
        }
        else if (Vector.IsHardwareAccelerated && block % Vector<float>.Count == 0)
        {
            Product<FloatVector, Vector<float>>(ref a, rowStride, depthStride, rows, depth, ref x, ref y, block, ref bias, hasBias);
        }
        else
        {
            Product<FloatScalar, float>(ref a, rowStride, depthStride, rows, depth, ref x, ref y, block, ref bias, hasBias);
        }
    }

    /// <summary>
    /// <see cref="Product"/> in vectors of <typeparamref name="TOps"/>: for each vector of samples, rows eight at a time,
    /// each weight broadcast once into a multiply-add with the inputs' vector, which is loaded once for the eight.
    /// </summary>
    private static void Product<TOps, TVector>(ref float a, nint rowStride, nint depthStride, int rows, int depth, ref float x, ref float y, int block, ref float bias, bool hasBias)
        where TOps : IFloatVectorOps<TVector>
        where TVector : struct
    {
        for (int c = 0; c < block; c += TOps.Count)
        {
            ref float xc = ref Unsafe.Add(ref x, c);
            int r = 0;
            for (; r <= rows - RowsPerPass; r += RowsPerPass)
            {
                ref float w0 = ref Unsafe.Add(ref a, r * rowStride);
                ref float w1 = ref Unsafe.Add(ref w0, rowStride);
                ref float w2 = ref Unsafe.Add(ref w1, rowStride);
                ref float w3 = ref Unsafe.Add(ref w2, rowStride);
                ref float w4 = ref Unsafe.Add(ref w3, rowStride);
                ref float w5 = ref Unsafe.Add(ref w4, rowStride);
                ref float w6 = ref Unsafe.Add(ref w5, rowStride);
                ref float w7 = ref Unsafe.Add(ref w6, rowStride);
                TVector s0 = Start<TOps, TVector>(ref bias, r, hasBias), s1 = Start<TOps, TVector>(ref bias, r + 1, hasBias);
                TVector s2 = Start<TOps, TVector>(ref bias, r + 2, hasBias), s3 = Start<TOps, TVector>(ref bias, r + 3, hasBias);
                TVector s4 = Start<TOps, TVector>(ref bias, r + 4, hasBias), s5 = Start<TOps, TVector>(ref bias, r + 5, hasBias);
                TVector s6 = Start<TOps, TVector>(ref bias, r + 6, hasBias), s7 = Start<TOps, TVector>(ref bias, r + 7, hasBias);
                ref float xk = ref xc;
                nint k = 0;
                for (int step = 0; step < depth; step++, k += depthStride)
                {
                    TVector v = TOps.Load(ref xk, 0);
                    s0 = TOps.MultiplyAdd(TOps.Create(Unsafe.Add(ref w0, k)), v, s0);
                    s1 = TOps.MultiplyAdd(TOps.Create(Unsafe.Add(ref w1, k)), v, s1);
                    s2 = TOps.MultiplyAdd(TOps.Create(Unsafe.Add(ref w2, k)), v, s2);
                    s3 = TOps.MultiplyAdd(TOps.Create(Unsafe.Add(ref w3, k)), v, s3);
                    s4 = TOps.MultiplyAdd(TOps.Create(Unsafe.Add(ref w4, k)), v, s4);
                    s5 = TOps.MultiplyAdd(TOps.Create(Unsafe.Add(ref w5, k)), v, s5);
                    s6 = TOps.MultiplyAdd(TOps.Create(Unsafe.Add(ref w6, k)), v, s6);
                    s7 = TOps.MultiplyAdd(TOps.Create(Unsafe.Add(ref w7, k)), v, s7);
                    xk = ref Unsafe.Add(ref xk, block);
                }

                ref float yr = ref Unsafe.Add(ref y, (r * block) + c);
                TOps.Store(s0, ref yr, 0);
                TOps.Store(s1, ref yr, block);
                TOps.Store(s2, ref yr, 2 * block);
                TOps.Store(s3, ref yr, 3 * block);
                TOps.Store(s4, ref yr, 4 * block);
                TOps.Store(s5, ref yr, 5 * block);
                TOps.Store(s6, ref yr, 6 * block);
                TOps.Store(s7, ref yr, 7 * block);
            }

            // Rows past the last eight, one at a time: the same sums.
            for (; r < rows; r++)
            {
                ref float w = ref Unsafe.Add(ref a, r * rowStride);
                TVector sum = Start<TOps, TVector>(ref bias, r, hasBias);
                ref float xk = ref xc;
                nint k = 0;
                for (int step = 0; step < depth; step++, k += depthStride)
                {
                    sum = TOps.MultiplyAdd(TOps.Create(Unsafe.Add(ref w, k)), TOps.Load(ref xk, 0), sum);
                    xk = ref Unsafe.Add(ref xk, block);
                }

                TOps.Store(sum, ref y, (r * block) + c);
            }
        }
    }

    /// <summary>
    /// The rows of <see cref="Product"/> in passes of sixteen, with <c>Vector512</c>: sixteen accumulators, the weights
    /// read through two pointers that advance with the summed index and the rows' distances from them as indices.
    /// Returns the rows done (a multiple of 16); the caller takes the rest.
    /// </summary>
    private static int Product16(ref float a, nint rowStride, nint depthStride, int rows, int depth, ref float x, ref float y, int block, ref float bias, bool hasBias)
    {
        int r = 0;
        nint r1 = rowStride, r2 = 2 * rowStride, r3 = 3 * rowStride, r4 = 4 * rowStride, r5 = 5 * rowStride, r6 = 6 * rowStride, r7 = 7 * rowStride;
        for (int c = 0; c < block; c += 16)
        {
            for (r = 0; r <= rows - 16; r += 16)
            {
                Vector512<float> s0 = Start<Float512, Vector512<float>>(ref bias, r, hasBias), s1 = Start<Float512, Vector512<float>>(ref bias, r + 1, hasBias);
                Vector512<float> s2 = Start<Float512, Vector512<float>>(ref bias, r + 2, hasBias), s3 = Start<Float512, Vector512<float>>(ref bias, r + 3, hasBias);
                Vector512<float> s4 = Start<Float512, Vector512<float>>(ref bias, r + 4, hasBias), s5 = Start<Float512, Vector512<float>>(ref bias, r + 5, hasBias);
                Vector512<float> s6 = Start<Float512, Vector512<float>>(ref bias, r + 6, hasBias), s7 = Start<Float512, Vector512<float>>(ref bias, r + 7, hasBias);
                Vector512<float> s8 = Start<Float512, Vector512<float>>(ref bias, r + 8, hasBias), s9 = Start<Float512, Vector512<float>>(ref bias, r + 9, hasBias);
                Vector512<float> s10 = Start<Float512, Vector512<float>>(ref bias, r + 10, hasBias), s11 = Start<Float512, Vector512<float>>(ref bias, r + 11, hasBias);
                Vector512<float> s12 = Start<Float512, Vector512<float>>(ref bias, r + 12, hasBias), s13 = Start<Float512, Vector512<float>>(ref bias, r + 13, hasBias);
                Vector512<float> s14 = Start<Float512, Vector512<float>>(ref bias, r + 14, hasBias), s15 = Start<Float512, Vector512<float>>(ref bias, r + 15, hasBias);
                ref float low = ref Unsafe.Add(ref a, r * rowStride);
                ref float high = ref Unsafe.Add(ref low, 8 * rowStride);
                ref float xk = ref Unsafe.Add(ref x, c);
                for (int step = 0; step < depth; step++)
                {
                    Vector512<float> v = Vector512.LoadUnsafe(ref xk);
                    s0 = SimdMath.FusedMultiplyAdd(Vector512.Create(low), v, s0);
                    s1 = SimdMath.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref low, r1)), v, s1);
                    s2 = SimdMath.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref low, r2)), v, s2);
                    s3 = SimdMath.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref low, r3)), v, s3);
                    s4 = SimdMath.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref low, r4)), v, s4);
                    s5 = SimdMath.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref low, r5)), v, s5);
                    s6 = SimdMath.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref low, r6)), v, s6);
                    s7 = SimdMath.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref low, r7)), v, s7);
                    s8 = SimdMath.FusedMultiplyAdd(Vector512.Create(high), v, s8);
                    s9 = SimdMath.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref high, r1)), v, s9);
                    s10 = SimdMath.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref high, r2)), v, s10);
                    s11 = SimdMath.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref high, r3)), v, s11);
                    s12 = SimdMath.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref high, r4)), v, s12);
                    s13 = SimdMath.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref high, r5)), v, s13);
                    s14 = SimdMath.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref high, r6)), v, s14);
                    s15 = SimdMath.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref high, r7)), v, s15);
                    low = ref Unsafe.Add(ref low, depthStride);
                    high = ref Unsafe.Add(ref high, depthStride);
                    xk = ref Unsafe.Add(ref xk, block);
                }

                ref float yr = ref Unsafe.Add(ref y, (r * block) + c);
                nuint b = (nuint)block;
                s0.StoreUnsafe(ref yr);
                s1.StoreUnsafe(ref yr, b);
                s2.StoreUnsafe(ref yr, 2 * b);
                s3.StoreUnsafe(ref yr, 3 * b);
                s4.StoreUnsafe(ref yr, 4 * b);
                s5.StoreUnsafe(ref yr, 5 * b);
                s6.StoreUnsafe(ref yr, 6 * b);
                s7.StoreUnsafe(ref yr, 7 * b);
                s8.StoreUnsafe(ref yr, 8 * b);
                s9.StoreUnsafe(ref yr, 9 * b);
                s10.StoreUnsafe(ref yr, 10 * b);
                s11.StoreUnsafe(ref yr, 11 * b);
                s12.StoreUnsafe(ref yr, 12 * b);
                s13.StoreUnsafe(ref yr, 13 * b);
                s14.StoreUnsafe(ref yr, 14 * b);
                s15.StoreUnsafe(ref yr, 15 * b);
            }
        }

        return r;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector Start<TOps, TVector>(ref float bias, int row, bool hasBias)
        where TOps : IFloatVectorOps<TVector>
        where TVector : struct
        => hasBias ? TOps.Create(Unsafe.Add(ref bias, row)) : TOps.Zero;
#else
    /// <summary>
    /// <c>Y[r, s] = bias[r] + Σₖ A[r, k] X[k, s]</c> for <paramref name="rows"/> rows, where <c>A[r, k]</c> is
    /// <c>a[r · rowStride + k · depthStride]</c> (<c>W</c> or <c>Wᵀ</c>) and <c>X</c>, <c>Y</c> are feature-major over
    /// <paramref name="block"/> samples: each output its bias (or zero) plus the products in order, as the .NET 8 build's
    /// scalar path sums them.
    /// </summary>
    private static void Product(ReadOnlySpan<float> a, int rowStride, int depthStride, int rows, int depth, ReadOnlySpan<float> x, Span<float> y, int block, ReadOnlySpan<float> bias, bool hasBias)
    {
        for (int r = 0; r < rows; r++)
        {
            Span<float> yr = y.Slice(r * block, block);
            float start = hasBias ? bias[r] : 0f;
            for (int c = 0; c < block; c++)
            {
                float sum = start;
                int k = r * rowStride;
                for (int step = 0; step < depth; step++, k += depthStride)
                {
                    sum = SimdMath.FusedMultiplyAdd(a[k], x[(step * block) + c], sum);
                }

                yr[c] = sum;
            }
        }
    }
#endif

    /// <summary>The samples a block holds; throws unless <paramref name="samples"/> and <paramref name="block"/> are whole samples and the block holds them all.</summary>
    private static int CheckBlock(int samples, int features, int block, string paramName)
    {
        if (features < 1 || samples % features != 0 || block % features != 0 || samples > block)
        {
            throw new ArgumentException(
                $"'{paramName}': {samples} values of samples and a block of {block} values must be whole samples of {features} features, the block holding them all.",
                paramName);
        }

        return block / features;
    }

    /// <summary>The columns of <c>W</c>; throws unless the spans hold <c>W</c> and two blocks of <paramref name="block"/> samples.</summary>
    private static int CheckProduct(ReadOnlySpan<float> weights, int units, int inputValues, int outputValues, int block)
    {
        int columns = block > 0 ? inputValues / block : 0;
        if (block < 1 || units < 1 || inputValues != columns * block || outputValues != units * block || weights.Length != units * columns)
        {
            throw new ArgumentException(
                $"'{nameof(weights)}' ({weights.Length} values) must be {units} × {columns}, over blocks of {block} samples ({inputValues} input and {outputValues} output values).",
                nameof(weights));
        }

        return columns;
    }
}
