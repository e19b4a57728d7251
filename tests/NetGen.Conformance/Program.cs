using System.Diagnostics;
using System.Linq;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using NetGen.Tests;
using NetGen.Tests.Recurrent;
using X86Fma = System.Runtime.Intrinsics.X86.Fma;
using ArmAdvSimd = System.Runtime.Intrinsics.Arm.AdvSimd;

namespace NetGen.Conformance;

/// <summary>
/// NetGen's conformance run without a test framework (docs/arm64-conformance.md): the behaviour tests' networks in
/// every code shape, activation and loss, and their sequence networks (GRU, LSTM, RNN), checked against PyTorch,
/// finite differences, a double-precision model of the declaration, the recorded seeded weights, and for zero
/// allocation. Prints the platform first, one line per group and per failure, and "N passed, M failed" last; exits 1
/// on any failure.
/// Options: --verbose (one line per check), --record-seeded-weights FILE (write TestData/seeded-weights.txt),
/// --dump-values FILE (the bits of every output, loss and gradient, to compare two platforms).
/// </summary>
internal static class Program
{
    /// <summary>The linked tests/NetGen.Tests networks and the runner's own wide ones.</summary>
    private static readonly Type[] Differentiable =
    [
        .. GradientCheckNetworks.Differentiable,
        typeof(W784_128ReLU_10Softmax_Ce), typeof(W784_1Sigmoid_Bce), typeof(W785_3Tanh_7LeakyReLU_Mse),
    ];

    private static readonly Type[] All = [.. Differentiable, .. GradientCheckNetworks.WithStep];

    /// <summary>One network per shape mix for the allocation checks (tests/NetGen.Tests' AllocationTests, plus 784 inputs).</summary>
    private static readonly Type[] AllocationNetworks =
    [
        typeof(N5_7Tanh_6Sigmoid_4Softmax_Ce),                         // unrolled scalar, values in locals
        typeof(N8_16Tanh_8Sigmoid_16LeakyReLU_8Tanh_16Identity_Mse),   // unrolled scalar, then unrolled SIMD
        typeof(N150_1LeakyReLU_100Tanh_3Sigmoid_Bce),                  // loop, unrolled scalar, unrolled SIMD
        typeof(N96_60Tanh_7ReLU_1Identity_Mse),                        // budget-spent loop between SIMD and scalar
        typeof(N257_17Tanh_33ReLU_300Sigmoid_5Identity_Mse),           // loops and SIMD
        typeof(N300_257LeakyReLU_10Softmax_Ce),                        // the largest loops
        typeof(W784_128ReLU_10Softmax_Ce),                             // 784-input rows
        typeof(S20_17Step_9Identity_Mse),                              // Step
    ];

    /// <summary>
    /// Finite-difference coordinates checked per parameter block of a sequence network (all of a smaller block), fewer
    /// than SequenceNetworkTests' 40: the finite differences run the double-precision definition twice per coordinate
    /// and sequence, which under qemu took 60 of the runner's 150 s with 40 (docs/arm64-conformance.md). The loss and
    /// the sequence lengths (1 to 50 steps) are the theory's; every gradient is compared with PyTorch's as well.
    /// </summary>
    private const int SequenceCoordinatesPerBlock = 10;

    /// <summary>SequenceReferenceValueTests' per-network theories, by the name the runner prints.</summary>
    private static readonly (string Name, Action<string> Run)[] SequenceReferencePerNetwork =
    [
        ("Declaration", SequenceReferenceChecks.Declaration),
        ("Forward", SequenceReferenceChecks.Forward),
        ("ForwardOnEveryPrefix", SequenceReferenceChecks.ForwardOnEveryPrefix),
        ("StepStreamsThePrefixOutputs", SequenceReferenceChecks.StepStreamsThePrefixOutputs),
        ("StepKeepsEachSequenceInItsOwnState", SequenceReferenceChecks.StepKeepsEachSequenceInItsOwnState),
        ("BackwardLoss", SequenceReferenceChecks.BackwardLoss),
        ("BackwardGradients", SequenceReferenceChecks.BackwardGradients),
        ("Accumulation", SequenceReferenceChecks.Accumulation),
    ];

    /// <summary>Every network whose seeded weights are recorded in TestData/seeded-weights.txt.</summary>
    private static Type[] SeededWeightNetworks => [.. All, .. ReferenceTypes(), .. SequenceNetworks.All];

    public static int Main(string[] args)
    {
        if (args is ["--record-seeded-weights", string path])
        {
            SeededWeights.Record(SeededWeightNetworks, path);
            Console.WriteLine($"Wrote {path}");
            return 0;
        }

        if (args is ["--dump-values", string dumpPath])
        {
            ValueDump.Write(All, SequenceNetworks.All, dumpPath);
            Console.WriteLine($"Wrote {dumpPath}");
            return 0;
        }

        bool verbose = args.Contains("--verbose");
        var total = Stopwatch.StartNew();
        Console.WriteLine(PlatformLine());
        var runner = new ConformanceRunner(verbose);

        runner.Group("PyTorch reference values (outputs, losses, gradients)", () => ReferenceChecks.Run(runner));
        runner.Group("Backward against central finite differences", () => runner.ForEach(Differentiable, typeof(NetworkChecks), "FiniteDifferenceGradients"));
        runner.Group("Step layers: straight-through gradient", () => runner.ForEach(GradientCheckNetworks.WithStep, typeof(NetworkChecks), "StepIsStraightThrough"));
        runner.Group("Step layers: the perceptron rule", () => PerceptronRule(runner));
        runner.Group("Forward against the double-precision model", () => runner.ForEach(All, typeof(NetworkChecks), "ForwardMatchesDeclaration"));
        runner.Group("Backward returns the loss of Forward's output", () => runner.ForEach(All, typeof(NetworkChecks), "LossOfForward"));
        runner.Group("Backward adds to the gradients", () => runner.ForEach(All, typeof(NetworkChecks), "AddsToGradients"));
        runner.Group("Seeded initialisation is reproducible", () => runner.ForEach(All, typeof(NetworkChecks), "ReproducibleFromSeed"));
        runner.Group("Seeded weights match the recorded bits", () => SeededWeights.Run(runner, SeededWeightNetworks));
        runner.Group("Sgd.Step arithmetic", () => runner.ForEach(AllocationNetworks, typeof(AllocationChecks), "SgdStepArithmetic"));
        runner.Group("No allocation after warm-up (Forward, Backward, Predict, ZeroGradients, Sgd.Step, Adam.Step)", () => runner.ForEach(AllocationNetworks, typeof(AllocationChecks), "NoAllocations"));

        // Sequence networks (tests/NetGen.Tests/Recurrent: SequenceReferenceValueTests and SequenceNetworkTests, whose
        // checks are the linked SequenceReferenceChecks and SequenceNetworkChecks).
        runner.Group("Sequence networks: PyTorch reference values (outputs, prefixes, Step, losses, gradients)", () => SequenceReference(runner));
        runner.Group("Sequence networks: Forward against the double-precision definition", () => runner.ForEach(SequenceNetworks.All, typeof(SequenceNetworkChecks), nameof(SequenceNetworkChecks.ForwardMatchesDefinition)));
        runner.Group($"Sequence networks: Backward's loss and gradients against finite differences ({SequenceCoordinatesPerBlock} coordinates per block)", () => runner.ForEach(
            SequenceNetworks.All, typeof(SequenceNetworkChecks), nameof(SequenceNetworkChecks.BackwardMatchesFiniteDifferencesOn), [SequenceNetworkChecks.StepCounts, SequenceCoordinatesPerBlock]));
        runner.Group("Sequence networks: Step gives Forward on every prefix, bit for bit", () => runner.ForEach(SequenceNetworks.All, typeof(SequenceNetworkChecks), nameof(SequenceNetworkChecks.StepMatchesForwardOnPrefixes)));
        runner.Group("Sequence networks: Backward adds to the gradients", () => runner.ForEach(SequenceNetworks.All, typeof(SequenceNetworkChecks), nameof(SequenceNetworkChecks.BackwardAdds)));
        runner.Group("Sequence networks: seeded initialisation", () => runner.ForEach(SequenceNetworks.All, typeof(SequenceNetworkChecks), nameof(SequenceNetworkChecks.SeededInitialisation)));
        runner.Group("Sequence networks: no allocation after warm-up (Forward, Backward, Step, Predict)", () => runner.Check(
            nameof(Q8_Gru17_Lstm16_RnnTanh3_3Softmax_Ce), () => AllocationChecks.WithRetries(SequenceNetworkChecks.NoAllocationsAfterWarmUp<Q8_Gru17_Lstm16_RnnTanh3_3Softmax_Ce, Q8_Gru17_Lstm16_RnnTanh3_3Softmax_Ce.State>)));

        Console.WriteLine($"Total time {total.Elapsed.TotalSeconds:F1} s");
        Console.WriteLine($"{runner.Passed} passed, {runner.Failed} failed");
        return runner.Failed == 0 && runner.Passed > 0 ? 0 : 1;
    }

    /// <summary>SequenceReferenceValueTests' facts about the file, then its per-network theories.</summary>
    private static void SequenceReference(ConformanceRunner runner)
    {
        bool loaded = false;
        runner.Check("sequence_reference.json loads", () => loaded = SequenceReferenceChecks.Reference.Networks.Length > 0);
        if (!loaded)
        {
            return;
        }

        runner.Check("the file holds exactly the networks of SequenceReferenceNetworks.cs", SequenceReferenceChecks.FileHoldsExactlyTheDeclaredNetworks);
        runner.Check("the file is consistent", SequenceReferenceChecks.FileIsConsistent);
        foreach (string network in SequenceReferenceChecks.NetworkNames)
        {
            foreach ((string check, Action<string> run) in SequenceReferencePerNetwork)
            {
                runner.Check($"{network} {check}", () => run(network));
            }
        }
    }

    private static Type[] ReferenceTypes()
        => typeof(RefPerceptronStepMse).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(RefPerceptronStepMse).Namespace && t.Name.StartsWith("Ref", StringComparison.Ordinal)
                && typeof(INetwork).IsAssignableFrom(t))
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .ToArray();

    private static string PlatformLine()
        => $"Platform: {RuntimeInformation.ProcessArchitecture}, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}; "
            + $"Vector.IsHardwareAccelerated={Vector.IsHardwareAccelerated}, Vector128.IsHardwareAccelerated={Vector128.IsHardwareAccelerated}, Vector256.IsHardwareAccelerated={Vector256.IsHardwareAccelerated}, "
            + $"Vector512.IsHardwareAccelerated={Vector512.IsHardwareAccelerated}, AdvSimd.IsSupported={ArmAdvSimd.IsSupported}, "
            + $"Fma.IsSupported={X86Fma.IsSupported}, Vector<float>.Count={Vector<float>.Count}";

    /// <summary>GradientCheckTests' two perceptron facts: exact values, whatever the rounding.</summary>
    private static void PerceptronRule(ConformanceRunner runner)
    {
        runner.Check("one Step neuron with MSE", () =>
        {
            var net = new S3_1Step_Mse();
            float[] w = [0.5f, -0.25f, 0.75f];
            w.CopyTo(net.Parameters);
            net.Parameters[3] = 0.125f;
            float[] x = [1f, 2f, -0.5f]; // z = -0.25, y = 0

            Assert.Equal(1f, net.Backward(x, [1f]), "loss of a wrong answer");
            Assert.SameBits([-2f, -4f, 1f, -2f], net.Gradients, "gradients of a wrong answer");
            net.ZeroGradients();
            Assert.Equal(0f, net.Backward(x, [0f]), "loss of a right answer");
            Assert.SameBits(new float[4], net.Gradients, "gradients of a right answer");
            net.ZeroGradients();
            Assert.Equal(1f, net.Backward([2f, 0f, 0f], [0f]), "loss of firing wrongly");
            Assert.SameBits([4f, 0f, 0f, 2f], net.Gradients, "gradients of firing wrongly");
        });

        runner.Check("three Step neurons with MSE scale the rule by 1/n", () =>
        {
            var net = new S5_3Step_Mse();
            net.Parameters.Clear();
            net.Parameters[15] = 1f;
            net.Parameters[16] = -1f;
            net.Parameters[17] = 1f;
            float[] x = [1f, -2f, 3f, 0.5f, 0f];
            float loss = net.Backward(x, [0f, 1f, 1f]);
            Assert.Close(2.0 / 3.0, loss, 1e-6, () => "loss");
            float[] expected = new float[18];
            for (int i = 0; i < 5; i++)
            {
                expected[i] = 2f / 3f * x[i];
                expected[5 + i] = -2f / 3f * x[i];
            }

            expected[15] = 2f / 3f;
            expected[16] = -2f / 3f;
            for (int k = 0; k < expected.Length; k++)
            {
                int index = k;
                Assert.Close(expected[k], net.Gradients[k], 1e-6 * Math.Max(1, Math.Abs(expected[k])), () => $"gradient {index}");
            }
        });
    }
}
