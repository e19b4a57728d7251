using System;
using System.Globalization;
using System.Linq;
using NetGen.Benchmarks.Networks;
using NetGen.Benchmarks.Onnx;
using NetGen.Benchmarks.Reference;
using NetGen.Training;

namespace NetGen.Benchmarks.Suite;

/// <summary>
/// The check every benchmark run makes before timing: all implementations compute NetGen's numbers, within
/// <see cref="NaiveAgreement"/>'s tolerances.
/// </summary>
internal static class Verification
{
    /// <summary>Throws unless the generated class has the spec's input, output and parameter counts.</summary>
    public static void CheckSizes<TNet>(NetworkSpec spec)
        where TNet : INetwork
    {
        if (TNet.InputCount != spec.Inputs || TNet.OutputCount != spec.Outputs || TNet.ParameterCount != spec.ParameterCount)
        {
            throw new InvalidOperationException(
                $"{typeof(TNet).Name} ({TNet.InputCount} inputs, {TNet.OutputCount} outputs, {TNet.ParameterCount} parameters) " +
                $"does not match the spec {spec} ({spec.Inputs}, {spec.Outputs}, {spec.ParameterCount}).");
        }
    }

    /// <summary>
    /// Checks the forward outputs of every implementation on <paramref name="inputs"/>, then one training step
    /// (loss, gradients, updated weights) of the naive implementation against NetGen (<see cref="NaiveAgreement"/>).
    /// Leaves NetGen and the naive network one SGD step further on. Throws <see cref="InvalidOperationException"/> on
    /// any difference.
    /// </summary>
    public static void Check<TNet>(
        NetworkSpec spec,
        TNet net,
        NaiveNetwork naive,
        TensorPrimitivesNetwork tensorPrimitives,
        OnnxRuntimeNetwork onnxRuntime,
        float[][] inputs,
        float[] trainingInput,
        float[] trainingTarget,
        float learningRate)
        where TNet : class, INetwork
    {
        double tensorPrimitivesWorst = 0, onnxWorst = 0;
        var expected = new float[spec.Outputs];
        var actual = new float[spec.Outputs];
        foreach (float[] input in inputs)
        {
            net.Forward(input, expected);
            tensorPrimitives.Forward(input, actual);
            tensorPrimitivesWorst = Math.Max(tensorPrimitivesWorst, NaiveAgreement.Compare(spec, "TensorPrimitives Forward", expected, actual));
            onnxRuntime.Forward(input, actual);
            onnxWorst = Math.Max(onnxWorst, NaiveAgreement.Compare(spec, "ONNX Runtime Forward", expected, actual));
        }

        (double naiveWorst, double lossDifference, double gradientDifference, double parameterDifference) =
            NaiveAgreement.Check(spec, net, naive, inputs, trainingInput, trainingTarget, learningRate);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"// NetGen.Benchmarks: {spec} verified against NetGen on {inputs.Length} inputs, largest relative differences: " +
            $"Forward naive {naiveWorst:0.0e0}, TensorPrimitives {tensorPrimitivesWorst:0.0e0}, ONNX Runtime {onnxWorst:0.0e0}; " +
            $"training step loss {lossDifference:0.0e0}, gradients {gradientDifference:0.0e0}, parameters {parameterDifference:0.0e0}"));
    }

    /// <summary>
    /// The check before a sequence network is timed (<see cref="RecurrentBenchmarks{TNet}"/>): the naive implementation's
    /// and ONNX Runtime's <c>Forward</c> against NetGen's on <paramref name="sequences"/> (each of the spec's length, the
    /// shape the ONNX model is bound to), then one training step of the naive implementation against NetGen's (loss,
    /// gradients, updated weights). Leaves NetGen and the naive network one SGD step further on. Throws
    /// <see cref="InvalidOperationException"/> on any difference.
    /// </summary>
    public static void CheckRecurrent<TNet>(
        RecurrentSpec spec,
        TNet net,
        NaiveRecurrentNetwork naive,
        OnnxRuntimeNetwork onnxRuntime,
        float[][] sequences,
        float[] trainingSequence,
        float[] trainingTarget,
        float learningRate)
        where TNet : class, INetwork
    {
        string name = spec.ToString();
        double naiveWorst = 0, onnxWorst = 0;
        var expected = new float[spec.Outputs];
        var actual = new float[spec.Outputs];
        foreach (float[] sequence in sequences)
        {
            net.Forward(sequence, expected);
            naive.Forward(sequence, actual);
            naiveWorst = Math.Max(naiveWorst, NaiveAgreement.Compare(name, "naive Forward", expected, actual));
            onnxRuntime.Forward(sequence, actual);
            onnxWorst = Math.Max(onnxWorst, NaiveAgreement.Compare(name, "ONNX Runtime Forward (if the model is stale: tools/pytorch/recurrent_benchmark.py)", expected, actual));
        }

        net.ZeroGradients();
        float netLoss = net.Backward(trainingSequence, trainingTarget);
        float naiveLoss = naive.Backward(trainingSequence, trainingTarget);
        double lossDifference = NaiveAgreement.Compare(name, "training loss", [netLoss], [naiveLoss]);
        var naiveValues = new float[spec.ParameterCount];
        naive.CopyGradientsTo(naiveValues);
        double gradientDifference = NaiveAgreement.Compare(name, "gradients", net.Gradients, naiveValues, NaiveAgreement.GradientTolerance);
        Sgd.Step(net, learningRate);
        naive.Step(learningRate);
        naive.CopyParametersTo(naiveValues);
        double parameterDifference = NaiveAgreement.Compare(name, "parameters after one SGD step", net.Parameters, naiveValues);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"// NetGen.Benchmarks: {spec} verified against NetGen on {sequences.Length} sequences, largest relative differences: " +
            $"Forward naive {naiveWorst:0.0e0}, ONNX Runtime {onnxWorst:0.0e0}; " +
            $"training step loss {lossDifference:0.0e0}, gradients {gradientDifference:0.0e0}, parameters {parameterDifference:0.0e0}"));
    }

    private static readonly System.Collections.Generic.HashSet<(Type, int)> Verified = [];

    /// <summary>
    /// Whether this is the first call for <paramref name="benchmark"/> and <paramref name="batchSize"/> in this process:
    /// the batch benchmarks' setups verify once per process and batch size, since the setups of a class's benchmarks
    /// build the same implementations from the same weights and samples (this keeps CI's in-process dry run short; out of
    /// process, every benchmark's process verifies).
    /// </summary>
    public static bool FirstInProcess(Type benchmark, int batchSize) => Verified.Add((benchmark, batchSize));

    /// <summary>A batched forward pass over every sample of <paramref name="inputs"/> (in the batches it was set up for).</summary>
    public delegate void BatchPass(float[] inputs, float[] outputs);

    /// <summary>
    /// The check before batched forward passes are timed (<see cref="BatchForwardBenchmarks{TNet}"/>, <c>--batch-ab</c>):
    /// each implementation's outputs for every sample of <paramref name="inputs"/> against NetGen's per-sample
    /// <c>Forward</c>, sample by sample, within <see cref="NaiveAgreement.Tolerance"/> (an output left unwritten fails).
    /// Throws <see cref="InvalidOperationException"/> on any difference.
    /// </summary>
    public static void CheckBatchForward<TNet>(NetworkSpec spec, TNet net, int batchSize, float[] inputs, params (string Name, BatchPass Run)[] implementations)
        where TNet : class, INetwork
    {
        int samples = inputs.Length / spec.Inputs;
        var expected = new float[samples * spec.Outputs];
        for (int s = 0; s < samples; s++)
        {
            net.Forward(inputs.AsSpan(s * spec.Inputs, spec.Inputs), expected.AsSpan(s * spec.Outputs, spec.Outputs));
        }

        var actual = new float[expected.Length];
        var worst = new string[implementations.Length];
        for (int k = 0; k < implementations.Length; k++)
        {
            (string name, BatchPass run) = implementations[k];
            actual.AsSpan().Fill(float.NaN);
            run(inputs, actual);
            double largest = 0;
            for (int s = 0; s < samples; s++)
            {
                largest = Math.Max(largest, NaiveAgreement.Compare(spec, $"{name} (batches of {batchSize}), sample {s}",
                    expected.AsSpan(s * spec.Outputs, spec.Outputs), actual.AsSpan(s * spec.Outputs, spec.Outputs)));
            }

            worst[k] = string.Create(CultureInfo.InvariantCulture, $"{name} {largest:0.0e0}");
        }

        Console.WriteLine($"// NetGen.Benchmarks: {spec} batches of {batchSize} verified against NetGen's Forward on {samples} samples, largest relative differences: {string.Join(", ", worst)}");
    }

    /// <summary>
    /// The check before batched training steps are timed (<see cref="BatchTrainBenchmarks{TNet}"/>, <c>--batch-ab</c>): on
    /// the first <paramref name="batchSize"/> samples, NetGen's <c>BackwardBatch</c> and the naive network's against
    /// <paramref name="batchSize"/> calls of NetGen's <c>Backward</c> on a copy of <paramref name="net"/> (summed loss and
    /// gradients), then the parameters after <c>Sgd.Step(net, learningRate, batchSize)</c> and the naive network's step
    /// on the mean gradient. <paramref name="naive"/> must hold <paramref name="net"/>'s parameters. Leaves both one step
    /// further on. Throws <see cref="InvalidOperationException"/> on any difference.
    /// </summary>
    public static void CheckBatchTraining<TNet>(NetworkSpec spec, TNet net, NaiveNetwork naive, int batchSize, float[] inputs, float[] targets, float learningRate)
        where TNet : class, INetwork, new()
    {
        ReadOnlySpan<float> x = inputs.AsSpan(0, batchSize * spec.Inputs);
        ReadOnlySpan<float> t = targets.AsSpan(0, batchSize * spec.Outputs);
        var reference = new TNet();
        net.Parameters.CopyTo(reference.Parameters);
        reference.ZeroGradients();
        float expectedLoss = 0f;
        for (int s = 0; s < batchSize; s++)
        {
            expectedLoss += reference.Backward(x.Slice(s * spec.Inputs, spec.Inputs), t.Slice(s * spec.Outputs, spec.Outputs));
        }

        float[] expectedGradients = reference.Gradients.ToArray();
        Sgd.Step(reference, learningRate, batchSize);

        net.ZeroGradients();
        double netLoss = NaiveAgreement.Compare(spec, "NetGen BackwardBatch loss", [expectedLoss], [net.BackwardBatch(x, t)]);
        double netGradients = NaiveAgreement.Compare(spec, "NetGen BackwardBatch gradients", expectedGradients, net.Gradients, NaiveAgreement.GradientTolerance);
        Sgd.Step(net, learningRate, batchSize);
        double netParameters = NaiveAgreement.Compare(spec, "NetGen parameters after BackwardBatch and Sgd.Step", reference.Parameters, net.Parameters);

        var naiveValues = new float[spec.ParameterCount];
        double naiveLoss = NaiveAgreement.Compare(spec, "naive BackwardBatch loss", [expectedLoss], [naive.BackwardBatch(x, t)]);
        naive.CopyGradientsTo(naiveValues);
        double naiveGradients = NaiveAgreement.Compare(spec, "naive BackwardBatch gradients", expectedGradients, naiveValues, NaiveAgreement.GradientTolerance);
        naive.Step(learningRate, batchSize);
        naive.CopyParametersTo(naiveValues);
        double naiveParameters = NaiveAgreement.Compare(spec, "naive parameters after BackwardBatch and Step", reference.Parameters, naiveValues);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"// NetGen.Benchmarks: {spec} training batch of {batchSize} verified against {batchSize} calls of NetGen's Backward, largest relative differences: " +
            $"NetGen BackwardBatch loss {netLoss:0.0e0}, gradients {netGradients:0.0e0}, parameters {netParameters:0.0e0}; " +
            $"naive loss {naiveLoss:0.0e0}, gradients {naiveGradients:0.0e0}, parameters {naiveParameters:0.0e0}"));
    }

    /// <summary>A forward pass: a generated <c>Forward</c>, static (frozen) or bound to an instance (trainable).</summary>
    public delegate void ForwardPass(ReadOnlySpan<float> input, Span<float> output);

    /// <summary>A generated <c>Predict</c>.</summary>
    public delegate int PredictPass(ReadOnlySpan<float> input);

    /// <summary>Values uniform in [-1, 1), as <see cref="BenchmarkData.Input"/> draws them.</summary>
    public static float[] RandomInput(Random random, int count)
    {
        var input = new float[count];
        for (int i = 0; i < input.Length; i++)
        {
            input[i] = (2f * random.NextSingle()) - 1f;
        }

        return input;
    }

    /// <summary>
    /// The check before frozen and trainable networks are timed against each other (<see cref="FrozenBenchmarks"/>):
    /// the same sizes, the same weights bit for bit, and on <paramref name="input"/> plus 8 more random inputs the same
    /// <c>Forward</c> outputs bit for bit and the same <c>Predict</c>. Throws <see cref="InvalidOperationException"/>
    /// on any difference.
    /// </summary>
    public static void CheckFrozen(
        string name,
        (int Inputs, int Outputs, int Parameters) frozenSizes,
        (int Inputs, int Outputs, int Parameters) trainableSizes,
        ReadOnlySpan<float> frozenParameters,
        ReadOnlySpan<float> trainableParameters,
        ForwardPass frozenForward,
        ForwardPass trainableForward,
        PredictPass frozenPredict,
        PredictPass trainablePredict,
        float[] input,
        Random random)
    {
        if (frozenSizes != trainableSizes || frozenParameters.Length != frozenSizes.Parameters || trainableParameters.Length != trainableSizes.Parameters)
        {
            throw new InvalidOperationException(
                $"{name}: the frozen network's sizes {frozenSizes} (Parameters.Length {frozenParameters.Length}) differ from the trainable one's " +
                $"{trainableSizes} (Parameters.Length {trainableParameters.Length}). Nothing was timed.");
        }

        ReadOnlySpan<uint> frozenBits = System.Runtime.InteropServices.MemoryMarshal.Cast<float, uint>(frozenParameters);
        ReadOnlySpan<uint> trainableBits = System.Runtime.InteropServices.MemoryMarshal.Cast<float, uint>(trainableParameters);
        int firstWeight = frozenBits.CommonPrefixLength(trainableBits);
        if (firstWeight != frozenBits.Length)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"{name}: parameter {firstWeight} of the frozen network is {frozenParameters[firstWeight]:R}, the trainable one's {trainableParameters[firstWeight]:R}. Nothing was timed."));
        }

        float[][] inputs = [input, .. Enumerable.Range(0, 8).Select(_ => RandomInput(random, frozenSizes.Inputs))];
        var expected = new float[frozenSizes.Outputs];
        var actual = new float[frozenSizes.Outputs];
        foreach (float[] x in inputs)
        {
            trainableForward(x, expected);
            frozenForward(x, actual);
            int first = System.Runtime.InteropServices.MemoryMarshal.Cast<float, uint>(expected.AsSpan())
                .CommonPrefixLength(System.Runtime.InteropServices.MemoryMarshal.Cast<float, uint>(actual.AsSpan()));
            if (first != expected.Length)
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"{name}: frozen Forward output {first} is {actual[first]:R}, the trainable network's {expected[first]:R}. Nothing was timed."));
            }

            if (frozenPredict(x) != trainablePredict(x))
            {
                throw new InvalidOperationException($"{name}: frozen Predict says {frozenPredict(x)}, the trainable network {trainablePredict(x)}. Nothing was timed.");
            }
        }

        // Where the weights start relative to a 64-byte cache line: the vector loads of a kernel over rows that start off
        // a 32-byte boundary split cache lines, which can make one side faster for reasons unrelated to frozen or not.
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"// NetGen.Benchmarks: frozen {name} verified against the trainable type: {frozenSizes.Parameters} parameters bit for bit, " +
            $"Forward bit for bit and Predict equal on {inputs.Length} inputs; weights start at address mod 64 = " +
            $"{AddressMod64(frozenParameters)} (frozen), {AddressMod64(trainableParameters)} (trainable)"));
    }

    /// <summary>The address of the first element, modulo 64 (no unsafe code: the byte offset from a null reference).</summary>
    internal static long AddressMod64(ReadOnlySpan<float> values)
        => (long)((nuint)System.Runtime.CompilerServices.Unsafe.ByteOffset(
            ref System.Runtime.CompilerServices.Unsafe.NullRef<float>(),
            ref System.Runtime.InteropServices.MemoryMarshal.GetReference(values)) % 64);
}
