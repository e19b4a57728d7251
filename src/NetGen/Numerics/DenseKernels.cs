using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
#if NET8_0_OR_GREATER
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
#endif
using static NetGen.Numerics.SimdMath;

namespace NetGen.Numerics;

/// <summary>
/// The three products a dense layer needs, over row-major <c>[units, inputs]</c> weights, vectorised with
/// <see cref="Vector{T}"/> (fused multiply-add on .NET 9 and later). Generated code calls them for layers too large
/// to unroll. The forward product takes rows eight at a time (the transposed one four at a time), so that each load
/// of the input serves several rows and independent accumulator chains hide the multiply-add latency.
/// </summary>
public static class DenseKernels
{
    /// <summary>Forward product: <c>z = W x + b</c>.</summary>
    /// <param name="weights"><c>W</c>, <c>z.Length × x.Length</c> values, row-major.</param>
    /// <param name="bias"><c>b</c>, <c>z.Length</c> values.</param>
    /// <param name="input"><c>x</c>.</param>
    /// <param name="output">Receives <c>z</c>.</param>
    public static void MultiplyAdd(ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, ReadOnlySpan<float> input, Span<float> output)
    {
        CheckShapes(weights, output.Length, input.Length, nameof(weights));
        Guard.SameLength(output, bias, nameof(bias));
        int inputs = input.Length;
        int units = output.Length;
#if NET8_0_OR_GREATER
        ref float w = ref MemoryMarshal.GetReference(weights);
        ref float x = ref MemoryMarshal.GetReference(input);
        ref float b = ref MemoryMarshal.GetReference(bias);
        ref float z = ref MemoryMarshal.GetReference(output);

        // Rows of a multiple of 8 floats all start at the same offset from a 32-byte boundary.
        int head = AlignedRowHead(ref w, inputs);
        int j = 0;
        for (; j <= units - 8; j += 8)
        {
            if (head != 0)
            {
                Dot8Rotated(ref Unsafe.Add(ref w, j * inputs), ref x, inputs, ref Unsafe.Add(ref z, j), head);
            }
            else
            {
                Dot8(ref Unsafe.Add(ref w, j * inputs), ref x, inputs, ref Unsafe.Add(ref z, j));
            }

            for (int k = j; k < j + 8; k++)
            {
                Unsafe.Add(ref z, k) += Unsafe.Add(ref b, k);
            }
        }

        for (; j < units; j++)
        {
            Unsafe.Add(ref z, j) = Unsafe.Add(ref b, j) + Dot(ref Unsafe.Add(ref w, j * inputs), ref x, inputs);
        }
#else
        // Four rows a pass, each input read once for the four: on Mono (whose JIT neither inlines Dot here nor keeps
        // more than one add chain per sum) a 96 x 32 product took 5.9 us row by row through Dot and 3.0 us so.
        int j = 0;
        for (; j <= units - 4; j += 4)
        {
            ReadOnlySpan<float> row0 = weights.Slice(j * inputs, inputs), row1 = weights.Slice((j + 1) * inputs, inputs);
            ReadOnlySpan<float> row2 = weights.Slice((j + 2) * inputs, inputs), row3 = weights.Slice((j + 3) * inputs, inputs);
            float sum0 = 0f, sum1 = 0f, sum2 = 0f, sum3 = 0f;
            for (int i = 0; i < inputs; i++)
            {
                float x = input[i];
                sum0 += row0[i] * x;
                sum1 += row1[i] * x;
                sum2 += row2[i] * x;
                sum3 += row3[i] * x;
            }

            output[j] = bias[j] + sum0;
            output[j + 1] = bias[j + 1] + sum1;
            output[j + 2] = bias[j + 2] + sum2;
            output[j + 3] = bias[j + 3] + sum3;
        }

        for (; j < units; j++)
        {
            output[j] = bias[j] + Dot(weights.Slice(j * inputs, inputs), input);
        }
#endif
    }

    /// <summary>
    /// Forward product <c>z = W x + b</c> sixteen rows at a time with <c>Vector512</c> (AVX-512): each row's
    /// products summed lane-wise in one register (sixteen registers, one per row, all fed by the same load of the input),
    /// then the sixteen registers reduced together by a transposing tree of four shuffle-and-add stages into one vector
    /// of the sixteen sums: about three reduction instructions a row where one horizontal sum per four rows takes seven.
    /// For a recurrent layer's recurrent product (<c>W_hh h</c>, a hidden state of a multiple of 16 units), whose
    /// horizontal sums were most of its instructions. Rows and inputs must be multiples of 16 and AVX-512 accelerated;
    /// otherwise this is <see cref="MultiplyAdd"/> (whose sums are ordered differently). Each row's sum depends only on
    /// its own weights and the input, not on where it lies or which rows are computed with it.
    /// </summary>
    /// <param name="weights"><c>W</c>, <c>z.Length × x.Length</c> values, row-major.</param>
    /// <param name="bias"><c>b</c>, <c>z.Length</c> values.</param>
    /// <param name="input"><c>x</c>.</param>
    /// <param name="output">Receives <c>z</c>.</param>
    public static void MultiplyAddRowBlocks(ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, ReadOnlySpan<float> input, Span<float> output)
        => MultiplyAddRowBlocks(weights, bias, input, output, backwards: false);

    /// <summary>
    /// <see cref="MultiplyAddRowBlocks(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float})"/> with
    /// the blocks of rows taken last first when <paramref name="backwards"/>: the same results to the bit (each row's sum
    /// is its own), in the opposite order through the weights. A recurrent layer alternates it from one step to the next,
    /// so that each step starts on the rows the previous one ended with, still in the L1 cache when the weights do not all
    /// fit (an LSTM(64)'s <c>W_hh</c> is 64 KB).
    /// </summary>
    /// <param name="weights"><c>W</c>, <c>z.Length × x.Length</c> values, row-major.</param>
    /// <param name="bias"><c>b</c>, <c>z.Length</c> values.</param>
    /// <param name="input"><c>x</c>.</param>
    /// <param name="output">Receives <c>z</c>.</param>
    /// <param name="backwards">Whether to take the blocks of rows last first.</param>
    public static void MultiplyAddRowBlocks(ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, ReadOnlySpan<float> input, Span<float> output, bool backwards)
    {
#if NET8_0_OR_GREATER
        CheckShapes(weights, output.Length, input.Length, nameof(weights));
        Guard.SameLength(output, bias, nameof(bias));
        int inputs = input.Length;
        int units = output.Length;
        if (!Vector512.IsHardwareAccelerated || !Avx512F.IsSupported || inputs % 16 != 0 || units % 16 != 0 || inputs == 0)
        {
            MultiplyAdd(weights, bias, input, output);
            return;
        }

        ref float w = ref MemoryMarshal.GetReference(weights);
        ref float x = ref MemoryMarshal.GetReference(input);
        ref float b = ref MemoryMarshal.GetReference(bias);
        ref float z = ref MemoryMarshal.GetReference(output);
        nint stride = inputs;
        int step = backwards ? -16 : 16;
        for (int block = backwards ? units - 16 : 0; (uint)block < (uint)units; block += step)
        {
            // The register at position 4m + k holds row 4k + m of the block: the reduction's last stage leaves position
            // 4m + k's sum in lane 4k + m, so the sums come out in row order.
            ref float row = ref Unsafe.Add(ref w, (nint)block * stride);
            ref float r0 = ref row, r4 = ref Unsafe.Add(ref row, 4 * stride), r8 = ref Unsafe.Add(ref row, 8 * stride), r12 = ref Unsafe.Add(ref row, 12 * stride);
            Vector512<float> xk = Vector512.LoadUnsafe(ref x);
            Vector512<float> a0 = Vector512.LoadUnsafe(ref r0) * xk;
            Vector512<float> a1 = Vector512.LoadUnsafe(ref r4) * xk;
            Vector512<float> a2 = Vector512.LoadUnsafe(ref r8) * xk;
            Vector512<float> a3 = Vector512.LoadUnsafe(ref r12) * xk;
            Vector512<float> a4 = Vector512.LoadUnsafe(ref r0, (nuint)stride) * xk;
            Vector512<float> a5 = Vector512.LoadUnsafe(ref r4, (nuint)stride) * xk;
            Vector512<float> a6 = Vector512.LoadUnsafe(ref r8, (nuint)stride) * xk;
            Vector512<float> a7 = Vector512.LoadUnsafe(ref r12, (nuint)stride) * xk;
            Vector512<float> a8 = Vector512.LoadUnsafe(ref r0, (nuint)(2 * stride)) * xk;
            Vector512<float> a9 = Vector512.LoadUnsafe(ref r4, (nuint)(2 * stride)) * xk;
            Vector512<float> a10 = Vector512.LoadUnsafe(ref r8, (nuint)(2 * stride)) * xk;
            Vector512<float> a11 = Vector512.LoadUnsafe(ref r12, (nuint)(2 * stride)) * xk;
            Vector512<float> a12 = Vector512.LoadUnsafe(ref r0, (nuint)(3 * stride)) * xk;
            Vector512<float> a13 = Vector512.LoadUnsafe(ref r4, (nuint)(3 * stride)) * xk;
            Vector512<float> a14 = Vector512.LoadUnsafe(ref r8, (nuint)(3 * stride)) * xk;
            Vector512<float> a15 = Vector512.LoadUnsafe(ref r12, (nuint)(3 * stride)) * xk;
            for (nint k = 16; k < stride; k += 16)
            {
                xk = Vector512.LoadUnsafe(ref x, (nuint)k);
                a0 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref r0, (nuint)k), xk, a0);
                a1 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref r4, (nuint)k), xk, a1);
                a2 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref r8, (nuint)k), xk, a2);
                a3 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref r12, (nuint)k), xk, a3);
                a4 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref r0, (nuint)(stride + k)), xk, a4);
                a5 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref r4, (nuint)(stride + k)), xk, a5);
                a6 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref r8, (nuint)(stride + k)), xk, a6);
                a7 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref r12, (nuint)(stride + k)), xk, a7);
                a8 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref r0, (nuint)((2 * stride) + k)), xk, a8);
                a9 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref r4, (nuint)((2 * stride) + k)), xk, a9);
                a10 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref r8, (nuint)((2 * stride) + k)), xk, a10);
                a11 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref r12, (nuint)((2 * stride) + k)), xk, a11);
                a12 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref r0, (nuint)((3 * stride) + k)), xk, a12);
                a13 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref r4, (nuint)((3 * stride) + k)), xk, a13);
                a14 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref r8, (nuint)((3 * stride) + k)), xk, a14);
                a15 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref r12, (nuint)((3 * stride) + k)), xk, a15);
            }

            // Stage 1: pairs of registers -> halves (each 256-bit half holds one register's 8 partial sums).
            Vector512<float> h0 = Halves(a0, a1), h1 = Halves(a2, a3), h2 = Halves(a4, a5), h3 = Halves(a6, a7);
            Vector512<float> h4 = Halves(a8, a9), h5 = Halves(a10, a11), h6 = Halves(a12, a13), h7 = Halves(a14, a15);

            // Stage 2: pairs of halves -> quarters (each 128-bit lane holds one register's 4 partial sums).
            Vector512<float> q0 = Quarters(h0, h1), q1 = Quarters(h2, h3), q2 = Quarters(h4, h5), q3 = Quarters(h6, h7);

            // Stages 3 and 4, within 128-bit lanes: pairs of floats, then single floats.
            Vector512<float> p0 = Avx512F.UnpackLow(q0, q1) + Avx512F.UnpackHigh(q0, q1);
            Vector512<float> p1 = Avx512F.UnpackLow(q2, q3) + Avx512F.UnpackHigh(q2, q3);
            Vector512<float> sums = Avx512F.UnpackLow(p0.AsDouble(), p1.AsDouble()).AsSingle() + Avx512F.UnpackHigh(p0.AsDouble(), p1.AsDouble()).AsSingle();
            (sums + Vector512.LoadUnsafe(ref b, (nuint)block)).StoreUnsafe(ref z, (nuint)block);
        }

        // [a0, a1, a2, a3] and [b0, b1, b2, b3] (128-bit lanes) -> [a0 + a2, a1 + a3, b0 + b2, b1 + b3].
        static Vector512<float> Halves(Vector512<float> a, Vector512<float> b)
            => Avx512F.Shuffle4x128(a, b, 0b01_00_01_00) + Avx512F.Shuffle4x128(a, b, 0b11_10_11_10);

        // [a, a', b, b'] and [c, c', d, d'] (halves of two registers each) -> [a + a', b + b', c + c', d + d'].
        static Vector512<float> Quarters(Vector512<float> ab, Vector512<float> cd)
            => Avx512F.Shuffle4x128(ab, cd, 0b10_00_10_00) + Avx512F.Shuffle4x128(ab, cd, 0b11_01_11_01);
#else
        MultiplyAdd(weights, bias, input, output);
#endif
    }

    /// <summary>Input gradient: <c>dx = Wᵀ delta</c> (overwrites <paramref name="inputGradient"/>).</summary>
    /// <param name="weights"><c>W</c>, <c>delta.Length × dx.Length</c> values, row-major.</param>
    /// <param name="delta">The gradient with respect to the layer's pre-activations.</param>
    /// <param name="inputGradient">Receives the gradient with respect to the layer's inputs.</param>
    public static void MultiplyTransposed(ReadOnlySpan<float> weights, ReadOnlySpan<float> delta, Span<float> inputGradient)
    {
        inputGradient.Clear();
        MultiplyTransposedAdd(weights, delta, inputGradient);
    }

    /// <summary>Input gradient, accumulated: <c>dx += Wᵀ delta</c> (a recurrent layer adds it to the direct part of its hidden state's gradient).</summary>
    /// <param name="weights"><c>W</c>, <c>delta.Length × dx.Length</c> values, row-major.</param>
    /// <param name="delta">The gradient with respect to the product's outputs.</param>
    /// <param name="inputGradient">The gradient with respect to the product's inputs, added to.</param>
    public static void MultiplyTransposedAdd(ReadOnlySpan<float> weights, ReadOnlySpan<float> delta, Span<float> inputGradient)
        => MultiplyTransposedAdd(weights, delta, inputGradient, backwards: false);

    /// <summary>
    /// <c>dx += Wᵀ delta</c>, reading the rows of <c>W</c> last first when <paramref name="backwards"/> (for inputs narrow
    /// enough to keep in registers; the sums then run in the opposite order, so the result may differ in the last bit).
    /// Backpropagation through time alternates it from one step to the next, so that each step starts on the rows the
    /// step before ended with, still in the L1 cache when the weights do not all fit (an LSTM(64)'s 64 KB <c>W_hh</c>).
    /// </summary>
    /// <param name="weights"><c>W</c>, <c>delta.Length × dx.Length</c> values, row-major.</param>
    /// <param name="delta">The gradient with respect to the product's outputs.</param>
    /// <param name="inputGradient">The gradient with respect to the product's inputs, added to.</param>
    /// <param name="backwards">Whether to read the rows last first.</param>
    public static void MultiplyTransposedAdd(ReadOnlySpan<float> weights, ReadOnlySpan<float> delta, Span<float> inputGradient, bool backwards)
    {
        CheckShapes(weights, delta.Length, inputGradient.Length, nameof(weights));
        int inputs = inputGradient.Length;
        int units = delta.Length;
#if NET8_0_OR_GREATER
        ref float w = ref MemoryMarshal.GetReference(weights);
        ref float d = ref MemoryMarshal.GetReference(delta);
        ref float dx = ref MemoryMarshal.GetReference(inputGradient);

        // Narrow inputs (a recurrent layer's hidden state, backpropagated once a step): the gradient stays in registers
        // while every row adds to it, in four partial sums so that four rows' multiply-adds are in flight at once.
        if (Vector512.IsHardwareAccelerated && inputs >= Float512.Count && inputs <= MaxRegisterInputs * Float512.Count)
        {
            MultiplyTransposedAddInRegisters<Float512, Vector512<float>>(ref w, ref d, ref dx, units, inputs, backwards);
            return;
        }

        if (Vector.IsHardwareAccelerated && inputs >= FloatVector.Count && inputs <= MaxRegisterInputs * FloatVector.Count)
        {
            MultiplyTransposedAddInRegisters<FloatVector, Vector<float>>(ref w, ref d, ref dx, units, inputs, backwards);
            return;
        }

        int j = 0;
        for (; j <= units - 4; j += 4)
        {
            ref float row = ref Unsafe.Add(ref w, j * inputs);
            float d0 = Unsafe.Add(ref d, j), d1 = Unsafe.Add(ref d, j + 1), d2 = Unsafe.Add(ref d, j + 2), d3 = Unsafe.Add(ref d, j + 3);
            ref float row1 = ref Unsafe.Add(ref row, inputs);
            ref float row2 = ref Unsafe.Add(ref row, 2 * inputs);
            ref float row3 = ref Unsafe.Add(ref row, 3 * inputs);
            int i = 0;
            if (Vector.IsHardwareAccelerated)
            {
                Vector<float> v0 = new(d0), v1 = new(d1), v2 = new(d2), v3 = new(d3);
                for (; i <= inputs - Vector<float>.Count; i += Vector<float>.Count)
                {
                    Vector<float> sum = FusedMultiplyAdd(Load(ref row, i), v0, Load(ref dx, i));
                    sum = FusedMultiplyAdd(Load(ref row1, i), v1, sum);
                    sum = FusedMultiplyAdd(Load(ref row2, i), v2, sum);
                    Store(FusedMultiplyAdd(Load(ref row3, i), v3, sum), ref dx, i);
                }
            }

            for (; i < inputs; i++)
            {
                Unsafe.Add(ref dx, i) += (Unsafe.Add(ref row, i) * d0) + (Unsafe.Add(ref row1, i) * d1) + (Unsafe.Add(ref row2, i) * d2) + (Unsafe.Add(ref row3, i) * d3);
            }
        }

        for (; j < units; j++)
        {
            MultiplyAddTo(Unsafe.Add(ref d, j), weights.Slice(j * inputs, inputs), inputGradient);
        }
#else
        int j = 0;
        for (; j <= units - 4; j += 4)
        {
            ReadOnlySpan<float> row = weights.Slice(j * inputs, inputs), row1 = weights.Slice((j + 1) * inputs, inputs);
            ReadOnlySpan<float> row2 = weights.Slice((j + 2) * inputs, inputs), row3 = weights.Slice((j + 3) * inputs, inputs);
            float d0 = delta[j], d1 = delta[j + 1], d2 = delta[j + 2], d3 = delta[j + 3];
            for (int i = 0; i < inputs; i++)
            {
                inputGradient[i] += (row[i] * d0) + (row1[i] * d1) + (row2[i] * d2) + (row3[i] * d3);
            }
        }

        for (; j < units; j++)
        {
            MultiplyAddTo(delta[j], weights.Slice(j * inputs, inputs), inputGradient);
        }
#endif
    }

#if NET8_0_OR_GREATER
    /// <summary>
    /// The widest input, in vectors, that <see cref="MultiplyTransposedAdd(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, bool)"/> keeps in registers (in blocks of two
    /// vectors, each a pass over all rows); wider ones stream the rows past a gradient in memory.
    /// </summary>
    private const int MaxRegisterInputs = 8;

    /// <summary>
    /// <c>dx += Wᵀ d</c> for inputs of 1 to <see cref="MaxRegisterInputs"/> vectors: per block of two vectors of
    /// <c>dx</c> (one if the input is narrower), one pass over the rows with four partial sums (rows 4k, 4k + 1, ...),
    /// added together and to <c>dx</c> at the end. A last block that would run past the input is moved back to end with
    /// it, and adds only the lanes the block before did not.
    /// </summary>
    private static void MultiplyTransposedAddInRegisters<TOps, TVector>(ref float w, ref float d, ref float dx, int units, int inputs, bool backwards)
        where TOps : struct, IFloatVectorOps<TVector>
        where TVector : struct
    {
        int width = TOps.Count;
        int block = inputs >= 2 * width ? 2 * width : width;
        int blocks = inputs <= block ? 1 : inputs <= 2 * block ? 2 : (inputs + block - 1) / block;

        // Backwards: the blocks last first, and in each the rows last first (row k of the pass is row units - 1 - k).
        nint rowStride = backwards ? -(nint)inputs : inputs;
        nint deltaStride = backwards ? -1 : 1;
        ref float firstRow = ref Unsafe.Add(ref w, backwards ? (nint)(units - 1) * inputs : 0);
        ref float firstDelta = ref Unsafe.Add(ref d, backwards ? units - 1 : 0);
        for (int b = 0; b < blocks; b++)
        {
            int next = (backwards ? blocks - 1 - b : b) * block;
            int start = Math.Min(next, inputs - block);
            int skip = next - start;
            ref float column = ref Unsafe.Add(ref firstRow, start);
            TVector a0 = TOps.Zero, a1 = TOps.Zero, b0 = TOps.Zero, b1 = TOps.Zero;
            TVector c0 = TOps.Zero, c1 = TOps.Zero, e0 = TOps.Zero, e1 = TOps.Zero;
            int k = 0;
            if (block == 2 * width)
            {
                for (; k <= units - 4; k += 4)
                {
                    ref float row = ref Unsafe.Add(ref column, k * rowStride);
                    ref float dk = ref Unsafe.Add(ref firstDelta, k * deltaStride);
                    TVector s = TOps.Create(dk);
                    a0 = TOps.MultiplyAdd(s, TOps.Load(ref row, 0), a0);
                    a1 = TOps.MultiplyAdd(s, TOps.Load(ref row, width), a1);
                    row = ref Unsafe.Add(ref row, rowStride);
                    s = TOps.Create(Unsafe.Add(ref dk, deltaStride));
                    b0 = TOps.MultiplyAdd(s, TOps.Load(ref row, 0), b0);
                    b1 = TOps.MultiplyAdd(s, TOps.Load(ref row, width), b1);
                    row = ref Unsafe.Add(ref row, rowStride);
                    s = TOps.Create(Unsafe.Add(ref dk, 2 * deltaStride));
                    c0 = TOps.MultiplyAdd(s, TOps.Load(ref row, 0), c0);
                    c1 = TOps.MultiplyAdd(s, TOps.Load(ref row, width), c1);
                    row = ref Unsafe.Add(ref row, rowStride);
                    s = TOps.Create(Unsafe.Add(ref dk, 3 * deltaStride));
                    e0 = TOps.MultiplyAdd(s, TOps.Load(ref row, 0), e0);
                    e1 = TOps.MultiplyAdd(s, TOps.Load(ref row, width), e1);
                }

                for (; k < units; k++)
                {
                    ref float row = ref Unsafe.Add(ref column, k * rowStride);
                    TVector s = TOps.Create(Unsafe.Add(ref firstDelta, k * deltaStride));
                    a0 = TOps.MultiplyAdd(s, TOps.Load(ref row, 0), a0);
                    a1 = TOps.MultiplyAdd(s, TOps.Load(ref row, width), a1);
                }

                ref float target = ref Unsafe.Add(ref dx, start);
                TVector sum0 = TOps.Add(TOps.Add(a0, b0), TOps.Add(c0, e0));
                TVector sum1 = TOps.Add(TOps.Add(a1, b1), TOps.Add(c1, e1));
                TOps.Store(TOps.Add(TOps.Load(ref target, 0), TOps.From(sum0, skip)), ref target, 0);
                TOps.Store(TOps.Add(TOps.Load(ref target, width), TOps.From(sum1, skip - width)), ref target, width);
            }
            else
            {
                for (; k <= units - 4; k += 4)
                {
                    ref float row = ref Unsafe.Add(ref column, k * rowStride);
                    ref float dk = ref Unsafe.Add(ref firstDelta, k * deltaStride);
                    a0 = TOps.MultiplyAdd(TOps.Create(dk), TOps.Load(ref row, 0), a0);
                    b0 = TOps.MultiplyAdd(TOps.Create(Unsafe.Add(ref dk, deltaStride)), TOps.Load(ref row, rowStride), b0);
                    c0 = TOps.MultiplyAdd(TOps.Create(Unsafe.Add(ref dk, 2 * deltaStride)), TOps.Load(ref row, 2 * rowStride), c0);
                    e0 = TOps.MultiplyAdd(TOps.Create(Unsafe.Add(ref dk, 3 * deltaStride)), TOps.Load(ref row, 3 * rowStride), e0);
                }

                for (; k < units; k++)
                {
                    a0 = TOps.MultiplyAdd(TOps.Create(Unsafe.Add(ref firstDelta, k * deltaStride)), TOps.Load(ref column, k * rowStride), a0);
                }

                ref float target = ref Unsafe.Add(ref dx, start);
                TVector sum0 = TOps.Add(TOps.Add(a0, b0), TOps.Add(c0, e0));
                TOps.Store(TOps.Add(TOps.Load(ref target, 0), TOps.From(sum0, skip)), ref target, 0);
            }
        }
    }
#endif

    /// <summary>Weight and bias gradients: <c>gW += delta xᵀ</c>, <c>gb += delta</c>.</summary>
    /// <param name="weightGradient"><c>gW</c>, <c>delta.Length × x.Length</c> values, row-major.</param>
    /// <param name="biasGradient"><c>gb</c>, <c>delta.Length</c> values.</param>
    /// <param name="delta">The gradient with respect to the layer's pre-activations.</param>
    /// <param name="input">The layer's input <c>x</c>.</param>
    public static void AccumulateOuterProduct(Span<float> weightGradient, Span<float> biasGradient, ReadOnlySpan<float> delta, ReadOnlySpan<float> input)
    {
        CheckShapes(weightGradient, delta.Length, input.Length, nameof(weightGradient));
        Guard.SameLength(delta, biasGradient, nameof(biasGradient));
        int inputs = input.Length;
        for (int j = 0; j < delta.Length; j++)
        {
            float d = delta[j];
            biasGradient[j] += d;
            MultiplyAddTo(d, input, weightGradient.Slice(j * inputs, inputs));
        }
    }

    /// <summary>
    /// Weight and bias gradients summed over <paramref name="count"/> samples (a recurrent layer's steps):
    /// <c>gW += Σₜ deltaₜ xₜᵀ</c>, <c>gb += Σₜ deltaₜ</c>. Four rows of <c>gW</c> and one vector of its columns stay in
    /// registers while the samples stream past, so each load of an input serves four rows and each row of <c>gW</c> is
    /// read and written once, not once per sample.
    /// </summary>
    /// <param name="weightGradient"><c>gW</c>, <c>units × inputs</c> values, row-major.</param>
    /// <param name="biasGradient"><c>gb</c>, <c>units</c> values.</param>
    /// <param name="deltas">The samples' deltas, <c>count × units</c> values, one sample after another.</param>
    /// <param name="inputs">The samples' inputs, <c>count × inputs</c> values, one sample after another.</param>
    /// <param name="count">The number of samples.</param>
    public static void AccumulateOuterProducts(Span<float> weightGradient, Span<float> biasGradient, ReadOnlySpan<float> deltas, ReadOnlySpan<float> inputs, int count)
    {
        int units = biasGradient.Length;
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (units == 0 || weightGradient.Length % units != 0 || deltas.Length != count * units || inputs.Length != count * (weightGradient.Length / units))
        {
            throw new ArgumentException(
                $"'{nameof(deltas)}' ({deltas.Length} values) and '{nameof(inputs)}' ({inputs.Length}) must hold {count} samples of the {units} units and {(units == 0 ? 0 : weightGradient.Length / units)} inputs of '{nameof(weightGradient)}' ({weightGradient.Length} values).",
                nameof(deltas));
        }

        int columns = weightGradient.Length / units;
#if NET8_0_OR_GREATER
        ref float gw = ref MemoryMarshal.GetReference(weightGradient);
        ref float d = ref MemoryMarshal.GetReference(deltas);
        ref float x = ref MemoryMarshal.GetReference(inputs);
        ref float gb = ref MemoryMarshal.GetReference(biasGradient);
        int unit = 0;
        if (Vector.IsHardwareAccelerated)
        {
            // The same sums as below (each over the samples in order, from zero), a vector of units at a time, four
            // vectors side by side so that four chains of additions are in flight.
            int width = Vector<float>.Count;
            for (; unit <= units - (4 * width); unit += 4 * width)
            {
                Vector<float> s0 = Vector<float>.Zero, s1 = Vector<float>.Zero, s2 = Vector<float>.Zero, s3 = Vector<float>.Zero;
                ref float column = ref Unsafe.Add(ref d, unit);
                for (int t = 0; t < count; t++)
                {
                    s0 += Load(ref column, 0);
                    s1 += Load(ref column, width);
                    s2 += Load(ref column, 2 * width);
                    s3 += Load(ref column, 3 * width);
                    column = ref Unsafe.Add(ref column, units);
                }

                Store(Load(ref gb, unit) + s0, ref gb, unit);
                Store(Load(ref gb, unit + width) + s1, ref gb, unit + width);
                Store(Load(ref gb, unit + (2 * width)) + s2, ref gb, unit + (2 * width));
                Store(Load(ref gb, unit + (3 * width)) + s3, ref gb, unit + (3 * width));
            }

            for (; unit <= units - width; unit += width)
            {
                Vector<float> sum = Vector<float>.Zero;
                for (int t = 0; t < count; t++)
                {
                    sum += Load(ref d, (t * units) + unit);
                }

                Store(Load(ref gb, unit) + sum, ref gb, unit);
            }
        }

        for (; unit < units; unit++)
        {
            float sum = 0f;
            for (int t = 0; t < count; t++)
            {
                sum += Unsafe.Add(ref d, (t * units) + unit);
            }

            Unsafe.Add(ref gb, unit) += sum;
        }

        if (count == 0)
        {
            return;
        }

        if (Vector512.IsHardwareAccelerated && TryAccumulateOuterProducts<Float512, Vector512<float>>(ref gw, units, columns, ref d, ref x, count))
        {
            return;
        }

        if (Vector.IsHardwareAccelerated && TryAccumulateOuterProducts<FloatVector, Vector<float>>(ref gw, units, columns, ref d, ref x, count))
        {
            return;
        }

        // Each weight's sum over the samples in order, from zero, then added: the same arithmetic as the vector tiles.
        for (int j = 0; j < units; j++)
        {
            for (int i = 0; i < columns; i++)
            {
                float sum = 0f;
                for (int t = 0; t < count; t++)
                {
                    sum = FusedMultiplyAdd(Unsafe.Add(ref d, (t * units) + j), Unsafe.Add(ref x, (t * columns) + i), sum);
                }

                Unsafe.Add(ref gw, (j * columns) + i) += sum;
            }
        }
#else
        for (int unit = 0; unit < units; unit++)
        {
            float sum = 0f;
            for (int t = 0; t < count; t++)
            {
                sum += deltas[(t * units) + unit];
            }

            biasGradient[unit] += sum;
        }

        // Each weight's sum over the samples in order, from zero, then added (the .NET 8 build's scalar path).
        for (int j = 0; j < units; j++)
        {
            for (int i = 0; i < columns; i++)
            {
                float sum = 0f;
                for (int t = 0; t < count; t++)
                {
                    sum = FusedMultiplyAdd(deltas[(t * units) + j], inputs[(t * columns) + i], sum);
                }

                weightGradient[(j * columns) + i] += sum;
            }
        }
#endif
    }

#if NET8_0_OR_GREATER
    /// <summary>
    /// The most floats of transposed weight gradients that <see cref="AccumulateOuterProducts"/> sums on the stack
    /// (16 KB), for weights whose rows fill no whole vector (a recurrent layer's input weights: 6 or 13 inputs a step).
    /// </summary>
    private const int MaxTransposedGradientFloats = 4096;

    /// <summary>
    /// <see cref="AccumulateOuterProducts"/> in tiles of four rows by two vectors of <typeparamref name="TVector"/> (through <typeparamref name="TOps"/>)
    /// (<see cref="OuterProductTiles"/>): over the rows of <c>gW</c> when they are a whole number of vectors long, else,
    /// when the units fill vectors instead, over the rows of <c>gWᵀ</c> in a scratch block added back transposed. Each
    /// weight gets the same sum either way: over the samples in order, from zero, then added to <c>gW</c>. Returns false
    /// (nothing done) for shapes too small for either.
    /// </summary>
    private static bool TryAccumulateOuterProducts<TOps, TVector>(ref float gw, int units, int columns, ref float d, ref float x, int count)
        where TOps : struct, IFloatVectorOps<TVector>
        where TVector : struct
    {
        int width = TOps.Count;
        bool rowsFit = columns >= 2 * width && units >= 4;
        bool transposedFits = units >= 2 * width && columns >= 4 && units * columns <= MaxTransposedGradientFloats;
        if (rowsFit && (columns % width == 0 || !transposedFits))
        {
            OuterProductTiles<TOps, TVector>(ref gw, units, columns, ref d, units, ref x, columns, count);
            return true;
        }

        if (!transposedFits)
        {
            return false;
        }

        Span<float> transposed = stackalloc float[units * columns]; // zeroed (no SkipLocalsInit in this library)
        ref float gwt = ref MemoryMarshal.GetReference(transposed);
        OuterProductTiles<TOps, TVector>(ref gwt, columns, units, ref x, columns, ref d, units, count);
        for (int i = 0; i < columns; i++)
        {
            for (int j = 0; j < units; j++)
            {
                Unsafe.Add(ref gw, (j * columns) + i) += Unsafe.Add(ref gwt, (i * units) + j);
            }
        }

        return true;
    }

    /// <summary>
    /// <c>out[r, c] += Σₜ a[t, r] · b[t, c]</c> for <paramref name="rows"/> ≥ 4 and <paramref name="columns"/> ≥ two vectors:
    /// tiles of four rows by two vectors, eight accumulators in registers while the samples stream past (each load of
    /// <c>b</c> serves four rows, each broadcast of <c>a</c> two vectors, and eight independent multiply-add chains keep
    /// both FMA units busy). A last tile that would run past the rows or columns is moved back to end with them and adds
    /// only what the tiles before it did not.
    /// </summary>
    private static void OuterProductTiles<TOps, TVector>(ref float output, int rows, int columns, ref float a, int aStride, ref float b, int bStride, int count)
        where TOps : struct, IFloatVectorOps<TVector>
        where TVector : struct
    {
        int width = TOps.Count;
        for (int nextColumn = 0; nextColumn < columns; nextColumn += 2 * width)
        {
            int column = Math.Min(nextColumn, columns - (2 * width));
            int skip = nextColumn - column;
            for (int nextRow = 0; nextRow < rows; nextRow += 4)
            {
                int row = Math.Min(nextRow, rows - 4);
                ref float pa = ref Unsafe.Add(ref a, row);
                ref float pb = ref Unsafe.Add(ref b, column);
                TVector s00 = TOps.Zero, s01 = TOps.Zero, s10 = TOps.Zero, s11 = TOps.Zero;
                TVector s20 = TOps.Zero, s21 = TOps.Zero, s30 = TOps.Zero, s31 = TOps.Zero;
                for (int t = 0; t < count; t++)
                {
                    TVector b0 = TOps.Load(ref pb, 0), b1 = TOps.Load(ref pb, width);
                    TVector s = TOps.Create(pa);
                    s00 = TOps.MultiplyAdd(s, b0, s00);
                    s01 = TOps.MultiplyAdd(s, b1, s01);
                    s = TOps.Create(Unsafe.Add(ref pa, 1));
                    s10 = TOps.MultiplyAdd(s, b0, s10);
                    s11 = TOps.MultiplyAdd(s, b1, s11);
                    s = TOps.Create(Unsafe.Add(ref pa, 2));
                    s20 = TOps.MultiplyAdd(s, b0, s20);
                    s21 = TOps.MultiplyAdd(s, b1, s21);
                    s = TOps.Create(Unsafe.Add(ref pa, 3));
                    s30 = TOps.MultiplyAdd(s, b0, s30);
                    s31 = TOps.MultiplyAdd(s, b1, s31);
                    pa = ref Unsafe.Add(ref pa, aStride);
                    pb = ref Unsafe.Add(ref pb, bStride);
                }

                ref float target = ref Unsafe.Add(ref output, (row * columns) + column);
                if (row >= nextRow)
                {
                    AddTo(ref target, s00, s01, skip, width);
                }

                target = ref Unsafe.Add(ref target, columns);
                if (row + 1 >= nextRow)
                {
                    AddTo(ref target, s10, s11, skip, width);
                }

                target = ref Unsafe.Add(ref target, columns);
                if (row + 2 >= nextRow)
                {
                    AddTo(ref target, s20, s21, skip, width);
                }

                target = ref Unsafe.Add(ref target, columns);
                AddTo(ref target, s30, s31, skip, width);
            }
        }

        static void AddTo(ref float target, TVector first, TVector second, int skip, int width)
        {
            TOps.Store(TOps.Add(TOps.Load(ref target, 0), TOps.From(first, skip)), ref target, 0);
            TOps.Store(TOps.Add(TOps.Load(ref target, width), TOps.From(second, skip - width)), ref target, width);
        }
    }
#endif

    /// <summary>
    /// Forward product over transposed weights: <c>z = b + Σᵢ xᵢ · Wᵀ[i, :]</c>, a column of <c>W</c> at a time. For a
    /// product whose inputs are few or no multiple of a vector (a recurrent layer's 6 or 13 features a step), where a
    /// row of <c>W</c> fills no vector, this vectorises over the outputs instead: blocks of four vectors of <c>z</c> stay in
    /// registers while every input adds its column.
    /// </summary>
    /// <param name="transposedWeights"><c>Wᵀ</c>, <c>x.Length × z.Length</c> values, row-major (<see cref="Transpose"/>).</param>
    /// <param name="bias"><c>b</c>, <c>z.Length</c> values.</param>
    /// <param name="input"><c>x</c>.</param>
    /// <param name="output">Receives <c>z</c>.</param>
    public static void MultiplyAddColumns(ReadOnlySpan<float> transposedWeights, ReadOnlySpan<float> bias, ReadOnlySpan<float> input, Span<float> output)
    {
        CheckShapes(transposedWeights, input.Length, output.Length, nameof(transposedWeights));
        Guard.SameLength(output, bias, nameof(bias));
        int inputs = input.Length;
        int outputs = output.Length;
#if NET8_0_OR_GREATER
        ref float w = ref MemoryMarshal.GetReference(transposedWeights);
        ref float x = ref MemoryMarshal.GetReference(input);
        ref float b = ref MemoryMarshal.GetReference(bias);
        ref float z = ref MemoryMarshal.GetReference(output);
        int j = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            // The same sums 16 outputs a vector (AVX-512; Vector<float> is 256 bits there): each output's products in
            // the same order from its bias, so the same bits.
            for (; j <= outputs - 64; j += 64)
            {
                Vector512<float> a0 = Vector512.LoadUnsafe(ref b, (nuint)j), a1 = Vector512.LoadUnsafe(ref b, (nuint)j + 16);
                Vector512<float> a2 = Vector512.LoadUnsafe(ref b, (nuint)j + 32), a3 = Vector512.LoadUnsafe(ref b, (nuint)j + 48);
                for (int i = 0; i < inputs; i++)
                {
                    Vector512<float> xi = Vector512.Create(Unsafe.Add(ref x, i));
                    ref float column = ref Unsafe.Add(ref w, (i * outputs) + j);
                    a0 = FusedMultiplyAdd(Vector512.LoadUnsafe(ref column), xi, a0);
                    a1 = FusedMultiplyAdd(Vector512.LoadUnsafe(ref column, 16), xi, a1);
                    a2 = FusedMultiplyAdd(Vector512.LoadUnsafe(ref column, 32), xi, a2);
                    a3 = FusedMultiplyAdd(Vector512.LoadUnsafe(ref column, 48), xi, a3);
                }

                a0.StoreUnsafe(ref z, (nuint)j);
                a1.StoreUnsafe(ref z, (nuint)j + 16);
                a2.StoreUnsafe(ref z, (nuint)j + 32);
                a3.StoreUnsafe(ref z, (nuint)j + 48);
            }

            for (; j <= outputs - 16; j += 16)
            {
                Vector512<float> a = Vector512.LoadUnsafe(ref b, (nuint)j);
                for (int i = 0; i < inputs; i++)
                {
                    a = FusedMultiplyAdd(Vector512.LoadUnsafe(ref w, (nuint)((i * outputs) + j)), Vector512.Create(Unsafe.Add(ref x, i)), a);
                }

                a.StoreUnsafe(ref z, (nuint)j);
            }
        }

        if (Vector.IsHardwareAccelerated)
        {
            int width = Vector<float>.Count;
            for (; j <= outputs - (4 * width); j += 4 * width)
            {
                Vector<float> a0 = Load(ref b, j), a1 = Load(ref b, j + width), a2 = Load(ref b, j + (2 * width)), a3 = Load(ref b, j + (3 * width));
                for (int i = 0; i < inputs; i++)
                {
                    var xi = new Vector<float>(Unsafe.Add(ref x, i));
                    ref float column = ref Unsafe.Add(ref w, (i * outputs) + j);
                    a0 = FusedMultiplyAdd(Load(ref column, 0), xi, a0);
                    a1 = FusedMultiplyAdd(Load(ref column, width), xi, a1);
                    a2 = FusedMultiplyAdd(Load(ref column, 2 * width), xi, a2);
                    a3 = FusedMultiplyAdd(Load(ref column, 3 * width), xi, a3);
                }

                Store(a0, ref z, j);
                Store(a1, ref z, j + width);
                Store(a2, ref z, j + (2 * width));
                Store(a3, ref z, j + (3 * width));
            }

            for (; j <= outputs - width; j += width)
            {
                Vector<float> a = Load(ref b, j);
                for (int i = 0; i < inputs; i++)
                {
                    a = FusedMultiplyAdd(Load(ref w, (i * outputs) + j), new Vector<float>(Unsafe.Add(ref x, i)), a);
                }

                Store(a, ref z, j);
            }
        }

        for (; j < outputs; j++)
        {
            float sum = Unsafe.Add(ref b, j);
            for (int i = 0; i < inputs; i++)
            {
                sum = FusedMultiplyAdd(Unsafe.Add(ref w, (i * outputs) + j), Unsafe.Add(ref x, i), sum);
            }

            Unsafe.Add(ref z, j) = sum;
        }
#else
        for (int j = 0; j < outputs; j++)
        {
            float sum = bias[j];
            for (int i = 0; i < inputs; i++)
            {
                sum = FusedMultiplyAdd(transposedWeights[(i * outputs) + j], input[i], sum);
            }

            output[j] = sum;
        }
#endif
    }

    /// <summary>Writes the transpose of the row-major <c>[rows, columns]</c> <paramref name="matrix"/> to <paramref name="transposed"/> (<c>[columns, rows]</c>).</summary>
    /// <remarks>
    /// Recurrent layers transpose their weights once a call of <c>Forward</c>, <c>Step</c> or <c>Backward</c> (to run a
    /// product by columns, <see cref="MultiplyAddColumns"/>), so this is vectorised: blocks of 8 × 8 through AVX's
    /// unpack, shuffle and lane-permute instructions where eight rows and columns remain, element by element elsewhere.
    /// </remarks>
    /// <param name="matrix">The matrix, <paramref name="rows"/> × <paramref name="columns"/> values.</param>
    /// <param name="rows">Its rows.</param>
    /// <param name="columns">Its columns.</param>
    /// <param name="transposed">Receives the transpose.</param>
    public static void Transpose(ReadOnlySpan<float> matrix, int rows, int columns, Span<float> transposed)
    {
        CheckShapes(matrix, rows, columns, nameof(matrix));
        CheckShapes(transposed, columns, rows, nameof(transposed));
#if NET8_0_OR_GREATER
        ref float m = ref MemoryMarshal.GetReference(matrix);
        ref float t = ref MemoryMarshal.GetReference(transposed);
        int r = 0;
        if (Avx.IsSupported)
        {
            for (; r <= rows - 8; r += 8)
            {
                int c = 0;
                for (; c <= columns - 8; c += 8)
                {
                    Transpose8x8(ref Unsafe.Add(ref m, (r * columns) + c), columns, ref Unsafe.Add(ref t, (c * rows) + r), rows);
                }

                for (; c < columns; c++)
                {
                    ref float target = ref Unsafe.Add(ref t, (c * rows) + r);
                    ref float source = ref Unsafe.Add(ref m, (r * columns) + c);
                    for (int k = 0; k < 8; k++)
                    {
                        Unsafe.Add(ref target, k) = Unsafe.Add(ref source, k * columns);
                    }
                }
            }
        }

        // The rows left (all of them for fewer than 8 columns, a recurrent layer's few inputs), a column at a time: each
        // column's row of the transpose is written in order, with no dependence between the stores.
        int first = r;
        for (int c = 0; c < columns; c++)
        {
            ref float target = ref Unsafe.Add(ref t, c * rows);
            ref float source = ref Unsafe.Add(ref m, c);
            for (r = first; r < rows; r++)
            {
                Unsafe.Add(ref target, r) = Unsafe.Add(ref source, r * columns);
            }
        }
#else
        for (int c = 0; c < columns; c++)
        {
            Span<float> target = transposed.Slice(c * rows, rows);
            for (int r = 0; r < rows; r++)
            {
                target[r] = matrix[(r * columns) + c];
            }
        }
#endif
    }

#if NET8_0_OR_GREATER
    /// <summary>The transpose of the 8 × 8 block at <paramref name="source"/> to <paramref name="destination"/> (strides in floats).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(ref float source, int sourceStride, ref float destination, int destinationStride)
    {
        nuint s = (nuint)sourceStride;
        Vector256<float> r0 = Vector256.LoadUnsafe(ref source), r1 = Vector256.LoadUnsafe(ref source, s);
        Vector256<float> r2 = Vector256.LoadUnsafe(ref source, 2 * s), r3 = Vector256.LoadUnsafe(ref source, 3 * s);
        Vector256<float> r4 = Vector256.LoadUnsafe(ref source, 4 * s), r5 = Vector256.LoadUnsafe(ref source, 5 * s);
        Vector256<float> r6 = Vector256.LoadUnsafe(ref source, 6 * s), r7 = Vector256.LoadUnsafe(ref source, 7 * s);

        // Pairs of rows interleaved, then 4-row columns per 128-bit lane (columns 0-3 in the low lanes, 4-7 in the high).
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1), t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5), t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> c0 = Avx.Shuffle(t0, t2, 0x44), c1 = Avx.Shuffle(t0, t2, 0xEE), c2 = Avx.Shuffle(t1, t3, 0x44), c3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> c4 = Avx.Shuffle(t4, t6, 0x44), c5 = Avx.Shuffle(t4, t6, 0xEE), c6 = Avx.Shuffle(t5, t7, 0x44), c7 = Avx.Shuffle(t5, t7, 0xEE);

        nuint d = (nuint)destinationStride;
        Avx.Permute2x128(c0, c4, 0x20).StoreUnsafe(ref destination);
        Avx.Permute2x128(c1, c5, 0x20).StoreUnsafe(ref destination, d);
        Avx.Permute2x128(c2, c6, 0x20).StoreUnsafe(ref destination, 2 * d);
        Avx.Permute2x128(c3, c7, 0x20).StoreUnsafe(ref destination, 3 * d);
        Avx.Permute2x128(c0, c4, 0x31).StoreUnsafe(ref destination, 4 * d);
        Avx.Permute2x128(c1, c5, 0x31).StoreUnsafe(ref destination, 5 * d);
        Avx.Permute2x128(c2, c6, 0x31).StoreUnsafe(ref destination, 6 * d);
        Avx.Permute2x128(c3, c7, 0x31).StoreUnsafe(ref destination, 7 * d);
    }
#endif

    /// <summary>The dot product of two equally long spans.</summary>
    public static float Dot(ReadOnlySpan<float> left, ReadOnlySpan<float> right)
    {
        Guard.SameLength(left, right, nameof(right));
#if NET8_0_OR_GREATER
        return Dot(ref MemoryMarshal.GetReference(left), ref MemoryMarshal.GetReference(right), left.Length);
#else
        // Four independent sums: Mono's JIT keeps one add chain per sum, and a single chain ran the 64-input rows of a
        // 64-32 layer 2.0 times slower (docs/benchmarks.md, "Mono").
        float sum0 = 0f, sum1 = 0f, sum2 = 0f, sum3 = 0f;
        int i = 0;
        for (; i <= left.Length - 4; i += 4)
        {
            sum0 += left[i] * right[i];
            sum1 += left[i + 1] * right[i + 1];
            sum2 += left[i + 2] * right[i + 2];
            sum3 += left[i + 3] * right[i + 3];
        }

        for (; i < left.Length; i++)
        {
            sum0 += left[i] * right[i];
        }

        return (sum0 + sum1) + (sum2 + sum3);
#endif
    }

    /// <summary><c>destination += scale · source</c>.</summary>
    public static void MultiplyAddTo(float scale, ReadOnlySpan<float> source, Span<float> destination)
    {
        Guard.SameLength(source, destination, nameof(destination));
#if NET8_0_OR_GREATER
        ref float s = ref MemoryMarshal.GetReference(source);
        ref float d = ref MemoryMarshal.GetReference(destination);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var factor = new Vector<float>(scale);
            for (; i <= source.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                Store(FusedMultiplyAdd(Load(ref s, i), factor, Load(ref d, i)), ref d, i);
            }
        }

        for (; i < source.Length; i++)
        {
            Unsafe.Add(ref d, i) += scale * Unsafe.Add(ref s, i);
        }
#else
        for (int i = 0; i < source.Length; i++)
        {
            destination[i] += scale * source[i];
        }
#endif
    }

#if NET8_0_OR_GREATER
    private static float Dot(ref float left, ref float right, int length)
    {
        int i = 0;
        float sum = 0f;
        if (Vector.IsHardwareAccelerated && length >= Vector<float>.Count)
        {
            // Two accumulators: alternate chunks go to independent add chains.
            Vector<float> even = Vector<float>.Zero, odd = Vector<float>.Zero;
            for (; i <= length - (2 * Vector<float>.Count); i += 2 * Vector<float>.Count)
            {
                even = FusedMultiplyAdd(Load(ref left, i), Load(ref right, i), even);
                odd = FusedMultiplyAdd(Load(ref left, i + Vector<float>.Count), Load(ref right, i + Vector<float>.Count), odd);
            }

            for (; i <= length - Vector<float>.Count; i += Vector<float>.Count)
            {
                even = FusedMultiplyAdd(Load(ref left, i), Load(ref right, i), even);
            }

            sum = Vector.Sum(even + odd);
        }

        for (; i < length; i++)
        {
            sum += Unsafe.Add(ref left, i) * Unsafe.Add(ref right, i);
        }

        return sum;
    }

    /// <summary>
    /// Eight consecutive rows (of <paramref name="length"/> values each) times one shared vector, in one pass: eight
    /// independent accumulator chains keep both multiply-add units busy despite their latency.
    /// </summary>
    private static void Dot8(ref float rows, ref float x, int length, ref float sums)
    {
        int i = 0;
        Span<float> partial = stackalloc float[8];
        if (Vector.IsHardwareAccelerated && length >= Vector<float>.Count)
        {
            ref float r0 = ref rows;
            ref float r1 = ref Unsafe.Add(ref rows, length);
            ref float r2 = ref Unsafe.Add(ref rows, 2 * length);
            ref float r3 = ref Unsafe.Add(ref rows, 3 * length);
            ref float r4 = ref Unsafe.Add(ref rows, 4 * length);
            ref float r5 = ref Unsafe.Add(ref rows, 5 * length);
            ref float r6 = ref Unsafe.Add(ref rows, 6 * length);
            ref float r7 = ref Unsafe.Add(ref rows, 7 * length);
            Vector<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
            for (; i <= length - Vector<float>.Count; i += Vector<float>.Count)
            {
                Vector<float> xv = Load(ref x, i);
                a0 = FusedMultiplyAdd(Load(ref r0, i), xv, a0);
                a1 = FusedMultiplyAdd(Load(ref r1, i), xv, a1);
                a2 = FusedMultiplyAdd(Load(ref r2, i), xv, a2);
                a3 = FusedMultiplyAdd(Load(ref r3, i), xv, a3);
                a4 = FusedMultiplyAdd(Load(ref r4, i), xv, a4);
                a5 = FusedMultiplyAdd(Load(ref r5, i), xv, a5);
                a6 = FusedMultiplyAdd(Load(ref r6, i), xv, a6);
                a7 = FusedMultiplyAdd(Load(ref r7, i), xv, a7);
            }

            partial[0] = Vector.Sum(a0);
            partial[1] = Vector.Sum(a1);
            partial[2] = Vector.Sum(a2);
            partial[3] = Vector.Sum(a3);
            partial[4] = Vector.Sum(a4);
            partial[5] = Vector.Sum(a5);
            partial[6] = Vector.Sum(a6);
            partial[7] = Vector.Sum(a7);
        }

        for (int k = 0; k < 8; k++)
        {
            ref float row = ref Unsafe.Add(ref rows, k * length);
            float sum = partial[k];
            for (int t = i; t < length; t++)
            {
                sum += Unsafe.Add(ref row, t) * Unsafe.Add(ref x, t);
            }

            Unsafe.Add(ref sums, k) = sum;
        }
    }

    /// <summary>
    /// <see cref="Dot8"/> for rows whose length is a multiple of 8 and which start <paramref name="head"/> floats
    /// (1 to 7) short of a 32-byte boundary: the same result to the bit, with aligned loads of the rows. Lane <c>l</c> of
    /// each accumulator must still sum elements <c>l, l + 8, l + 16, ...</c> in that order, as in <see cref="Dot8"/>, so
    /// that the result does not depend on where the weights are: the first <paramref name="head"/> elements go in first
    /// (lanes <c>0 .. head - 1</c> of an unaligned load), then the accumulators are rotated so that lane <c>m</c> collects
    /// element <c>head + 8k + m</c> of the aligned block <c>k</c>, and rotated back before the last, unaligned block adds
    /// its lanes <c>head .. 7</c>. Two lane permutes per row buy aligned loads of the weights, eight per (unaligned) load
    /// of the input; a 784-float row would otherwise split a cache line every other load.
    /// </summary>
    private static void Dot8Rotated(ref float rows, ref float x, int length, ref float sums, int head)
    {
        ref float r0 = ref rows;
        ref float r1 = ref Unsafe.Add(ref rows, length);
        ref float r2 = ref Unsafe.Add(ref rows, 2 * length);
        ref float r3 = ref Unsafe.Add(ref rows, 3 * length);
        ref float r4 = ref Unsafe.Add(ref rows, 4 * length);
        ref float r5 = ref Unsafe.Add(ref rows, 5 * length);
        ref float r6 = ref Unsafe.Add(ref rows, 6 * length);
        ref float r7 = ref Unsafe.Add(ref rows, 7 * length);
        Vector256<int> iota = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
        Vector<int> below = Vector.LessThan(iota.AsVector(), new Vector<int>(head));
        Vector256<int> rotate = (iota + Vector256.Create(head)) & Vector256.Create(7);
        Vector256<int> unrotate = (iota + Vector256.Create(8 - head)) & Vector256.Create(7);
        Vector<float> zero = Vector<float>.Zero;
        Vector<float> xv = Load(ref x, 0);
        Vector<float> a0 = Rotate(Vector.ConditionalSelect(below, FusedMultiplyAdd(Load(ref r0, 0), xv, zero), zero), rotate);
        Vector<float> a1 = Rotate(Vector.ConditionalSelect(below, FusedMultiplyAdd(Load(ref r1, 0), xv, zero), zero), rotate);
        Vector<float> a2 = Rotate(Vector.ConditionalSelect(below, FusedMultiplyAdd(Load(ref r2, 0), xv, zero), zero), rotate);
        Vector<float> a3 = Rotate(Vector.ConditionalSelect(below, FusedMultiplyAdd(Load(ref r3, 0), xv, zero), zero), rotate);
        Vector<float> a4 = Rotate(Vector.ConditionalSelect(below, FusedMultiplyAdd(Load(ref r4, 0), xv, zero), zero), rotate);
        Vector<float> a5 = Rotate(Vector.ConditionalSelect(below, FusedMultiplyAdd(Load(ref r5, 0), xv, zero), zero), rotate);
        Vector<float> a6 = Rotate(Vector.ConditionalSelect(below, FusedMultiplyAdd(Load(ref r6, 0), xv, zero), zero), rotate);
        Vector<float> a7 = Rotate(Vector.ConditionalSelect(below, FusedMultiplyAdd(Load(ref r7, 0), xv, zero), zero), rotate);
        int i = head;
        for (; i <= length - Vector<float>.Count; i += Vector<float>.Count)
        {
            xv = Load(ref x, i);
            a0 = FusedMultiplyAdd(Load(ref r0, i), xv, a0);
            a1 = FusedMultiplyAdd(Load(ref r1, i), xv, a1);
            a2 = FusedMultiplyAdd(Load(ref r2, i), xv, a2);
            a3 = FusedMultiplyAdd(Load(ref r3, i), xv, a3);
            a4 = FusedMultiplyAdd(Load(ref r4, i), xv, a4);
            a5 = FusedMultiplyAdd(Load(ref r5, i), xv, a5);
            a6 = FusedMultiplyAdd(Load(ref r6, i), xv, a6);
            a7 = FusedMultiplyAdd(Load(ref r7, i), xv, a7);
        }

        i = length - Vector<float>.Count;
        xv = Load(ref x, i);
        a0 = Rotate(a0, unrotate);
        a1 = Rotate(a1, unrotate);
        a2 = Rotate(a2, unrotate);
        a3 = Rotate(a3, unrotate);
        a4 = Rotate(a4, unrotate);
        a5 = Rotate(a5, unrotate);
        a6 = Rotate(a6, unrotate);
        a7 = Rotate(a7, unrotate);
        Unsafe.Add(ref sums, 0) = Vector.Sum(Vector.ConditionalSelect(below, a0, FusedMultiplyAdd(Load(ref r0, i), xv, a0)));
        Unsafe.Add(ref sums, 1) = Vector.Sum(Vector.ConditionalSelect(below, a1, FusedMultiplyAdd(Load(ref r1, i), xv, a1)));
        Unsafe.Add(ref sums, 2) = Vector.Sum(Vector.ConditionalSelect(below, a2, FusedMultiplyAdd(Load(ref r2, i), xv, a2)));
        Unsafe.Add(ref sums, 3) = Vector.Sum(Vector.ConditionalSelect(below, a3, FusedMultiplyAdd(Load(ref r3, i), xv, a3)));
        Unsafe.Add(ref sums, 4) = Vector.Sum(Vector.ConditionalSelect(below, a4, FusedMultiplyAdd(Load(ref r4, i), xv, a4)));
        Unsafe.Add(ref sums, 5) = Vector.Sum(Vector.ConditionalSelect(below, a5, FusedMultiplyAdd(Load(ref r5, i), xv, a5)));
        Unsafe.Add(ref sums, 6) = Vector.Sum(Vector.ConditionalSelect(below, a6, FusedMultiplyAdd(Load(ref r6, i), xv, a6)));
        Unsafe.Add(ref sums, 7) = Vector.Sum(Vector.ConditionalSelect(below, a7, FusedMultiplyAdd(Load(ref r7, i), xv, a7)));
    }

    /// <summary>
    /// How many floats the rows starting at <paramref name="rows"/> lie short of a 32-byte boundary, for
    /// <see cref="Dot8Rotated"/>: 1 to 7, or 0 where <see cref="Dot8"/> should take them as they are
    /// (aligned already, no 256-bit lane permute, rows of other lengths than a multiple of 8 (their offsets differ), or
    /// too short to gain). The address only picks the loop; the GC may move the weights meanwhile at no cost but speed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int AlignedRowHead(ref float rows, int length)
    {
        if (Vector<float>.Count != 8 || !Avx2.IsSupported || (length & 7) != 0 || length < 64)
        {
            return 0;
        }

        nuint address = (nuint)Unsafe.ByteOffset(ref Unsafe.NullRef<float>(), ref rows);
        return (address & 3) != 0 ? 0 : (int)((32 - (address & 31)) >> 2) & 7;
    }

    /// <summary>Lane <c>m</c> of the result is lane <c>indices[m]</c> of <paramref name="value"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> Rotate(Vector<float> value, Vector256<int> indices)
        => Avx2.PermuteVar8x32(value.AsVector256(), indices).AsVector();
#endif

    private static void CheckShapes(ReadOnlySpan<float> matrix, int rows, int columns, string paramName)
    {
        if (matrix.Length != rows * columns)
        {
            throw new ArgumentException(
                $"'{paramName}' must hold {rows} × {columns} = {rows * columns} values but has {matrix.Length}.",
                paramName);
        }
    }
}
