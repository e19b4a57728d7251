using System.Collections.Generic;
using System.Globalization;
using System.IO;
using NetGen.Tests;

namespace NetGen.Conformance;

/// <summary>
/// <c>--dump-values FILE</c>: the exact bits of every network's outputs, loss and gradients for fixed parameters and
/// inputs, one value a line, so that two platforms' runs can be compared value by value (docs/arm64-conformance.md
/// counts how many differ and by how many ulps). A diagnostic, not a check: the platforms need not agree bit for bit.
/// </summary>
internal static class ValueDump
{
    public static void Write(IEnumerable<Type> networks, string path)
    {
        using var writer = new StreamWriter(path);
        foreach (Type type in networks)
        {
            typeof(ValueDump).GetMethod(nameof(WriteNetwork), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
                .MakeGenericMethod(type).Invoke(null, System.Reflection.BindingFlags.DoNotWrapExceptions, null, [writer], null);
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
            string prefix = $"{typeof(TNet).Name} {sample.ToString(CultureInfo.InvariantCulture)}";
            for (int i = 0; i < output.Length; i++)
            {
                writer.WriteLine($"{prefix} output {i.ToString(CultureInfo.InvariantCulture)} {Bits(output[i])}");
            }

            writer.WriteLine($"{prefix} loss 0 {Bits(loss)}");
            ReadOnlySpan<float> gradients = net.Gradients;
            for (int i = 0; i < gradients.Length; i++)
            {
                writer.WriteLine($"{prefix} gradient {i.ToString(CultureInfo.InvariantCulture)} {Bits(gradients[i])}");
            }
        }
    }

    private static string Bits(float value) => BitConverter.SingleToUInt32Bits(value).ToString("x8", CultureInfo.InvariantCulture);
}
