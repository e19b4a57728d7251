using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using NetGen.Tests;

namespace NetGen.Conformance;

/// <summary>
/// tests/NetGen.Tests' ReferenceValueTests without xunit: the networks of ReferenceNetworks.cs (linked) with PyTorch's
/// weights from TestData/reference/reference.json; outputs, losses and per-sample gradients within 2e-6 + 2e-5·|value|
/// of PyTorch's, and the sum of successive samples' gradients within the sum of their tolerances.
/// </summary>
internal static class ReferenceChecks
{
    private const float AbsoluteTolerance = 2e-6f;
    private const float RelativeTolerance = 2e-5f;

    public static void Run(ConformanceRunner runner)
    {
        ReferenceFile? file = null;
        runner.Check("reference.json loads", () => file = Load());
        if (file is null)
        {
            return;
        }

        Type[] declared = typeof(RefPerceptronStepMse).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(RefPerceptronStepMse).Namespace && t.Name.StartsWith("Ref", StringComparison.Ordinal)
                && t.GetCustomAttribute<NetworkAttribute>() is not null && !IsSequenceNetwork(t))
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .ToArray();
        runner.Check("the file holds exactly the networks of ReferenceNetworks.cs", () =>
        {
            string inFile = string.Join(", ", file.Networks.Select(n => n.Name).Order(StringComparer.Ordinal));
            string inCode = string.Join(", ", declared.Select(t => t.Name));
            Assert.Equal(inCode, inFile, "networks");
            Assert.True(declared.Length >= 14, $"only {declared.Length} reference networks");
        });

        foreach (ReferenceNetwork reference in file.Networks)
        {
            Type? type = declared.FirstOrDefault(t => t.Name == reference.Name);
            if (type is null)
            {
                continue; // reported above
            }

            foreach (string check in new[] { nameof(Declaration), nameof(Forward), nameof(LossOfBackward), nameof(Gradients), nameof(Accumulation) })
            {
                MethodInfo method = typeof(ReferenceChecks).GetMethod(check, BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(type);
                runner.Check($"{reference.Name} {check}", () => method.Invoke(null, BindingFlags.DoNotWrapExceptions, null, [reference], null));
            }
        }
    }

    /// <summary>The sequence networks of SequenceReferenceNetworks.cs share the namespace and prefix; they have their own file and checks.</summary>
    private static bool IsSequenceNetwork(Type type)
        => type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ISequenceNetwork<>));

    private static TNet Create<TNet>(ReferenceNetwork reference)
        where TNet : INetwork, new()
    {
        var net = new TNet();
        Assert.Equal(reference.ParameterCount, reference.Parameters.Length, "parameters in the file");
        Assert.Equal(reference.ParameterCount, net.Parameters.Length, "Parameters.Length");
        Assert.Equal(reference.ParameterCount, net.Gradients.Length, "Gradients.Length");
        reference.Parameters.CopyTo(net.Parameters);
        return net;
    }

    private static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: expected {expected.Length} values, got {actual.Length}");
        for (int i = 0; i < expected.Length; i++)
        {
            int index = i;
            Assert.Close(expected[i], actual[i], Tolerance(expected[i]), () => $"{what} [{index}] against PyTorch");
        }
    }

    private static double Tolerance(double expected) => AbsoluteTolerance + (RelativeTolerance * Math.Abs(expected));

    private static void Declaration<TNet>(ReferenceNetwork reference)
        where TNet : INetwork, new()
    {
        NetworkAttribute network = typeof(TNet).GetCustomAttribute<NetworkAttribute>()!;
        string declared = string.Join(" ", typeof(TNet).GetCustomAttributes<DenseAttribute>().Select(d => $"{d.Units}({d.Activation})"));
        Assert.Equal(string.Join(" ", reference.Layers.Select(l => $"{l.Units}({l.Activation})")), declared, "layers");
        Assert.Equal(reference.Inputs, network.Inputs, "inputs");
        Assert.Equal(reference.Loss, network.Loss, "loss");
        Assert.Equal(reference.Inputs, TNet.InputCount, "InputCount");
        Assert.Equal(reference.Layers[^1].Units, TNet.OutputCount, "OutputCount");
        Assert.Equal(reference.ParameterCount, TNet.ParameterCount, "ParameterCount");
        Assert.True(reference.Samples.Length >= 4, $"{reference.Samples.Length} samples");
    }

    private static void Forward<TNet>(ReferenceNetwork reference)
        where TNet : INetwork, new()
    {
        TNet net = Create<TNet>(reference);
        var output = new float[TNet.OutputCount];
        for (int s = 0; s < reference.Samples.Length; s++)
        {
            ReferenceSample sample = reference.Samples[s];
            Array.Fill(output, float.NaN);
            net.Forward(sample.Input, output);
            AssertClose(sample.Output, output, $"sample {s} output");
        }
    }

    private static void LossOfBackward<TNet>(ReferenceNetwork reference)
        where TNet : INetwork, new()
    {
        TNet net = Create<TNet>(reference);
        for (int s = 0; s < reference.Samples.Length; s++)
        {
            ReferenceSample sample = reference.Samples[s];
            net.ZeroGradients();
            AssertClose([sample.Loss], [net.Backward(sample.Input, sample.Target)], $"sample {s} loss");
        }
    }

    private static void Gradients<TNet>(ReferenceNetwork reference)
        where TNet : INetwork, new()
    {
        TNet net = Create<TNet>(reference);
        for (int s = 0; s < reference.Samples.Length; s++)
        {
            ReferenceSample sample = reference.Samples[s];
            net.Gradients.Fill(float.NaN); // ZeroGradients must clear everything Backward then adds to
            net.ZeroGradients();
            net.Backward(sample.Input, sample.Target);
            AssertClose(sample.Gradients, net.Gradients, $"sample {s} gradients");
            Assert.SameBits(reference.Parameters, net.Parameters, "parameters after Backward");
        }
    }

    private static void Accumulation<TNet>(ReferenceNetwork reference)
        where TNet : INetwork, new()
    {
        TNet net = Create<TNet>(reference);
        var sum = new double[TNet.ParameterCount];
        var magnitude = new double[TNet.ParameterCount];
        net.ZeroGradients();
        foreach (ReferenceSample sample in reference.Samples)
        {
            net.Backward(sample.Input, sample.Target);
            for (int i = 0; i < sum.Length; i++)
            {
                sum[i] += sample.Gradients[i];
                magnitude[i] += Math.Abs(sample.Gradients[i]);
            }
        }

        ReadOnlySpan<float> gradients = net.Gradients;
        for (int i = 0; i < sum.Length; i++)
        {
            int index = i;
            double tolerance = (reference.Samples.Length * AbsoluteTolerance) + (RelativeTolerance * magnitude[i]);
            Assert.Close(sum[i], gradients[i], tolerance, () => $"accumulated gradient [{index}]");
        }
    }

    private static ReferenceFile Load()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "TestData", "reference", "reference.json");
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            Converters = { new JsonStringEnumConverter(allowIntegerValues: false) },
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
        };
        using FileStream stream = File.OpenRead(path);
        ReferenceFile file = JsonSerializer.Deserialize<ReferenceFile>(stream, options)
            ?? throw new InvalidDataException($"{path} is empty.");
        Assert.Equal("netgen-reference-values/1", file.Format, "format");
        return file;
    }

    private sealed record ReferenceFile(string Format, string Torch, int Seed, ReferenceNetwork[] Networks);

    private sealed record ReferenceNetwork(string Name, int Inputs, ReferenceLayer[] Layers, Loss Loss, int ParameterCount, float[] Parameters, ReferenceSample[] Samples);

    private sealed record ReferenceLayer(int Units, Activation Activation);

    private sealed record ReferenceSample(float[] Input, float[] Target, float[] Output, float Loss, float[] Gradients);
}
