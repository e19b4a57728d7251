using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace NetGen.Tests;

/// <summary>
/// The checks of NetGen's sequence networks against PyTorch, without a test framework of their own: for the networks
/// of <c>SequenceReferenceNetworks.cs</c>, with the weights of <c>TestData/reference/sequence_reference.json</c>
/// (written by <c>make_sequence_reference.py</c> with PyTorch's <c>nn.GRU</c>, <c>nn.LSTM</c>, <c>nn.RNN</c> and
/// <c>nn.Linear</c>, float32), every output of <c>Forward</c> (on each whole sequence and on each of its prefixes),
/// every output of the streaming <c>Step</c>, every loss returned by <c>Backward</c> and every per-sample gradient must
/// equal PyTorch's within <see cref="AbsoluteTolerance"/> + <see cref="RelativeTolerance"/> · |PyTorch's value|.
/// SequenceReferenceValueTests runs them as xunit facts and theories (one case per network), and the conformance runner
/// (tests/NetGen.Conformance, which links this file) runs them on every platform it is published for.
/// </summary>
internal static class SequenceReferenceChecks
{
    /// <summary>
    /// Absolute part of the tolerance, 2.5x that of the dense <see cref="ReferenceValueTests"/> (~42 float32 ulps at 1).
    /// A recurrent network feeds each step's rounding into every later step, and backpropagation through time sums a
    /// weight's gradient over all steps (up to 50 here), so errors grow with the sequence; the 50-step Tanh RNN
    /// (RefRnnTanhIdentityMse) amplifies them most. Measured: PyTorch's own float32 results lie at most 3.8e-7
    /// (outputs), 4.1e-7 (prefix outputs), 7.0e-7 (losses) and 1.9e-6 (gradients) from the same model in float64 (the
    /// script asserts they stay within a quarter of this tolerance), and a plain float32 C# implementation of the same
    /// equations (NetGen's scalar activations and losses, other summation orders) came within 6.6e-7 of PyTorch's
    /// outputs and 1.9e-6 of its gradients: at most 13% of this tolerance, which leaves room for SIMD, FMA and other
    /// CPUs. The dense tests' 2e-6 would leave only a factor of 3. A real mistake (a wrong gate order, the GRU's
    /// b_hn outside r, a cell-state gradient not carried back a step, a stale state) is off by 1e-3 to 1.
    /// </summary>
    private const float AbsoluteTolerance = 5e-6f;

    /// <summary>Relative part of the tolerance (~420 ulps), 2.5x that of the dense tests, for values above 0.1.</summary>
    private const float RelativeTolerance = 5e-5f;

    /// <summary>Every reference network, by the class name the JSON file uses, bound to its generic check.</summary>
    /// <remarks>
    /// <c>State</c> is a type nested in each network, so the table passes it as a second type argument and binds the
    /// instance method <c>Step</c> to the delegate <see cref="StepFunction{TState}"/> (<c>net =&gt; net.Step</c>).
    /// </remarks>
    private static readonly Dictionary<string, Action<INetworkCheck, SequenceNetwork>> Networks = new()
    {
        [nameof(RefGruSoftmaxCrossEntropy)] = (check, reference) =>
            check.Run<RefGruSoftmaxCrossEntropy, RefGruSoftmaxCrossEntropy.State>(reference, net => net.Step),
        [nameof(RefLstmSigmoidBce)] = (check, reference) =>
            check.Run<RefLstmSigmoidBce, RefLstmSigmoidBce.State>(reference, net => net.Step),
        [nameof(RefRnnTanhIdentityMse)] = (check, reference) =>
            check.Run<RefRnnTanhIdentityMse, RefRnnTanhIdentityMse.State>(reference, net => net.Step),
        [nameof(RefRnnReluLeakyTanhMse)] = (check, reference) =>
            check.Run<RefRnnReluLeakyTanhMse, RefRnnReluLeakyTanhMse.State>(reference, net => net.Step),
        [nameof(RefGruGruReluSoftmaxMse)] = (check, reference) =>
            check.Run<RefGruGruReluSoftmaxMse, RefGruGruReluSoftmaxMse.State>(reference, net => net.Step),
        [nameof(RefLstmGruSoftmaxCrossEntropy)] = (check, reference) =>
            check.Run<RefLstmGruSoftmaxCrossEntropy, RefLstmGruSoftmaxCrossEntropy.State>(reference, net => net.Step),
        [nameof(RefRnnReluLstmSigmoidMse)] = (check, reference) =>
            check.Run<RefRnnReluLstmSigmoidMse, RefRnnReluLstmSigmoidMse.State>(reference, net => net.Step),
        [nameof(RefGruRnnLstmSigmoidBce)] = (check, reference) =>
            check.Run<RefGruRnnLstmSigmoidBce, RefGruRnnLstmSigmoidBce.State>(reference, net => net.Step),
        [nameof(RefGru1IdentityMse)] = (check, reference) =>
            check.Run<RefGru1IdentityMse, RefGru1IdentityMse.State>(reference, net => net.Step),
        [nameof(RefLstm1SigmoidBce)] = (check, reference) =>
            check.Run<RefLstm1SigmoidBce, RefLstm1SigmoidBce.State>(reference, net => net.Step),
        [nameof(RefRnn1TanhRnn1ReluMse)] = (check, reference) =>
            check.Run<RefRnn1TanhRnn1ReluMse, RefRnn1TanhRnn1ReluMse.State>(reference, net => net.Step),
        [nameof(RefGru64TanhSoftmaxCrossEntropy)] = (check, reference) =>
            check.Run<RefGru64TanhSoftmaxCrossEntropy, RefGru64TanhSoftmaxCrossEntropy.State>(reference, net => net.Step),
        [nameof(RefRnnRelu64LstmLeakyMse)] = (check, reference) =>
            check.Run<RefRnnRelu64LstmLeakyMse, RefRnnRelu64LstmLeakyMse.State>(reference, net => net.Step),
        [nameof(RefSaturatedLstmTanhMse)] = (check, reference) =>
            check.Run<RefSaturatedLstmTanhMse, RefSaturatedLstmTanhMse.State>(reference, net => net.Step),
    };

    private static readonly Lazy<SequenceReferenceFile> LazyReference = new(Load);

    /// <summary>A network's streaming <c>Step(ref State, ReadOnlySpan&lt;float&gt;, Span&lt;float&gt;)</c>, bound to an instance.</summary>
    private delegate void StepFunction<TState>(ref TState state, ReadOnlySpan<float> features, Span<float> output)
        where TState : struct;

    private interface INetworkCheck
    {
        void Run<TNet, TState>(SequenceNetwork reference, Func<TNet, StepFunction<TState>> step)
            where TNet : INetwork, new()
            where TState : struct;
    }

    internal enum LayerKind
    {
        Gru,
        Lstm,
        Rnn,
        Dense,
    }

    /// <summary>The reference networks' class names, in ordinal order.</summary>
    public static string[] NetworkNames => Networks.Keys.Order(StringComparer.Ordinal).ToArray();

    /// <summary>The file, read once.</summary>
    public static SequenceReferenceFile Reference => LazyReference.Value;

    /// <summary>The file holds exactly the networks declared in SequenceReferenceNetworks.cs (the table above).</summary>
    public static void FileHoldsExactlyTheDeclaredNetworks()
    {
        string[] inFile = Reference.Networks.Select(n => n.Name).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(NetworkNames, inFile);
    }

    /// <summary>Every length in the file agrees with the layers, and each sample's last prefix output is its output.</summary>
    public static void FileIsConsistent()
    {
        foreach (SequenceNetwork network in Reference.Networks)
        {
            string name = network.Name;
            int outputs = network.Layers[^1].Units;
            Assert.True(network.Layers[^1].Kind == LayerKind.Dense, $"{name}: the last layer is not dense");
            Assert.Equal(ParameterCount(network), network.ParameterCount);
            Assert.Equal(network.ParameterCount, network.Parameters.Length);
            foreach (SequenceSample sample in network.Samples)
            {
                string what = $"{name} {sample.Steps}-step sample";
                Assert.True(sample.Steps >= 1 && sample.Steps <= network.MaxSteps, $"{what}: steps out of range");
                Assert.True(sample.Sequence.Length == sample.Steps * network.Inputs, $"{what}: sequence length");
                Assert.True(sample.Target.Length == outputs, $"{what}: target length");
                Assert.True(sample.Output.Length == outputs, $"{what}: output length");
                Assert.True(sample.PrefixOutputs.Length == sample.Steps * outputs, $"{what}: prefix outputs length");
                Assert.True(sample.Gradients.Length == network.ParameterCount, $"{what}: gradients length");

                // The output after the last step is the output of the whole sequence, bit for bit (the same PyTorch run).
                Assert.Equal(sample.Output, sample.PrefixOutputs[^outputs..]);
            }
        }
    }

    /// <summary>The C# declaration says what the JSON file says: inputs, layers in order, loss, MaxSteps and sizes.</summary>
    public static void Declaration(string network) => RunCheck(network, new DeclarationCheck());

    /// <summary>Forward on each whole sample gives PyTorch's output.</summary>
    public static void Forward(string network) => RunCheck(network, new ForwardCheck());

    /// <summary>Forward on the first t steps of each sample gives PyTorch's output after step t, for every t.</summary>
    public static void ForwardOnEveryPrefix(string network) => RunCheck(network, new PrefixCheck());

    /// <summary>Step from <c>default(State)</c> gives PyTorch's output after each step, and Forward's on that prefix.</summary>
    public static void StepStreamsThePrefixOutputs(string network) => RunCheck(network, new StepCheck());

    /// <summary>All samples streamed at once through one instance, each in its own State, Backward in between.</summary>
    public static void StepKeepsEachSequenceInItsOwnState(string network) => RunCheck(network, new InterleavedStepCheck());

    /// <summary>Backward's loss is PyTorch's.</summary>
    public static void BackwardLoss(string network) => RunCheck(network, new LossCheck());

    /// <summary>Backward's per-sample gradients are PyTorch's, and it keeps the parameters.</summary>
    public static void BackwardGradients(string network) => RunCheck(network, new GradientCheck());

    /// <summary>Backward without ZeroGradients in between leaves the sum of the samples' PyTorch gradients.</summary>
    public static void Accumulation(string network) => RunCheck(network, new AccumulationCheck());

    private static void RunCheck(string name, INetworkCheck check)
    {
        SequenceNetwork reference = Reference.Networks.Single(n => n.Name == name);
        Networks[name](check, reference);
    }

    /// <summary>A network of type <typeparamref name="TNet"/> holding the reference weights.</summary>
    private static TNet Create<TNet>(SequenceNetwork reference)
        where TNet : INetwork, new()
    {
        var net = new TNet();
        Assert.Equal(reference.ParameterCount, net.Parameters.Length);
        Assert.Equal(reference.ParameterCount, net.Gradients.Length);
        reference.Parameters.CopyTo(net.Parameters);
        return net;
    }

    /// <summary>The features of step <paramref name="step"/> (0-based) of a sample.</summary>
    private static ReadOnlySpan<float> Features(SequenceNetwork reference, SequenceSample sample, int step) =>
        sample.Sequence.AsSpan(step * reference.Inputs, reference.Inputs);

    /// <summary>PyTorch's output after steps 0..<paramref name="step"/> of a sample.</summary>
    private static ReadOnlySpan<float> PrefixOutput(SequenceNetwork reference, SequenceSample sample, int step)
    {
        int outputs = reference.Layers[^1].Units;
        return sample.PrefixOutputs.AsSpan(step * outputs, outputs);
    }

    private static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: expected {expected.Length} values, got {actual.Length}");
        int mismatches = 0;
        int first = -1;
        double worst = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double excess = Math.Abs((double)actual[i] - expected[i]) / Tolerance(expected[i]);
            if (!(excess <= 1))
            {
                mismatches++;
                first = first < 0 ? i : first;
            }

            worst = Math.Max(worst, excess);
        }

        Check.Observe(worst);

        Assert.True(
            mismatches == 0,
            $"{what}: {mismatches} of {expected.Length} values differ from the reference beyond tolerance; first at [{first}]: "
            + $"expected {(first < 0 ? 0 : expected[first]):R}, got {(first < 0 ? 0 : actual[first]):R} (worst error {worst:F1}x the tolerance)");
    }

    private static void AssertClose(float expected, float actual, string what) => AssertClose([expected], [actual], what);

    private static double Tolerance(double expected) => AbsoluteTolerance + (RelativeTolerance * Math.Abs(expected));

    /// <summary>The parameter count the layers imply: per recurrent layer G·units·(inputs + units + 2), G = 3, 4, 1.</summary>
    private static int ParameterCount(SequenceNetwork network)
    {
        int count = 0;
        int inputs = network.Inputs;
        foreach (ReferenceLayer layer in network.Layers)
        {
            int gates = layer.Kind switch
            {
                LayerKind.Gru => 3,
                LayerKind.Lstm => 4,
                LayerKind.Rnn => 1,
                _ => 0,
            };
            count += layer.Kind == LayerKind.Dense
                ? layer.Units * (inputs + 1)
                : gates * layer.Units * (inputs + layer.Units + 2);
            inputs = layer.Units;
        }

        return count;
    }

    /// <summary>Reads TestData/reference/sequence_reference.json next to the assembly (the tests and the runner copy it there).</summary>
    public static SequenceReferenceFile Load()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "TestData", "reference", "sequence_reference.json");
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            Converters = { new JsonStringEnumConverter(allowIntegerValues: false) },
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
        };
        using FileStream stream = File.OpenRead(path);
        SequenceReferenceFile file = JsonSerializer.Deserialize<SequenceReferenceFile>(stream, options)
            ?? throw new InvalidDataException($"{path} is empty.");
        Assert.Equal("netgen-sequence-reference-values/1", file.Format);
        return file;
    }

    /// <summary>The C# declaration says what the JSON file says: inputs, layers in order, loss, MaxSteps and sizes.</summary>
    private sealed class DeclarationCheck : INetworkCheck
    {
        public void Run<TNet, TState>(SequenceNetwork reference, Func<TNet, StepFunction<TState>> step)
            where TNet : INetwork, new()
            where TState : struct
        {
            NetworkAttribute network = typeof(TNet).GetCustomAttribute<NetworkAttribute>()!;

            // Attributes come back in declaration order (the compiler emits them in source order).
            ReferenceLayer[] declared = typeof(TNet).GetCustomAttributes(inherit: false)
                .Select(attribute => attribute switch
                {
                    GruAttribute gru => new ReferenceLayer(LayerKind.Gru, gru.Units, null),
                    LstmAttribute lstm => new ReferenceLayer(LayerKind.Lstm, lstm.Units, null),
                    RnnAttribute rnn => new ReferenceLayer(LayerKind.Rnn, rnn.Units, rnn.Activation),
                    DenseAttribute dense => new ReferenceLayer(LayerKind.Dense, dense.Units, dense.Activation),
                    _ => null,
                })
                .OfType<ReferenceLayer>()
                .ToArray();
            Assert.Equal(reference.Inputs, network.Inputs);
            Assert.Equal(reference.Loss, network.Loss);
            Assert.Equal(reference.MaxSteps, network.MaxSteps);
            Assert.Equal(reference.Layers, declared);
            Assert.Equal(reference.Inputs, TNet.InputCount);
            Assert.Equal(reference.Layers[^1].Units, TNet.OutputCount);
            Assert.Equal(reference.ParameterCount, TNet.ParameterCount);
            Assert.Equal(reference.MaxSteps, TNet.MaxSteps);
            Assert.Equal(reference.Loss, TNet.LossFunction);
            Assert.Equal(reference.ParameterCount, Create<TNet>(reference).Parameters.Length);
        }
    }

    private sealed class ForwardCheck : INetworkCheck
    {
        public void Run<TNet, TState>(SequenceNetwork reference, Func<TNet, StepFunction<TState>> step)
            where TNet : INetwork, new()
            where TState : struct
        {
            TNet net = Create<TNet>(reference);
            var output = new float[TNet.OutputCount];
            foreach (SequenceSample sample in reference.Samples)
            {
                Array.Fill(output, float.NaN);
                net.Forward(sample.Sequence, output);
                AssertClose(sample.Output, output, $"{reference.Name} {sample.Steps}-step output");
            }
        }
    }

    /// <summary><c>Forward</c> on the first t steps of a sample gives PyTorch's output after step t, for every t.</summary>
    private sealed class PrefixCheck : INetworkCheck
    {
        public void Run<TNet, TState>(SequenceNetwork reference, Func<TNet, StepFunction<TState>> step)
            where TNet : INetwork, new()
            where TState : struct
        {
            TNet net = Create<TNet>(reference);
            var output = new float[TNet.OutputCount];
            foreach (SequenceSample sample in reference.Samples)
            {
                for (int t = 0; t < sample.Steps; t++)
                {
                    Array.Fill(output, float.NaN);
                    net.Forward(sample.Sequence.AsSpan(0, (t + 1) * reference.Inputs), output);
                    AssertClose(PrefixOutput(reference, sample, t), output, $"{reference.Name} {sample.Steps}-step sample, Forward on {t + 1} steps");
                }
            }
        }
    }

    /// <summary>
    /// Streaming from <c>default(State)</c>, the output after each <c>Step</c> matches PyTorch's output on that prefix
    /// and <c>Forward</c> on the same prefix (design §1b: "equal to Forward on that prefix"; compared within the
    /// tolerance, not bit for bit, so that the generator may order Forward's sums differently).
    /// </summary>
    private sealed class StepCheck : INetworkCheck
    {
        public void Run<TNet, TState>(SequenceNetwork reference, Func<TNet, StepFunction<TState>> step)
            where TNet : INetwork, new()
            where TState : struct
        {
            TNet net = Create<TNet>(reference);
            StepFunction<TState> stepOf = step(net);
            var streamed = new float[TNet.OutputCount];
            var forward = new float[TNet.OutputCount];
            foreach (SequenceSample sample in reference.Samples)
            {
                TState state = default;
                for (int t = 0; t < sample.Steps; t++)
                {
                    string what = $"{reference.Name} {sample.Steps}-step sample, Step {t + 1}";
                    Array.Fill(streamed, float.NaN);
                    stepOf(ref state, Features(reference, sample, t), streamed);
                    AssertClose(PrefixOutput(reference, sample, t), streamed, what);

                    net.Forward(sample.Sequence.AsSpan(0, (t + 1) * reference.Inputs), forward);
                    AssertClose(forward, streamed, $"{what} vs Forward on {t + 1} steps");
                }
            }
        }
    }

    /// <summary>
    /// All samples streamed at once through one instance, one step of each in turn, each with its own state: a network
    /// keeps nothing of a sequence outside its <c>State</c>, and <c>Backward</c> in between does not disturb it.
    /// </summary>
    private sealed class InterleavedStepCheck : INetworkCheck
    {
        public void Run<TNet, TState>(SequenceNetwork reference, Func<TNet, StepFunction<TState>> step)
            where TNet : INetwork, new()
            where TState : struct
        {
            TNet net = Create<TNet>(reference);
            StepFunction<TState> stepOf = step(net);
            SequenceSample[] samples = reference.Samples;
            var states = new TState[samples.Length];
            var output = new float[TNet.OutputCount];
            int longest = samples.Max(s => s.Steps);
            for (int t = 0; t < longest; t++)
            {
                for (int s = 0; s < samples.Length; s++)
                {
                    if (t < samples[s].Steps)
                    {
                        Array.Fill(output, float.NaN);
                        stepOf(ref states[s], Features(reference, samples[s], t), output);
                        AssertClose(PrefixOutput(reference, samples[s], t), output, $"{reference.Name} {samples[s].Steps}-step sample, interleaved Step {t + 1}");
                    }
                }

                SequenceSample other = samples[t % samples.Length];
                net.Backward(other.Sequence, other.Target);
            }
        }
    }

    private sealed class LossCheck : INetworkCheck
    {
        public void Run<TNet, TState>(SequenceNetwork reference, Func<TNet, StepFunction<TState>> step)
            where TNet : INetwork, new()
            where TState : struct
        {
            TNet net = Create<TNet>(reference);
            foreach (SequenceSample sample in reference.Samples)
            {
                net.ZeroGradients();
                AssertClose(sample.Loss, net.Backward(sample.Sequence, sample.Target), $"{reference.Name} {sample.Steps}-step loss");
            }
        }
    }

    private sealed class GradientCheck : INetworkCheck
    {
        public void Run<TNet, TState>(SequenceNetwork reference, Func<TNet, StepFunction<TState>> step)
            where TNet : INetwork, new()
            where TState : struct
        {
            TNet net = Create<TNet>(reference);
            foreach (SequenceSample sample in reference.Samples)
            {
                net.Gradients.Fill(float.NaN); // ZeroGradients must clear everything Backward then adds to
                net.ZeroGradients();
                net.Backward(sample.Sequence, sample.Target);
                AssertClose(sample.Gradients, net.Gradients, $"{reference.Name} {sample.Steps}-step gradients");
                AssertClose(reference.Parameters, net.Parameters, $"{reference.Name} parameters after Backward");
            }
        }
    }

    /// <summary>
    /// Without <c>ZeroGradients</c> in between, <c>Backward</c> leaves the sum of the samples' PyTorch gradients. The
    /// samples go longest first, so each shorter sequence runs on a workspace that still holds a longer one's steps.
    /// </summary>
    private sealed class AccumulationCheck : INetworkCheck
    {
        public void Run<TNet, TState>(SequenceNetwork reference, Func<TNet, StepFunction<TState>> step)
            where TNet : INetwork, new()
            where TState : struct
        {
            TNet net = Create<TNet>(reference);
            var sum = new double[TNet.ParameterCount];
            var magnitude = new double[TNet.ParameterCount];
            SequenceSample[] longestFirst = reference.Samples.OrderByDescending(s => s.Steps).ToArray();
            net.ZeroGradients();
            foreach (SequenceSample sample in longestFirst)
            {
                net.Backward(sample.Sequence, sample.Target);
                for (int i = 0; i < sum.Length; i++)
                {
                    sum[i] += sample.Gradients[i];
                    magnitude[i] += Math.Abs(sample.Gradients[i]);
                }
            }

            ReadOnlySpan<float> gradients = net.Gradients;
            for (int i = 0; i < sum.Length; i++)
            {
                // Each term may carry the per-sample tolerance, so the sum may carry their sum.
                double tolerance = (longestFirst.Length * AbsoluteTolerance) + (RelativeTolerance * magnitude[i]);
                Check.Observe(Math.Abs(gradients[i] - sum[i]) / tolerance);
                Assert.True(
                    Math.Abs(gradients[i] - sum[i]) <= tolerance,
                    $"{reference.Name} accumulated gradient [{i}]: expected {sum[i]:R}, got {gradients[i]:R}");
            }
        }
    }

    internal sealed record SequenceReferenceFile(string Format, string Torch, int Seed, SequenceNetwork[] Networks);

    internal sealed record SequenceNetwork(
        string Name, int Inputs, int MaxSteps, ReferenceLayer[] Layers, Loss Loss, int ParameterCount, float[] Parameters, SequenceSample[] Samples);

    /// <summary>A layer: <c>Activation</c> is null for GRU and LSTM layers (their gates' functions are fixed).</summary>
    internal sealed record ReferenceLayer(LayerKind Kind, int Units, Activation? Activation);

    /// <summary>One sequence: <c>Sequence</c> is [steps, inputs] and <c>PrefixOutputs</c> [steps, outputs], row-major.</summary>
    internal sealed record SequenceSample(
        int Steps, float[] Sequence, float[] Target, float[] Output, float Loss, float[] Gradients, float[] PrefixOutputs);
}
