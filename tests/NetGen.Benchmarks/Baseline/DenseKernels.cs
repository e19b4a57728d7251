// Baseline for the paired timings (Suite/RecurrentInterleaved.cs): a copy of NetGen as of main 67ac620, before the
// recurrent-layer performance work of issue 12, renamed into NetGen.Benchmarks.Baseline. See Baseline/README.md.
using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using static NetGen.Benchmarks.Baseline.Numerics.SimdMath;

namespace NetGen.Benchmarks.Baseline.Numerics;

/// <summary>
/// The three products a dense layer needs, over row-major <c>[units, inputs]</c> weights, vectorised with
/// <see cref="Vector{T}"/> (fused multiply-add on .NET 9 and later). Generated code calls them for layers too large
/// to unroll. The forward product takes rows eight at a time (the transposed one four at a time), so that each load
/// of the input serves several rows and independent accumulator chains hide the multiply-add latency.
/// </summary>
internal static class DenseKernels
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
    {
        CheckShapes(weights, delta.Length, inputGradient.Length, nameof(weights));
        int inputs = inputGradient.Length;
        int units = delta.Length;
        ref float w = ref MemoryMarshal.GetReference(weights);
        ref float d = ref MemoryMarshal.GetReference(delta);
        ref float dx = ref MemoryMarshal.GetReference(inputGradient);

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
    }

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
        ref float gw = ref MemoryMarshal.GetReference(weightGradient);
        ref float d = ref MemoryMarshal.GetReference(deltas);
        ref float x = ref MemoryMarshal.GetReference(inputs);
        for (int j = 0; j < units; j++)
        {
            float sum = 0f;
            for (int t = 0; t < count; t++)
            {
                sum += Unsafe.Add(ref d, (t * units) + j);
            }

            biasGradient[j] += sum;
        }

        int row = 0;
        for (; row <= units - 4; row += 4)
        {
            ref float g0 = ref Unsafe.Add(ref gw, row * columns);
            ref float g1 = ref Unsafe.Add(ref g0, columns);
            ref float g2 = ref Unsafe.Add(ref g1, columns);
            ref float g3 = ref Unsafe.Add(ref g2, columns);
            int i = 0;
            if (Vector.IsHardwareAccelerated)
            {
                for (; i <= columns - Vector<float>.Count; i += Vector<float>.Count)
                {
                    Vector<float> a0 = Vector<float>.Zero, a1 = Vector<float>.Zero, a2 = Vector<float>.Zero, a3 = Vector<float>.Zero;
                    for (int t = 0; t < count; t++)
                    {
                        Vector<float> xv = Load(ref x, (t * columns) + i);
                        ref float dt = ref Unsafe.Add(ref d, (t * units) + row);
                        a0 = FusedMultiplyAdd(xv, new Vector<float>(dt), a0);
                        a1 = FusedMultiplyAdd(xv, new Vector<float>(Unsafe.Add(ref dt, 1)), a1);
                        a2 = FusedMultiplyAdd(xv, new Vector<float>(Unsafe.Add(ref dt, 2)), a2);
                        a3 = FusedMultiplyAdd(xv, new Vector<float>(Unsafe.Add(ref dt, 3)), a3);
                    }

                    Store(Load(ref g0, i) + a0, ref g0, i);
                    Store(Load(ref g1, i) + a1, ref g1, i);
                    Store(Load(ref g2, i) + a2, ref g2, i);
                    Store(Load(ref g3, i) + a3, ref g3, i);
                }
            }

            for (; i < columns; i++)
            {
                float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
                for (int t = 0; t < count; t++)
                {
                    float xi = Unsafe.Add(ref x, (t * columns) + i);
                    ref float dt = ref Unsafe.Add(ref d, (t * units) + row);
                    s0 += xi * dt;
                    s1 += xi * Unsafe.Add(ref dt, 1);
                    s2 += xi * Unsafe.Add(ref dt, 2);
                    s3 += xi * Unsafe.Add(ref dt, 3);
                }

                Unsafe.Add(ref g0, i) += s0;
                Unsafe.Add(ref g1, i) += s1;
                Unsafe.Add(ref g2, i) += s2;
                Unsafe.Add(ref g3, i) += s3;
            }
        }

        for (; row < units; row++)
        {
            ref float g = ref Unsafe.Add(ref gw, row * columns);
            for (int t = 0; t < count; t++)
            {
                MultiplyAddTo(Unsafe.Add(ref d, (t * units) + row), inputs.Slice(t * columns, columns), MemoryMarshal.CreateSpan(ref g, columns));
            }
        }
    }

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
        ref float w = ref MemoryMarshal.GetReference(transposedWeights);
        ref float x = ref MemoryMarshal.GetReference(input);
        ref float b = ref MemoryMarshal.GetReference(bias);
        ref float z = ref MemoryMarshal.GetReference(output);
        int j = 0;
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
    }

    /// <summary>Writes the transpose of the row-major <c>[rows, columns]</c> <paramref name="matrix"/> to <paramref name="transposed"/> (<c>[columns, rows]</c>).</summary>
    /// <param name="matrix">The matrix, <paramref name="rows"/> × <paramref name="columns"/> values.</param>
    /// <param name="rows">Its rows.</param>
    /// <param name="columns">Its columns.</param>
    /// <param name="transposed">Receives the transpose.</param>
    public static void Transpose(ReadOnlySpan<float> matrix, int rows, int columns, Span<float> transposed)
    {
        CheckShapes(matrix, rows, columns, nameof(matrix));
        CheckShapes(transposed, columns, rows, nameof(transposed));
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> row = matrix.Slice(r * columns, columns);
            for (int c = 0; c < row.Length; c++)
            {
                transposed[(c * rows) + r] = row[c];
            }
        }
    }

    /// <summary>The dot product of two equally long spans.</summary>
    public static float Dot(ReadOnlySpan<float> left, ReadOnlySpan<float> right)
    {
        Guard.SameLength(left, right, nameof(right));
        return Dot(ref MemoryMarshal.GetReference(left), ref MemoryMarshal.GetReference(right), left.Length);
    }

    /// <summary><c>destination += scale · source</c>.</summary>
    public static void MultiplyAddTo(float scale, ReadOnlySpan<float> source, Span<float> destination)
    {
        Guard.SameLength(source, destination, nameof(destination));
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
    }

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
