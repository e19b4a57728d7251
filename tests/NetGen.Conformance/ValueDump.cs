using System.Collections.Generic;
using System.Globalization;
using System.IO;
using NetGen.Tests;
using NetGen.Tests.Recurrent;

namespace NetGen.Conformance;

/// <summary>
/// <c>--dump-values FILE</c>: the exact bits of every network's outputs, loss and gradients for fixed parameters and
/// inputs, one value a line, so that two platforms' runs can be compared value by value (docs/arm64-conformance.md
/// counts how many differ and by how many ulps). A diagnostic, not a check: the platforms need not agree bit for bit.
/// Dense networks: 2 samples each. Sequence networks: one sequence each of 1, 7 and 50 steps (the sample column holds
/// the step count).
/// </summary>
internal static class ValueDump
{
    public static void Write(IEnumerable<Type> networks, IEnumerable<Type> sequenceNetworks, string path)
    {
        using var writer = new StreamWriter(path);
        foreach (Type type in networks)
        {
            Invoke(nameof(WriteNetwork), type, writer);
        }

        foreach (Type type in sequenceNetworks)
        {
            Invoke(nameof(WriteSequenceNetwork), type, writer);
        }
    }

    private static void Invoke(string method, Type network, StreamWriter writer)
        => typeof(ValueDump).GetMethod(method, System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(network).Invoke(null, System.Reflection.BindingFlags.DoNotWrapExceptions, null, [writer], null);

    private static void WriteSequenceNetwork<TNet>(StreamWriter writer)
        where TNet : class, INetwork, new()
    {
        DeclaredSequenceNetwork network = DeclaredSequenceNetwork.Of<TNet>();
        var random = new Random(17);
        TNet net = GenericTest.Create<TNet>(17);
        SequenceNetworkChecks.Randomize(network, net.Parameters, random);
        float[] output = new float[TNet.OutputCount];
        foreach (int steps in (int[])[1, 7, 50])
        {
            float[] sequence = RandomSamples.Input(random, steps * network.Features);
            float[] target = SequenceNetworkChecks.Target(network, random, steps);
            net.Forward(sequence, output);
            net.ZeroGradients();
            float loss = net.Backward(sequence, target);
            WriteValues(writer, $"{typeof(TNet).Name} {steps.ToString(CultureInfo.InvariantCulture)}", output, loss, net.Gradients);
        }
    }

    private static void WriteNetwork<TNet>(StreamWriter writer)
        where TNet : class, INetwork, new()
    {
        var network = DeclaredNetwork.Of<TNet>();
        var random = new Random(17);
        var net = new TNet();
        RandomSamples.RandomizeBiases(network, net.Parameters, random, 0.3);
        float[] output = new float[TNet.OutputCount];
        for (int sample = 0; sample < 2; sample++)
        {
            float[] input = RandomSamples.Input(random, network.Inputs);
            float[] target = RandomSamples.Target(random, network, sample);
            net.Forward(input, output);
            net.ZeroGradients();
            float loss = net.Backward(input, target);
            WriteValues(writer, $"{typeof(TNet).Name} {sample.ToString(CultureInfo.InvariantCulture)}", output, loss, net.Gradients);
        }
    }

    private static void WriteValues(StreamWriter writer, string prefix, ReadOnlySpan<float> output, float loss, ReadOnlySpan<float> gradients)
    {
        for (int i = 0; i < output.Length; i++)
        {
            writer.WriteLine($"{prefix} output {i.ToString(CultureInfo.InvariantCulture)} {Bits(output[i])}");
        }

        writer.WriteLine($"{prefix} loss 0 {Bits(loss)}");
        for (int i = 0; i < gradients.Length; i++)
        {
            writer.WriteLine($"{prefix} gradient {i.ToString(CultureInfo.InvariantCulture)} {Bits(gradients[i])}");
        }
    }

    private static string Bits(float value) => BitConverter.SingleToUInt32Bits(value).ToString("x8", CultureInfo.InvariantCulture);
}
