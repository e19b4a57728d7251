using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Runtime.CompilerServices;
using NetGen.Benchmarks.Networks;

namespace NetGen.Benchmarks.Suite;

/// <summary>
/// A paired check of <see cref="FrozenBenchmarks"/> for a shared, noisy machine (<c>--frozen-ab</c>): BenchmarkDotNet
/// times one benchmark after the other, so a change in background load between them shows up as a ratio. Here the
/// frozen and the trainable call alternate in short batches (about 5 ms each, the order swapped every round) for
/// <see cref="Rounds"/> rounds, and the ratio is taken per round, so that both sides of every ratio ran under the same
/// load. Prints a markdown table: the median time per call of each side and the median and quartiles of the per-round
/// ratios (frozen / trainable).
/// </summary>
internal static class FrozenInterleaved
{
    private const int Rounds = 41;

    private static readonly TrainableMnistMlp Mnist = new();
    private static readonly TrainableReluSigmoid Small = new();
    private static readonly float[] MnistInput = Verification.RandomInput(new Random(20251126), FrozenMnistMlp.InputCount);
    private static readonly float[] MnistOutput = new float[FrozenMnistMlp.OutputCount];
    private static readonly float[] SmallInput = Verification.RandomInput(new Random(20251127), FrozenReluSigmoid.InputCount);
    private static readonly float[] SmallOutput = new float[FrozenReluSigmoid.OutputCount];
    private static int _sink;

    /// <summary>Runs the four pairs and prints the table.</summary>
    public static void Run()
    {
        new FrozenBenchmarks().Setup(); // the same verification as the benchmarks: same weights, same bits
        (string Name, Func<int, long> Frozen, Func<int, long> Trainable)[] pairs =
        [
            ("mnist_mlp Forward", MnistForwardFrozen, MnistForwardTrainable),
            ("mnist_mlp Predict", MnistPredictFrozen, MnistPredictTrainable),
            ("relu_sigmoid Forward", SmallForwardFrozen, SmallForwardTrainable),
            ("relu_sigmoid Predict", SmallPredictFrozen, SmallPredictTrainable),
        ];

        Console.WriteLine($"| benchmark | trainable (median per call) | frozen (median per call) | frozen / trainable: median of {Rounds} paired rounds | quartiles |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        foreach ((string name, Func<int, long> frozen, Func<int, long> trainable) in pairs)
        {
            // Calls per batch: about 5 ms of the trainable side.
            long ticks = Math.Max(1, trainable(1000));
            int calls = (int)Math.Clamp(1000L * Stopwatch.Frequency / 200 / ticks, 10, 10_000_000);

            // Warm-up, 1.5 s: past tiered compilation on both sides (the runtime waits for 100 ms without new Tier0 code
            // before it counts calls, then compiles Tier1 on a background thread, which the pauses leave a core for).
            var warmUp = Stopwatch.StartNew();
            while (warmUp.ElapsedMilliseconds < 1500)
            {
                frozen(calls / 5);
                trainable(calls / 5);
                System.Threading.Thread.Sleep(5);
            }

            double[] frozenNs = new double[Rounds], trainableNs = new double[Rounds], ratios = new double[Rounds];
            for (int round = 0; round < Rounds; round++)
            {
                long f, t;
                if (round % 2 == 0)
                {
                    f = frozen(calls);
                    t = trainable(calls);
                }
                else
                {
                    t = trainable(calls);
                    f = frozen(calls);
                }

                frozenNs[round] = f * 1e9 / Stopwatch.Frequency / calls;
                trainableNs[round] = t * 1e9 / Stopwatch.Frequency / calls;
                ratios[round] = (double)f / t;
            }

            Array.Sort(ratios);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {Time(Median(trainableNs))} | {Time(Median(frozenNs))} | {ratios[Rounds / 2]:0.000} | {ratios[Rounds / 4]:0.000} – {ratios[3 * Rounds / 4]:0.000} |"));
        }

        Console.WriteLine();
        RunAlignment();
        if (_sink == int.MinValue)
        {
            Console.WriteLine(_sink);
        }
    }

    /// <summary>
    /// Where the weights start matters to the 784-input layer's kernel: its rows are 3,136 bytes (49 cache lines), so
    /// every row starts at the same offset in a 64-byte line as the weights do, and unless that offset is a multiple of 32
    /// every other 32-byte load of the kernel spans two cache lines. This times mnist_mlp's first layer
    /// (<c>DenseKernels.MultiplyAdd</c>, 784 → 128, as the generated <c>Forward</c> calls it) on four copies of its weights
    /// starting at 0, 16, 32 and 48 bytes past a 64-byte boundary, in turn, and prints each copy's median time relative
    /// to the aligned copy's in the same round.
    /// </summary>
    private static void RunAlignment()
    {
        const int Weights = 128 * 784;
        int[] offsets = [0, 16, 32, 48];
        ReadOnlySpan<float> parameters = FrozenMnistMlp.Parameters;
        var copies = new float[offsets.Length][];
        var starts = new int[offsets.Length];
        for (int k = 0; k < offsets.Length; k++)
        {
            // Pinned, so that the copy stays where its offset was chosen.
            copies[k] = GC.AllocateArray<float>(Weights + 128 + 32, pinned: true);
            starts[k] = 0;
            while (Verification.AddressMod64(copies[k].AsSpan(starts[k])) != offsets[k])
            {
                starts[k]++;
            }

            parameters[..(Weights + 128)].CopyTo(copies[k].AsSpan(starts[k]));
        }

        float[] hidden = new float[128];
        long Measure(int k, int calls)
        {
            ReadOnlySpan<float> w = copies[k].AsSpan(starts[k], Weights);
            ReadOnlySpan<float> b = copies[k].AsSpan(starts[k] + Weights, 128);
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < calls; i++)
            {
                Numerics.DenseKernels.MultiplyAdd(w, b, MnistInput, hidden);
            }

            return Stopwatch.GetTimestamp() - start;
        }

        long ticks = Math.Max(1, Measure(0, 100));
        int calls = (int)Math.Clamp(100L * Stopwatch.Frequency / 200 / ticks, 10, 1_000_000);
        var warmUp = Stopwatch.StartNew();
        while (warmUp.ElapsedMilliseconds < 1000)
        {
            for (int k = 0; k < offsets.Length; k++)
            {
                Measure(k, calls / 5);
            }

            System.Threading.Thread.Sleep(5);
        }

        var times = new double[offsets.Length][];
        var ratios = new double[offsets.Length][];
        for (int k = 0; k < offsets.Length; k++)
        {
            times[k] = new double[Rounds];
            ratios[k] = new double[Rounds];
        }

        for (int round = 0; round < Rounds; round++)
        {
            long[] elapsed = new long[offsets.Length];
            for (int n = 0; n < offsets.Length; n++)
            {
                int k = (n + round) % offsets.Length; // rotate the order
                elapsed[k] = Measure(k, calls);
            }

            for (int k = 0; k < offsets.Length; k++)
            {
                times[k][round] = elapsed[k] * 1e9 / Stopwatch.Frequency / calls;
                ratios[k][round] = (double)elapsed[k] / elapsed[0];
            }
        }

        Console.WriteLine($"| mnist_mlp layer 1 (DenseKernels.MultiplyAdd, 784 -> 128), weights start at address mod 64 = | median per call | relative to mod 64 = 0: median of {Rounds} rounds | quartiles |");
        Console.WriteLine("|---|---:|---:|---:|");
        for (int k = 0; k < offsets.Length; k++)
        {
            Array.Sort(ratios[k]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {offsets[k]} | {Time(Median(times[k]))} | {ratios[k][Rounds / 2]:0.000} | {ratios[k][Rounds / 4]:0.000} – {ratios[k][3 * Rounds / 4]:0.000} |"));
        }
    }

    private static double Median(double[] values) => values.Order().ElementAt(values.Length / 2);

    private static string Time(double ns) => ns >= 1000
        ? (ns / 1000).ToString("0.00", CultureInfo.InvariantCulture) + " µs"
        : ns.ToString("0.0", CultureInfo.InvariantCulture) + " ns";

    // One loop per call site, so that each side calls its method directly (static, or on the exact sealed type), as the
    // benchmarks do; a delegate per call would add an indirect call to a 50 ns method. The loops themselves are fully
    // optimised from their first call (AggressiveOptimization), so both sides run the same loop code throughout; the
    // generated methods they call tier up as usual.

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static long MnistForwardFrozen(int calls)
    {
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < calls; i++)
        {
            FrozenMnistMlp.Forward(MnistInput, MnistOutput);
        }

        return Stopwatch.GetTimestamp() - start;
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static long MnistForwardTrainable(int calls)
    {
        TrainableMnistMlp net = Mnist;
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < calls; i++)
        {
            net.Forward(MnistInput, MnistOutput);
        }

        return Stopwatch.GetTimestamp() - start;
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static long MnistPredictFrozen(int calls)
    {
        int sink = 0;
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < calls; i++)
        {
            sink += FrozenMnistMlp.Predict(MnistInput);
        }

        long elapsed = Stopwatch.GetTimestamp() - start;
        _sink += sink;
        return elapsed;
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static long MnistPredictTrainable(int calls)
    {
        TrainableMnistMlp net = Mnist;
        int sink = 0;
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < calls; i++)
        {
            sink += net.Predict(MnistInput);
        }

        long elapsed = Stopwatch.GetTimestamp() - start;
        _sink += sink;
        return elapsed;
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static long SmallForwardFrozen(int calls)
    {
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < calls; i++)
        {
            FrozenReluSigmoid.Forward(SmallInput, SmallOutput);
        }

        return Stopwatch.GetTimestamp() - start;
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static long SmallForwardTrainable(int calls)
    {
        TrainableReluSigmoid net = Small;
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < calls; i++)
        {
            net.Forward(SmallInput, SmallOutput);
        }

        return Stopwatch.GetTimestamp() - start;
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static long SmallPredictFrozen(int calls)
    {
        int sink = 0;
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < calls; i++)
        {
            sink += FrozenReluSigmoid.Predict(SmallInput);
        }

        long elapsed = Stopwatch.GetTimestamp() - start;
        _sink += sink;
        return elapsed;
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static long SmallPredictTrainable(int calls)
    {
        TrainableReluSigmoid net = Small;
        int sink = 0;
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < calls; i++)
        {
            sink += net.Predict(SmallInput);
        }

        long elapsed = Stopwatch.GetTimestamp() - start;
        _sink += sink;
        return elapsed;
    }
}
