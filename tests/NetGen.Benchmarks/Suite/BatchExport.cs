using System;
using System.Globalization;
using System.IO;
using System.Text.Json;
using NetGen.Benchmarks.Networks;

namespace NetGen.Benchmarks.Suite;

/// <summary>
/// <c>--batch-export DIR</c>: writes what <c>tools/pytorch/batch_benchmark.py</c> needs to time PyTorch on the batch
/// benchmarks' networks (issue 13) with NetGen's weights and samples: per network <c>DIR/NAME.json</c> with the
/// architecture, NetGen's parameters (default seed), the <see cref="BatchData"/> samples and targets, and NetGen's own
/// results to check PyTorch against (every sample's <c>Forward</c> outputs, and the summed loss and gradients of
/// <c>BackwardBatch</c> on the first <see cref="CheckBatch"/> samples). Floats are written as in
/// <see cref="RecurrentExport"/> (8 hex digits of their bits), so that Python reads back exactly the same values.
/// </summary>
internal static class BatchExport
{
    /// <summary>The training batch whose loss and gradients are exported for the check.</summary>
    public const int CheckBatch = 32;

    /// <summary>Writes <c>digits.json</c>, <c>mnist.json</c> and <c>deep.json</c> into <paramref name="directory"/> (created if missing).</summary>
    public static void Run(string directory)
    {
        Directory.CreateDirectory(directory);
        Write<DigitsNet>(NetworkSpec.Digits, directory);
        Write<MnistNet>(NetworkSpec.Mnist, directory);
        Write<DeepNet>(NetworkSpec.Deep, directory);
    }

    private static void Write<TNet>(NetworkSpec spec, string directory)
        where TNet : class, INetwork, new()
    {
        var net = new TNet();
        float[] parameters = net.Parameters.ToArray();
        BatchData data = BatchData.Create(spec);
        var outputs = new float[BatchData.Samples * spec.Outputs];
        for (int s = 0; s < BatchData.Samples; s++)
        {
            net.Forward(data.Inputs.AsSpan(s * spec.Inputs, spec.Inputs), outputs.AsSpan(s * spec.Outputs, spec.Outputs));
        }

        net.ZeroGradients();
        float loss = net.BackwardBatch(data.Inputs.AsSpan(0, CheckBatch * spec.Inputs), data.Targets.AsSpan(0, CheckBatch * spec.Outputs));

        string path = Path.Combine(directory, spec.Name + ".json");
        using (FileStream stream = File.Create(path))
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("name", spec.Name);
            json.WriteNumber("inputs", spec.Inputs);
            json.WriteNumber("outputs", spec.Outputs);
            json.WriteStartArray("layers");
            for (int l = 0; l < spec.Layers.Count; l++)
            {
                json.WriteStartObject();
                json.WriteNumber("inputs", spec.InputsOf(l));
                json.WriteNumber("units", spec.Layers[l].Units);
                json.WriteString("activation", spec.Layers[l].Activation.ToString());
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteString("loss", spec.Loss.ToString());
            json.WriteNumber("learning_rate", 0.01);
            json.WriteNumber("samples", BatchData.Samples);
            json.WriteString("architecture", spec.ToString());
            json.WriteString("parameters", RecurrentExport.Hex(parameters));
            json.WriteString("inputs_data", RecurrentExport.Hex(data.Inputs));
            json.WriteString("targets_data", RecurrentExport.Hex(data.Targets));
            json.WriteString("netgen_outputs", RecurrentExport.Hex(outputs));
            json.WriteNumber("check_batch", CheckBatch);
            json.WriteString("netgen_loss", RecurrentExport.Hex([loss]));
            json.WriteString("netgen_gradients", RecurrentExport.Hex(net.Gradients.ToArray()));
            json.WriteEndObject();
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{path}: {spec}, {parameters.Length} parameters, {BatchData.Samples} samples, summed loss of the first {CheckBatch} {loss:R}"));
    }
}
