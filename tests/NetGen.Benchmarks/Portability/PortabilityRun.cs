using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Numerics;
using System.Runtime;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using NetGen.Benchmarks.Networks;
using NetGen.Benchmarks.Reference;
using NetGen.Benchmarks.Suite;
using NetGen.Training;

namespace NetGen.Benchmarks.Portability;

/// <summary>
/// The portability table's paired timer (issue 11, docs/benchmarks.md): NetGen against the naive <c>float[]</c> loops on
/// the suite's five networks, <c>Forward</c> and the training step (<c>Backward</c> + <c>Sgd.Step</c>, as the suite's
/// <c>Train_*</c> benchmarks), in one process, in whatever configuration the process runs in: the JIT with any
/// <c>DOTNET_Enable*</c> setting, or Native AOT for any instruction set (BenchmarkDotNet cannot time a native
/// executable). It is built twice from this one file: into tests/NetGen.Benchmarks (<c>--portability</c>) and into
/// tests/NetGen.Portability, which publishes with Native AOT.
/// </summary>
/// <remarks>
/// Both sides of a pair alternate in batches of about <see cref="Options.BatchMilliseconds"/> (the order swapped every
/// round) and the ratio is taken per round, so that both sides of every ratio ran under the same background load on a
/// shared machine. Each batch also reads <see cref="GC.GetAllocatedBytesForCurrentThread"/> before and after, which
/// Native AOT supports as well. The run prints the platform (what the process actually got: vector widths, FMA) and a
/// markdown table, optionally appends tab-separated rows to a file, and exits with 1 if NetGen allocated or the naive
/// network disagreed with it.
/// </remarks>
public static class PortabilityRun
{
    private const float LearningRate = 0.01f;
    private const int TrainingSampleCount = 8;

    /// <summary>What to time and for how long.</summary>
    /// <param name="Rounds">Paired rounds per pair.</param>
    /// <param name="BatchMilliseconds">The length of one side's batch.</param>
    /// <param name="WarmUpMilliseconds">Alternating warm-up per pair before timing (tiered compilation under the JIT).</param>
    /// <param name="Label">Names the configuration in the tab-separated rows.</param>
    /// <param name="TsvPath">Where to append the tab-separated rows, if anywhere.</param>
    /// <param name="Networks">The networks to time (by name), or all.</param>
    /// <param name="Quick">A smoke test: too short for timing (under the JIT much of it runs before tier-up).</param>
    private sealed record Options(int Rounds, double BatchMilliseconds, int WarmUpMilliseconds, string Label, string? TsvPath, string[] Networks, bool Quick);

    /// <summary>One network's inputs and state shared by the two sides of its pairs.</summary>
    private sealed class Data(NaiveNetwork naive, float[] input, float[] output, float[][] inputs, float[][] targets)
    {
        private int _sample;

        public NaiveNetwork Naive { get; } = naive;

        public float[] Input { get; } = input;

        public float[] Output { get; } = output;

        public float[][] Inputs { get; } = inputs;

        public float[][] Targets { get; } = targets;

        /// <summary>The index of the next training sample (the suite's <c>NextSample</c>).</summary>
        public int NextSample() => _sample = (_sample + 1) & (TrainingSampleCount - 1);
    }

    /// <summary>One timed pair: the same operation by NetGen and by the naive network.</summary>
    /// <param name="Bits">The network's <see cref="ResultBits"/>.</param>
    private sealed record Pair(string Network, string Operation, Action<int> NetGen, Action<int> Naive, ulong Bits);

    /// <summary>One pair's results.</summary>
    /// <remarks>
    /// Times are medians per call over the rounds, and the fastest tenth (10th percentile) of each side: on a machine
    /// whose cores other jobs share, many batches are interrupted, and the fastest ones approach what each side costs
    /// without interference; their ratio is a second estimate beside the median of the paired ratios.
    /// </remarks>
    private sealed record Result(
        Pair Pair, double NetGenNs, double NaiveNs, double Ratio, double RatioQ1, double RatioQ3, double NetGenFastNs, double NaiveFastNs, double NetGenBytes, double NaiveBytes);

    /// <summary>
    /// Runs the pairs. Options: <c>--rounds N</c> (default 101), <c>--batch-ms X</c> (1), <c>--warmup-ms N</c> (1000),
    /// <c>--quick</c> (5 rounds of 0.5 ms after 100 ms: a smoke test), <c>--networks xor,iris,...</c>, <c>--label TEXT</c>,
    /// <c>--tsv FILE</c>.
    /// </summary>
    public static int Run(string[] args)
    {
        Options options;
        try
        {
            options = Parse(args);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }

        Console.WriteLine(PlatformLine());
        List<Pair> pairs;
        try
        {
            pairs = Pairs(options.Networks);
        }
        catch (InvalidOperationException e)
        {
            Console.Error.WriteLine(e.Message);
            return 1;
        }

        string[] unknown = options.Networks.Except(pairs.Select(p => p.Network)).ToArray();
        if (unknown.Length > 0)
        {
            Console.Error.WriteLine($"Unknown network(s) {string.Join(", ", unknown)}; the networks are xor, iris, digits, mnist, deep.");
            return 2;
        }

        // One line to compare between configurations: equal within an instruction-set class (docs/platforms.md).
        ulong all = pairs.Select(p => p.Bits).Distinct().Aggregate(Fnv.Offset, Fnv.Add);
        Console.WriteLine($"Bits: {string.Join(", ", pairs.DistinctBy(p => p.Network).Select(p => $"{p.Network} {p.Bits:x16}"))}; all={all:x16}");

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Paired timer: {options.Rounds} rounds of ~{options.BatchMilliseconds} ms per side, order swapped every round, after {options.WarmUpMilliseconds} ms of warm-up; medians, ratio = NetGen / naive per round (quartiles)."));
        Console.WriteLine();
        Console.WriteLine("| network | operation | NetGen | naive | NetGen / naive (quartiles) | NetGen speed-up | fastest tenth: NetGen, naive, ratio | NetGen B/op | naive B/op |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---:|");
        var results = new List<Result>();
        foreach (Pair pair in pairs)
        {
            Result result = Measure(pair, options);
            results.Add(result);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {pair.Network} | {pair.Operation} | {Time(result.NetGenNs)} | {Time(result.NaiveNs)} | {result.Ratio:0.000} ({result.RatioQ1:0.000}-{result.RatioQ3:0.000}) | {1 / result.Ratio:0.0}x | {Time(result.NetGenFastNs)}, {Time(result.NaiveFastNs)}, {result.NetGenFastNs / result.NaiveFastNs:0.000} | {Bytes(result.NetGenBytes)} | {Bytes(result.NaiveBytes)} |"));
        }

        if (options.TsvPath is not null)
        {
            string platform = PlatformSummary();
            File.AppendAllLines(options.TsvPath, results.Select(r => string.Create(CultureInfo.InvariantCulture,
                $"{options.Label}\t{platform}\t{r.Pair.Network}\t{r.Pair.Operation}\t{r.NetGenNs:0.###}\t{r.NaiveNs:0.###}\t{r.Ratio:0.0000}\t{r.RatioQ1:0.0000}\t{r.RatioQ3:0.0000}\t{r.NetGenFastNs:0.###}\t{r.NaiveFastNs:0.###}\t{r.NetGenBytes:0.###}\t{r.NaiveBytes:0.###}")));
        }

        Result[] allocating = results.Where(r => r.NetGenBytes > 0).ToArray();
        foreach (Result r in allocating)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"FAIL: NetGen {r.Pair.Network} {r.Pair.Operation} allocated {r.NetGenBytes:0.###} bytes per call."));
        }

        string faster = options.Quick ? "quick run, times not meaningful" : $"NetGen faster than naive in {results.Count(r => r.Ratio < 1)}";
        Console.WriteLine($"Portability: {results.Count} pairs timed; {faster}; NetGen allocated in {allocating.Length}.");
        return allocating.Length == 0 ? 0 : 1;
    }

    /// <summary>
    /// The pairs of every selected network, after checking that its naive network computes what NetGen computes (the
    /// suite's <see cref="NaiveAgreement"/>, on the suite's inputs). Each lambda calls the generated class directly on its
    /// exact (sealed) type, as a user's code and the suite's benchmarks do, with the loop inside: one delegate call per
    /// batch, not per call.
    /// </summary>
    private static List<Pair> Pairs(string[] networks)
    {
        var pairs = new List<Pair>();
        void Add<TNet>(NetworkSpec spec, Action<TNet, Data, int> forward, Action<TNet, Data, int> train)
            where TNet : class, INetwork, new()
        {
            if (networks.Length > 0 && !networks.Contains(spec.Name))
            {
                return;
            }

            var net = new TNet();
            var random = new Random(20251126); // the suite's seed: the same samples as its benchmarks
            (float[][] inputs, float[][] targets) = BenchmarkData.TrainingSamples(spec, TrainingSampleCount, random);
            float[] input = BenchmarkData.Input(spec, random);
            var naive = new NaiveNetwork(spec, net.Parameters);
            NaiveAgreement.Check(spec, net, naive, [input, .. inputs], inputs[0], targets[0], LearningRate);
            ulong bits = ResultBits(net, [input, .. inputs], targets);
            var data = new Data(naive, input, new float[spec.Outputs], inputs, targets);
            pairs.Add(new Pair(spec.Name, "Forward", calls => forward(net, data, calls), calls => NaiveForward(data, calls), bits));
            pairs.Add(new Pair(spec.Name, "Train", calls => train(net, data, calls), calls => NaiveTrain(data, calls), bits));
        }

        Add<XorNet>(NetworkSpec.Xor,
            static (net, d, calls) => { for (int i = 0; i < calls; i++) { net.Forward(d.Input, d.Output); } },
            static (net, d, calls) => { for (int i = 0; i < calls; i++) { int k = d.NextSample(); net.Backward(d.Inputs[k], d.Targets[k]); Sgd.Step(net, LearningRate); } });
        Add<IrisNet>(NetworkSpec.Iris,
            static (net, d, calls) => { for (int i = 0; i < calls; i++) { net.Forward(d.Input, d.Output); } },
            static (net, d, calls) => { for (int i = 0; i < calls; i++) { int k = d.NextSample(); net.Backward(d.Inputs[k], d.Targets[k]); Sgd.Step(net, LearningRate); } });
        Add<DigitsNet>(NetworkSpec.Digits,
            static (net, d, calls) => { for (int i = 0; i < calls; i++) { net.Forward(d.Input, d.Output); } },
            static (net, d, calls) => { for (int i = 0; i < calls; i++) { int k = d.NextSample(); net.Backward(d.Inputs[k], d.Targets[k]); Sgd.Step(net, LearningRate); } });
        Add<MnistNet>(NetworkSpec.Mnist,
            static (net, d, calls) => { for (int i = 0; i < calls; i++) { net.Forward(d.Input, d.Output); } },
            static (net, d, calls) => { for (int i = 0; i < calls; i++) { int k = d.NextSample(); net.Backward(d.Inputs[k], d.Targets[k]); Sgd.Step(net, LearningRate); } });
        Add<DeepNet>(NetworkSpec.Deep,
            static (net, d, calls) => { for (int i = 0; i < calls; i++) { net.Forward(d.Input, d.Output); } },
            static (net, d, calls) => { for (int i = 0; i < calls; i++) { int k = d.NextSample(); net.Backward(d.Inputs[k], d.Targets[k]); Sgd.Step(net, LearningRate); } });
        return pairs;
    }

    /// <summary>
    /// A 64-bit FNV-1a hash of the bits of <c>Forward</c>'s outputs on <paramref name="inputs"/>, then of the losses
    /// of <c>Backward</c> on the training samples (<paramref name="inputs"/> after the first, with
    /// <paramref name="targets"/>) and the gradients they sum to: the numbers the reproducibility policy promises to
    /// repeat bit for bit within an instruction-set class, JIT or Native AOT. Leaves the gradients cleared.
    /// </summary>
    private static ulong ResultBits<TNet>(TNet net, float[][] inputs, float[][] targets)
        where TNet : class, INetwork
    {
        ulong hash = Fnv.Offset;
        var output = new float[TNet.OutputCount];
        foreach (float[] input in inputs)
        {
            net.Forward(input, output);
            hash = Fnv.Add(hash, output);
        }

        net.ZeroGradients();
        for (int k = 0; k < targets.Length; k++)
        {
            hash = Fnv.Add(hash, [net.Backward(inputs[k + 1], targets[k])]);
        }

        hash = Fnv.Add(hash, net.Gradients);
        net.ZeroGradients();
        return hash;
    }

    /// <summary>64-bit FNV-1a over 32-bit words.</summary>
    private static class Fnv
    {
        public const ulong Offset = 14695981039346656037;

        public static ulong Add(ulong hash, ulong word) => (hash ^ word) * 1099511628211;

        public static ulong Add(ulong hash, ReadOnlySpan<float> values)
        {
            foreach (float value in values)
            {
                hash = Add(hash, BitConverter.SingleToUInt32Bits(value));
            }

            return hash;
        }
    }

    private static void NaiveForward(Data d, int calls)
    {
        for (int i = 0; i < calls; i++)
        {
            d.Naive.Forward(d.Input, d.Output);
        }
    }

    private static void NaiveTrain(Data d, int calls)
    {
        for (int i = 0; i < calls; i++)
        {
            int k = d.NextSample();
            d.Naive.Backward(d.Inputs[k], d.Targets[k]);
            d.Naive.Step(LearningRate);
        }
    }

    private static Result Measure(Pair pair, Options options)
    {
        // Calls per batch, estimated once before and again after the warm-up (the first estimate runs unoptimised code).
        int netGenCalls = Calibrate(pair.NetGen, options.BatchMilliseconds);
        int naiveCalls = Calibrate(pair.Naive, options.BatchMilliseconds);
        var warmUp = Stopwatch.StartNew();
        while (warmUp.ElapsedMilliseconds < options.WarmUpMilliseconds)
        {
            pair.NetGen(Math.Max(1, netGenCalls / 5));
            pair.Naive(Math.Max(1, naiveCalls / 5));

            // Leaves the background compiler a core for tier-up under the JIT (no effect under Native AOT).
            System.Threading.Thread.Sleep(5);
        }

        netGenCalls = Calibrate(pair.NetGen, options.BatchMilliseconds);
        naiveCalls = Calibrate(pair.Naive, options.BatchMilliseconds);

        int rounds = options.Rounds;
        double[] netGenNs = new double[rounds], naiveNs = new double[rounds], ratios = new double[rounds];
        long netGenBytes = 0, naiveBytes = 0;
        for (int round = 0; round < rounds; round++)
        {
            (long Ticks, long Bytes) netGen, naive;
            if (round % 2 == 0)
            {
                netGen = Batch(pair.NetGen, netGenCalls);
                naive = Batch(pair.Naive, naiveCalls);
            }
            else
            {
                naive = Batch(pair.Naive, naiveCalls);
                netGen = Batch(pair.NetGen, netGenCalls);
            }

            netGenNs[round] = netGen.Ticks * 1e9 / Stopwatch.Frequency / netGenCalls;
            naiveNs[round] = naive.Ticks * 1e9 / Stopwatch.Frequency / naiveCalls;
            ratios[round] = netGenNs[round] / naiveNs[round];
            netGenBytes += netGen.Bytes;
            naiveBytes += naive.Bytes;
        }

        Array.Sort(ratios);
        Array.Sort(netGenNs);
        Array.Sort(naiveNs);
        return new Result(pair, netGenNs[rounds / 2], naiveNs[rounds / 2], ratios[rounds / 2], ratios[rounds / 4], ratios[3 * rounds / 4],
            netGenNs[rounds / 10], naiveNs[rounds / 10], (double)netGenBytes / ((long)rounds * netGenCalls), (double)naiveBytes / ((long)rounds * naiveCalls));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (long Ticks, long Bytes) Batch(Action<int> body, int calls)
    {
        long bytes = GC.GetAllocatedBytesForCurrentThread();
        long start = Stopwatch.GetTimestamp();
        body(calls);
        long ticks = Stopwatch.GetTimestamp() - start;
        return (ticks, GC.GetAllocatedBytesForCurrentThread() - bytes);
    }

    /// <summary>The calls that take about <paramref name="milliseconds"/>: doubled until a batch takes 1/8 of that, then scaled.</summary>
    private static int Calibrate(Action<int> body, double milliseconds)
    {
        double target = milliseconds * Stopwatch.Frequency / 1000;
        int calls = 1;
        while (true)
        {
            long ticks = Batch(body, calls).Ticks;
            if (ticks >= target / 8 || calls >= 1 << 24)
            {
                return (int)Math.Clamp(calls * target / Math.Max(ticks, 1), 1, 1 << 26);
            }

            calls *= 2;
        }
    }

    private static string Time(double ns) => ns >= 1000
        ? (ns / 1000).ToString("0.00", CultureInfo.InvariantCulture) + " µs"
        : ns.ToString("0.0", CultureInfo.InvariantCulture) + " ns";

    private static string Bytes(double bytesPerCall) => bytesPerCall == 0 ? "0" : bytesPerCall.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>What this process runs on: the facts the generated code and the kernels branch on, as the process sees them.</summary>
    private static string PlatformLine()
    {
        string environment = string.Join(" ", Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(k => k.StartsWith("DOTNET_Enable", StringComparison.Ordinal) || k.StartsWith("DOTNET_PreferredVectorBitWidth", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(k => $"{k}={Environment.GetEnvironmentVariable(k)}"));
        return $"Platform: {RuntimeInformation.ProcessArchitecture}, {RuntimeInformation.FrameworkDescription}, "
            + $"{(IsJit ? "JIT" : "Native AOT")}; {PlatformSummary()}"
            + (environment.Length > 0 ? $"; environment: {environment}" : string.Empty);
    }

    /// <summary>The vector facts in one short string (also the tab-separated rows' second column).</summary>
    private static string PlatformSummary()
        => $"{(IsJit ? "JIT" : "AOT")} Vector<float>.Count={Vector<float>.Count} "
            + $"V128={Flag(Vector128.IsHardwareAccelerated)} V256={Flag(Vector256.IsHardwareAccelerated)} V512={Flag(Vector512.IsHardwareAccelerated)} "
            + $"Sse42={Flag(Sse42.IsSupported)} Avx={Flag(Avx.IsSupported)} Avx2={Flag(Avx2.IsSupported)} Fma={Flag(Fma.IsSupported)} Avx512F={Flag(Avx512F.IsSupported)} AdvSimd={Flag(AdvSimd.IsSupported)}";

    /// <summary>
    /// Whether this process runs on the JIT: it has compiled methods. (<see cref="RuntimeFeature.IsDynamicCodeCompiled"/>
    /// cannot tell: a <c>PublishAot</c> project's runtimeconfig turns it off under the JIT too.)
    /// </summary>
    private static bool IsJit => JitInfo.GetCompiledMethodCount() > 0;

    private static string Flag(bool value) => value ? "1" : "0";

    private static Options Parse(string[] args)
    {
        var options = new Options(101, 1, 1000, IsJit ? "JIT" : "AOT", null, [], Quick: false);
        for (int i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            options = args[i] switch
            {
                "--quick" => options with { Rounds = 5, BatchMilliseconds = 0.5, WarmUpMilliseconds = 100, Quick = true },
                "--rounds" => options with { Rounds = Math.Max(1, int.Parse(Value(), CultureInfo.InvariantCulture)) },
                "--batch-ms" => options with { BatchMilliseconds = double.Parse(Value(), CultureInfo.InvariantCulture) },
                "--warmup-ms" => options with { WarmUpMilliseconds = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--label" => options with { Label = Value() },
                "--tsv" => options with { TsvPath = Value() },
                "--networks" => options with { Networks = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) },
                _ => throw new ArgumentException(
                    $"Unknown option {args[i]}. Options: --quick, --rounds N, --batch-ms X, --warmup-ms N, --networks xor,iris,digits,mnist,deep, --label TEXT, --tsv FILE."),
            };
        }

        return options;
    }
}
