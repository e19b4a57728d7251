using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NetGen.Numerics;

/// <summary>
/// The three products a dense layer needs, over row-major <c>[units, inputs]</c> weights, vectorised with
/// <see cref="Vector{T}"/>. Generated code calls them for layers too large to unroll.
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
        for (int j = 0; j < output.Length; j++)
        {
            output[j] = bias[j] + Dot(weights.Slice(j * inputs, inputs), input);
        }
    }

    /// <summary>Input gradient: <c>dx = Wᵀ delta</c> (overwrites <paramref name="inputGradient"/>).</summary>
    /// <param name="weights"><c>W</c>, <c>delta.Length × dx.Length</c> values, row-major.</param>
    /// <param name="delta">The gradient with respect to the layer's pre-activations.</param>
    /// <param name="inputGradient">Receives the gradient with respect to the layer's inputs.</param>
    public static void MultiplyTransposed(ReadOnlySpan<float> weights, ReadOnlySpan<float> delta, Span<float> inputGradient)
    {
        CheckShapes(weights, delta.Length, inputGradient.Length, nameof(weights));
        int inputs = inputGradient.Length;
        inputGradient.Clear();
        for (int j = 0; j < delta.Length; j++)
        {
            MultiplyAddTo(delta[j], weights.Slice(j * inputs, inputs), inputGradient);
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

    /// <summary>The dot product of two equally long spans.</summary>
    public static float Dot(ReadOnlySpan<float> left, ReadOnlySpan<float> right)
    {
        Guard.SameLength(left, right, nameof(right));
        int i = 0;
        float sum = 0f;
        if (Vector.IsHardwareAccelerated && left.Length >= Vector<float>.Count)
        {
            ref float l = ref MemoryMarshal.GetReference(left);
            ref float r = ref MemoryMarshal.GetReference(right);
            Vector<float> accumulator = Vector<float>.Zero;
            for (; i <= left.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                accumulator += LoadVector(ref l, i) * LoadVector(ref r, i);
            }

            sum = Vector.Sum(accumulator);
        }

        for (; i < left.Length; i++)
        {
            sum += left[i] * right[i];
        }

        return sum;
    }

    /// <summary><c>destination += scale · source</c>.</summary>
    public static void MultiplyAddTo(float scale, ReadOnlySpan<float> source, Span<float> destination)
    {
        Guard.SameLength(source, destination, nameof(destination));
        int i = 0;
        if (Vector.IsHardwareAccelerated && source.Length >= Vector<float>.Count)
        {
            ref float s = ref MemoryMarshal.GetReference(source);
            ref float d = ref MemoryMarshal.GetReference(destination);
            var factor = new Vector<float>(scale);
            for (; i <= source.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                StoreVector(LoadVector(ref d, i) + (factor * LoadVector(ref s, i)), ref d, i);
            }
        }

        for (; i < source.Length; i++)
        {
            destination[i] += scale * source[i];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> LoadVector(ref float start, int offset)
        => Unsafe.ReadUnaligned<Vector<float>>(ref Unsafe.As<float, byte>(ref Unsafe.Add(ref start, offset)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreVector(Vector<float> value, ref float start, int offset)
        => Unsafe.WriteUnaligned(ref Unsafe.As<float, byte>(ref Unsafe.Add(ref start, offset)), value);

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
