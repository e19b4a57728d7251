using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using New = NetGen.Numerics;
using Old = NetGen.Benchmarks.Baseline.Numerics;

namespace NetGen.Benchmarks.Suite;

/// <summary>
/// <c>--recurrent-kernels</c>: each runtime kernel the two sequence benchmarks spend their time in, on their shapes,
/// as of 67ac620 (the copy in Baseline/) and now, in alternating batches of about 2 ms (order swapped every round), the
/// ratio taken per round: the before/after of each kernel change in one process on a shared machine. Both sides get the
/// same arguments; the table gives the median time per call of each and the median and quartiles of now / before.
/// </summary>
internal static class RecurrentKernelsInterleaved
{
    private const int Rounds = 31;

    public static void Run()
    {
        var random = new Random(12);
        float[] R(int n) => Verification.RandomInput(random, n);

        // GRU(32) on 6 features over 50 steps; LSTM(64) on 13 over 100 steps.
        float[] gruDeltas = R(50 * 96), gruInputs = R(50 * 6), gruHidden = R(50 * 32);
        float[] lstmDeltas = R(100 * 256), lstmInputs = R(100 * 13), lstmHidden = R(100 * 64);
        float[] gw = new float[256 * 64], gb = new float[256];
        float[] gruWhh = R(96 * 32), lstmWhh = R(256 * 64), gruD = R(96), lstmD = R(256), dx = new float[64];
        float[] gruColumns = R(6 * 96), lstmColumns = R(13 * 256), bias = R(256), gates = new float[256];
        float[] gruGates = R(96), gruHiddenGates = R(96), h = R(64), next = new float[64];
        float[] lstmGates = R(256), lstmHiddenGates = R(256), c = R(64), nextCell = new float[64];
        float[] dh = R(64), dc = R(64), dGates = new float[256], dHiddenGates = new float[256];
        float[] scratchGates = new float[256];
        float[] gruWih = R(96 * 6), lstmWih = R(256 * 13), transposed = new float[256 * 13];

        // The recurrent product as 67ac620 generated it (groups of four rows, one horizontal sum each, in the baseline
        // copy's private method) against the 16-row blocks the generator now calls, on the same weights.
        var gruNet = new Baseline.Gru32Net();
        var lstmNet = new Baseline.Lstm64Net();
        float[] gruParameters = gruNet.Parameters.ToArray(), lstmParameters = lstmNet.Parameters.ToArray();
        Product gruProduct = ProductOf(typeof(Baseline.Gru32Net)), lstmProduct = ProductOf(typeof(Baseline.Lstm64Net));
        float[] hiddenGates = new float[256];

        (string Name, Action Old, Action New)[] kernels =
        [
            ("Recurrent product, GRU 96 x 32 (one step): generated 4-row groups / MultiplyAddRowBlocks",
                () => gruProduct(gruParameters, h.AsSpan(0, 32), hiddenGates.AsSpan(0, 96)),
                () => New.DenseKernels.MultiplyAddRowBlocks(gruParameters.AsSpan(576, 3072), gruParameters.AsSpan(3744, 96), h.AsSpan(0, 32), hiddenGates.AsSpan(0, 96))),
            ("Recurrent product, LSTM 256 x 64 (one step): generated 4-row groups / MultiplyAddRowBlocks",
                () => lstmProduct(lstmParameters, h, hiddenGates),
                () => New.DenseKernels.MultiplyAddRowBlocks(lstmParameters.AsSpan(3328, 16384), lstmParameters.AsSpan(19968, 256), h, hiddenGates)),
            ("AccumulateOuterProducts, GRU input 96 x 6, 50 steps",
                () => Old.DenseKernels.AccumulateOuterProducts(gw.AsSpan(0, 96 * 6), gb.AsSpan(0, 96), gruDeltas, gruInputs, 50),
                () => New.DenseKernels.AccumulateOuterProducts(gw.AsSpan(0, 96 * 6), gb.AsSpan(0, 96), gruDeltas, gruInputs, 50)),
            ("AccumulateOuterProducts, GRU hidden 96 x 32, 50 steps",
                () => Old.DenseKernels.AccumulateOuterProducts(gw.AsSpan(0, 96 * 32), gb.AsSpan(0, 96), gruDeltas, gruHidden, 50),
                () => New.DenseKernels.AccumulateOuterProducts(gw.AsSpan(0, 96 * 32), gb.AsSpan(0, 96), gruDeltas, gruHidden, 50)),
            ("AccumulateOuterProducts, LSTM input 256 x 13, 100 steps",
                () => Old.DenseKernels.AccumulateOuterProducts(gw.AsSpan(0, 256 * 13), gb, lstmDeltas, lstmInputs, 100),
                () => New.DenseKernels.AccumulateOuterProducts(gw.AsSpan(0, 256 * 13), gb, lstmDeltas, lstmInputs, 100)),
            ("AccumulateOuterProducts, LSTM hidden 256 x 64, 100 steps",
                () => Old.DenseKernels.AccumulateOuterProducts(gw, gb, lstmDeltas, lstmHidden, 100),
                () => New.DenseKernels.AccumulateOuterProducts(gw, gb, lstmDeltas, lstmHidden, 100)),
            ("MultiplyTransposedAdd, GRU 96 x 32 (one step)",
                () => Old.DenseKernels.MultiplyTransposedAdd(gruWhh, gruD, dx.AsSpan(0, 32)),
                () => New.DenseKernels.MultiplyTransposedAdd(gruWhh, gruD, dx.AsSpan(0, 32))),
            ("MultiplyTransposedAdd, LSTM 256 x 64 (one step)",
                () => Old.DenseKernels.MultiplyTransposedAdd(lstmWhh, lstmD, dx),
                () => New.DenseKernels.MultiplyTransposedAdd(lstmWhh, lstmD, dx)),
            ("MultiplyAddColumns, GRU input 6 -> 96 (one step)",
                () => Old.DenseKernels.MultiplyAddColumns(gruColumns, bias.AsSpan(0, 96), gruInputs.AsSpan(0, 6), gates.AsSpan(0, 96)),
                () => New.DenseKernels.MultiplyAddColumns(gruColumns, bias.AsSpan(0, 96), gruInputs.AsSpan(0, 6), gates.AsSpan(0, 96))),
            ("MultiplyAddColumns, LSTM input 13 -> 256 (one step)",
                () => Old.DenseKernels.MultiplyAddColumns(lstmColumns, bias, lstmInputs.AsSpan(0, 13), gates),
                () => New.DenseKernels.MultiplyAddColumns(lstmColumns, bias, lstmInputs.AsSpan(0, 13), gates)),
            ("Transpose, GRU weight_ih 96 x 6 (once a call)",
                () => Old.DenseKernels.Transpose(gruWih, 96, 6, transposed.AsSpan(0, 576)),
                () => New.DenseKernels.Transpose(gruWih, 96, 6, transposed.AsSpan(0, 576))),
            ("Transpose, LSTM weight_ih 256 x 13 (once a call)",
                () => Old.DenseKernels.Transpose(lstmWih, 256, 13, transposed.AsSpan(0, 3328)),
                () => New.DenseKernels.Transpose(lstmWih, 256, 13, transposed.AsSpan(0, 3328))),
            ("RecurrentKernels.Gru, 32 units (one step)",
                () => { gruGates.AsSpan().CopyTo(scratchGates); Old.RecurrentKernels.Gru(scratchGates.AsSpan(0, 96), gruHiddenGates, h.AsSpan(0, 32), next.AsSpan(0, 32)); },
                () => { gruGates.AsSpan().CopyTo(scratchGates); New.RecurrentKernels.Gru(scratchGates.AsSpan(0, 96), gruHiddenGates, h.AsSpan(0, 32), next.AsSpan(0, 32)); }),
            ("RecurrentKernels.Lstm, 64 units (one step)",
                () => { lstmGates.AsSpan().CopyTo(scratchGates); Old.RecurrentKernels.Lstm(scratchGates, lstmHiddenGates, c, nextCell, next); },
                () => { lstmGates.AsSpan().CopyTo(scratchGates); New.RecurrentKernels.Lstm(scratchGates, lstmHiddenGates, c, nextCell, next); }),
            ("RecurrentKernels.GruBackward, 32 units (one step)",
                () => { dh.AsSpan(0, 32).CopyTo(next); Old.RecurrentKernels.GruBackward(next.AsSpan(0, 32), gruGates, gruHiddenGates, h.AsSpan(0, 32), dGates.AsSpan(0, 96), dHiddenGates.AsSpan(0, 96)); },
                () => { dh.AsSpan(0, 32).CopyTo(next); New.RecurrentKernels.GruBackward(next.AsSpan(0, 32), gruGates, gruHiddenGates, h.AsSpan(0, 32), dGates.AsSpan(0, 96), dHiddenGates.AsSpan(0, 96)); }),
            ("RecurrentKernels.LstmBackward, 64 units (one step)",
                () => { dh.AsSpan().CopyTo(next); dc.AsSpan().CopyTo(nextCell); Old.RecurrentKernels.LstmBackward(next, nextCell, lstmGates, c, h, dGates); },
                () => { dh.AsSpan().CopyTo(next); dc.AsSpan().CopyTo(nextCell); New.RecurrentKernels.LstmBackward(next, nextCell, lstmGates, c, h, dGates); }),
        ];

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"// load average at start: {File("/proc/loadavg")}"));
        Console.WriteLine($"| kernel, shape | 67ac620 (median per call) | now (median per call) | now / 67ac620: median of {Rounds} paired rounds | quartiles |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        foreach ((string name, Action old, Action now) in kernels)
        {
            long Loop(Action body, int calls)
            {
                long start = Stopwatch.GetTimestamp();
                for (int i = 0; i < calls; i++)
                {
                    body();
                }

                return Stopwatch.GetTimestamp() - start;
            }

            old();
            now();
            long ticks = Math.Max(1, Loop(old, 20));
            int calls = (int)Math.Clamp(20L * Stopwatch.Frequency / 500 / ticks, 1, 10_000_000);
            var warmUp = Stopwatch.StartNew();
            while (warmUp.ElapsedMilliseconds < 600)
            {
                Loop(old, calls / 4 + 1);
                Loop(now, calls / 4 + 1);
                System.Threading.Thread.Sleep(2);
            }

            double[] oldNs = new double[Rounds], newNs = new double[Rounds], ratios = new double[Rounds];
            for (int round = 0; round < Rounds; round++)
            {
                long o, n;
                if (round % 2 == 0)
                {
                    o = Loop(old, calls);
                    n = Loop(now, calls);
                }
                else
                {
                    n = Loop(now, calls);
                    o = Loop(old, calls);
                }

                oldNs[round] = o * 1e9 / Stopwatch.Frequency / calls;
                newNs[round] = n * 1e9 / Stopwatch.Frequency / calls;
                ratios[round] = (double)n / o;
            }

            Array.Sort(ratios);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {Time(Median(oldNs))} | {Time(Median(newNs))} | {ratios[Rounds / 2]:0.000} | {ratios[Rounds / 4]:0.000} – {ratios[3 * Rounds / 4]:0.000} |"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"// load average at end: {File("/proc/loadavg")}"));
    }

    /// <summary>A generated recurrent product method: <c>NetGenLayer1Hidden(p, hidden, hiddenGates)</c>.</summary>
    private delegate void Product(ReadOnlySpan<float> parameters, ReadOnlySpan<float> hidden, Span<float> gates);

    private static Product ProductOf(Type network)
        => (network.GetMethod("NetGenLayer1Hidden", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)
            ?? throw new InvalidOperationException($"{network} has no NetGenLayer1Hidden.")).CreateDelegate<Product>();

    private static string File(string path)
    {
        try
        {
            return System.IO.File.ReadAllText(path).Trim();
        }
        catch (System.IO.IOException)
        {
            return "?";
        }
        catch (UnauthorizedAccessException)
        {
            return "?";
        }
    }

    private static double Median(double[] values) => values.Order().ElementAt(values.Length / 2);

    private static string Time(double ns) => ns >= 1000
        ? (ns / 1000).ToString("0.00", CultureInfo.InvariantCulture) + " µs"
        : ns.ToString("0.0", CultureInfo.InvariantCulture) + " ns";
}
