using System;
using System.Diagnostics;
using System.Numerics;
using System.Runtime.InteropServices;
using NetGen.Numerics;

/// <summary>
/// The netstandard2.1 build's scalar kernels (the library's own) against the same loops over Vector&lt;float&gt;
/// (written here, as the netstandard2.1 build would have them), on the shapes the "Loop" code calls.
/// </summary>
internal static class Bench
{
    // Vector<T> versions, over spans (no Unsafe in netstandard2.1): MemoryMarshal.Cast to vectors, scalar tail.
    private static void MultiplyAddVector(ReadOnlySpan<float> w, ReadOnlySpan<float> b, ReadOnlySpan<float> x, Span<float> z)
    {
        int inputs = x.Length;
        ReadOnlySpan<Vector<float>> xv = MemoryMarshal.Cast<float, Vector<float>>(x);
        int tail = xv.Length * Vector<float>.Count;
        for (int j = 0; j < z.Length; j++)
        {
            ReadOnlySpan<float> row = w.Slice(j * inputs, inputs);
            ReadOnlySpan<Vector<float>> rv = MemoryMarshal.Cast<float, Vector<float>>(row);
            Vector<float> acc = Vector<float>.Zero;
            for (int i = 0; i < xv.Length; i++)
            {
                acc += rv[i] * xv[i];
            }

            float sum = Vector.Dot(acc, Vector<float>.One);
            for (int i = tail; i < inputs; i++)
            {
                sum += row[i] * x[i];
            }

            z[j] = b[j] + sum;
        }
    }

    private static void MultiplyAddToVector(float scale, ReadOnlySpan<float> source, Span<float> destination)
    {
        ReadOnlySpan<Vector<float>> sv = MemoryMarshal.Cast<float, Vector<float>>(source);
        Span<Vector<float>> dv = MemoryMarshal.Cast<float, Vector<float>>(destination);
        var factor = new Vector<float>(scale);
        for (int i = 0; i < sv.Length; i++)
        {
            dv[i] += sv[i] * factor;
        }

        for (int i = sv.Length * Vector<float>.Count; i < source.Length; i++)
        {
            destination[i] += scale * source[i];
        }
    }

    private static void AccumulateOuterProductVector(Span<float> gw, Span<float> gb, ReadOnlySpan<float> delta, ReadOnlySpan<float> x)
    {
        int inputs = x.Length;
        for (int j = 0; j < delta.Length; j++)
        {
            gb[j] += delta[j];
            MultiplyAddToVector(delta[j], x, gw.Slice(j * inputs, inputs));
        }
    }

    private static void MultiplyTransposedAddVector(ReadOnlySpan<float> w, ReadOnlySpan<float> delta, Span<float> dx)
    {
        int inputs = dx.Length;
        for (int j = 0; j < delta.Length; j++)
        {
            MultiplyAddToVector(delta[j], w.Slice(j * inputs, inputs), dx);
        }
    }

    private static void GruVector(Span<float> gates, ReadOnlySpan<float> hiddenGates, ReadOnlySpan<float> hidden, Span<float> next)
    {
        int units = next.Length;
        Span<Vector<float>> r = MemoryMarshal.Cast<float, Vector<float>>(gates.Slice(0, units));
        Span<Vector<float>> z = MemoryMarshal.Cast<float, Vector<float>>(gates.Slice(units, units));
        Span<Vector<float>> n = MemoryMarshal.Cast<float, Vector<float>>(gates.Slice(2 * units, units));
        ReadOnlySpan<Vector<float>> hr = MemoryMarshal.Cast<float, Vector<float>>(hiddenGates.Slice(0, units));
        ReadOnlySpan<Vector<float>> hz = MemoryMarshal.Cast<float, Vector<float>>(hiddenGates.Slice(units, units));
        ReadOnlySpan<Vector<float>> hn = MemoryMarshal.Cast<float, Vector<float>>(hiddenGates.Slice(2 * units, units));
        ReadOnlySpan<Vector<float>> h = MemoryMarshal.Cast<float, Vector<float>>(hidden);
        Span<Vector<float>> y = MemoryMarshal.Cast<float, Vector<float>>(next);
        for (int j = 0; j < r.Length; j++)
        {
            Vector<float> reset = FloatMath.Sigmoid(r[j] + hr[j]);
            Vector<float> update = FloatMath.Sigmoid(z[j] + hz[j]);
            Vector<float> candidate = FloatMath.Tanh((reset * hn[j]) + n[j]);
            r[j] = reset;
            z[j] = update;
            n[j] = candidate;
            y[j] = (update * (h[j] - candidate)) + candidate;
        }
        // (units a multiple of the vector width here)
    }

    private static double Time(Action action, int iterations)
    {
        action();
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < iterations; i++)
        {
            action();
        }

        return watch.Elapsed.TotalMilliseconds * 1e6 / iterations; // ns per call
    }

    private static float[] R(int n, int seed)
    {
        var random = new Random(seed);
        var a = new float[n];
        for (int i = 0; i < n; i++)
        {
            a[i] = (float)(random.NextDouble() - 0.5);
        }

        return a;
    }

    public static void Run()
    {
        const int Repeats = 5;
        foreach (var (units, inputs, iterations) in new[] { (64, 64, 20000), (128, 784, 400), (10, 128, 40000) })
        {
            float[] w = R(units * inputs, 1), b = R(units, 2), x = R(inputs, 3), z = new float[units], d = R(units, 4), dx = new float[inputs];
            float[] gw = new float[units * inputs], gb = new float[units];
            for (int repeat = 0; repeat < Repeats; repeat++)
            {
                double s1 = Time(() => DenseKernels.MultiplyAdd(w, b, x, z), iterations);
                double v1 = Time(() => MultiplyAddVector(w, b, x, z), iterations);
                double s2 = Time(() => DenseKernels.AccumulateOuterProduct(gw, gb, d, x), iterations);
                double v2 = Time(() => AccumulateOuterProductVector(gw, gb, d, x), iterations);
                double s3 = Time(() => DenseKernels.MultiplyTransposedAdd(w, d, dx), iterations);
                double v3 = Time(() => MultiplyTransposedAddVector(w, d, dx), iterations);
                Console.WriteLine($"{units}x{inputs} run {repeat + 1}: MultiplyAdd scalar {s1:F0} ns, Vector<T> {v1:F0} ns ({v1 / s1:F2}x); "
                    + $"AccumulateOuterProduct scalar {s2:F0}, Vector<T> {v2:F0} ({v2 / s2:F2}x); MultiplyTransposedAdd scalar {s3:F0}, Vector<T> {v3:F0} ({v3 / s3:F2}x)");
            }
        }

        foreach (int units in new[] { 32, 128 })
        {
            float[] gates = R(3 * units, 5), hiddenGates = R(3 * units, 6), hidden = R(units, 7), next = new float[units];
            float[] g0 = (float[])gates.Clone();
            for (int repeat = 0; repeat < Repeats; repeat++)
            {
                double s = Time(() => { g0.CopyTo(gates, 0); RecurrentKernels.Gru(gates, hiddenGates, hidden, next); }, 50000);
                double v = Time(() => { g0.CopyTo(gates, 0); GruVector(gates, hiddenGates, hidden, next); }, 50000);
                Console.WriteLine($"GRU({units}) gates run {repeat + 1}: scalar {s:F0} ns, Vector<T> {v:F0} ns ({v / s:F2}x)");
            }
        }
    }
}
