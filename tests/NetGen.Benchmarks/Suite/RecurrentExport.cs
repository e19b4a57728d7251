using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using NetGen.Benchmarks.Networks;

namespace NetGen.Benchmarks.Suite;

/// <summary>
/// <c>--recurrent-export DIR</c>: writes what <c>tools/pytorch/recurrent_benchmark.py</c> needs to build the same
/// networks in PyTorch (to export the ONNX models the benchmarks run, and to time PyTorch on the same weights and
/// sequences): per network <c>DIR/NAME.json</c> with the architecture, NetGen's parameters (default seed), the benchmark's
/// sequences and targets, and NetGen's own results to check PyTorch against (the forward outputs, and the loss and
/// gradients of one <c>Backward</c> on the first training sequence). Every float is written as the 8 hex digits of its
/// bits (big-endian), so that Python reads back exactly the same values.
/// </summary>
internal static class RecurrentExport
{
    public static void Run(string directory)
    {
        Directory.CreateDirectory(directory);
        Write<Gru32Net>(RecurrentSpec.Gru32, directory);
        Write<Lstm64Net>(RecurrentSpec.Lstm64, directory);
    }

    private static void Write<TNet>(RecurrentSpec spec, string directory)
        where TNet : class, INetwork, new()
    {
        var net = new TNet();
        float[] parameters = net.Parameters.ToArray();
        RecurrentData data = RecurrentData.Create(spec, RecurrentBenchmarks<TNet>.TrainingSampleCount, RecurrentBenchmarks<TNet>.DataSeed);
        var output = new float[spec.Outputs];
        net.Forward(data.Sequence, output);
        net.ZeroGradients();
        float loss = net.Backward(data.TrainingSequences[0], data.TrainingTargets[0]);

        string path = Path.Combine(directory, spec.Name + ".json");
        using (FileStream stream = File.Create(path))
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("name", spec.Name);
            json.WriteString("kind", spec.Kind.ToString().ToLowerInvariant());
            json.WriteNumber("inputs", spec.Inputs);
            json.WriteNumber("units", spec.Units);
            json.WriteNumber("steps", spec.Steps);
            json.WriteNumber("outputs", spec.Outputs);
            json.WriteStartArray("dense");
            for (int l = 0; l < spec.Dense.Count; l++)
            {
                json.WriteStartObject();
                json.WriteNumber("inputs", spec.DenseInputsOf(l));
                json.WriteNumber("units", spec.Dense[l].Units);
                json.WriteString("activation", spec.Dense[l].Activation.ToString());
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteString("loss", spec.Loss.ToString());
            json.WriteNumber("learning_rate", 0.01);
            json.WriteString("architecture", (string)typeof(TNet).GetField("Architecture")!.GetValue(null)!);
            json.WriteString("parameters", Hex(parameters));
            json.WriteString("sequence", Hex(data.Sequence));
            json.WriteString("netgen_output", Hex(output));
            json.WriteStartArray("training_sequences");
            foreach (float[] sequence in data.TrainingSequences)
            {
                json.WriteStringValue(Hex(sequence));
            }

            json.WriteEndArray();
            json.WriteStartArray("training_targets");
            foreach (float[] target in data.TrainingTargets)
            {
                json.WriteStringValue(Hex(target));
            }

            json.WriteEndArray();
            json.WriteString("netgen_loss", Hex([loss]));
            json.WriteString("netgen_gradients", Hex(net.Gradients.ToArray()));
            json.WriteEndObject();
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{path}: {spec}, {parameters.Length} parameters, NetGen's output {string.Join(", ", output.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))}, loss {loss:R}"));
    }

    /// <summary>Each float as the 8 hex digits of its bits, big-endian (shared with <see cref="BatchExport"/>).</summary>
    internal static string Hex(float[] values)
    {
        var text = new StringBuilder(values.Length * 8);
        foreach (float value in values)
        {
            text.Append(BitConverter.SingleToUInt32Bits(value).ToString("x8", CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }
}
