using System;

namespace NetGen.Numerics;

/// <summary>Small reductions over spans that generated code and training loops share.</summary>
public static class SpanMath
{
    /// <summary>The index of the largest value (the first one on ties).</summary>
    /// <exception cref="ArgumentException"><paramref name="values"/> is empty.</exception>
    public static int ArgMax(ReadOnlySpan<float> values)
    {
        if (values.IsEmpty)
        {
            throw new ArgumentException("ArgMax needs at least one value.", nameof(values));
        }

        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
    }
}
