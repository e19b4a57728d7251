using System;
using System.Globalization;
using System.IO;
using System.Linq;
using Microsoft.ML.OnnxRuntime;
using NetGen.Data;
using NetGen.Onnx;
using NetGen.Samples.Iris;
using NetGen.Samples.OnnxExport;
using NetGen.Serialization;

// NetGen -> ONNX -> ONNX Runtime. Loads samples/Classify's trained Iris model (iris.ngw) into IrisModel, exports it with
// OnnxExporter to iris.onnx, runs all 150 flowers of iris.csv through the generated Forward and through ONNX Runtime,
// and compares. Exits with 1 if a prediction differs or an output differs by more than the tolerance.
// Usage: dotnet run -c Release --project samples/OnnxExport [output directory, default ./onnx-export-output]
const double Tolerance = 1e-5; // absolute, on probabilities in [0, 1]
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
string outputDirectory = Path.GetFullPath(args.Length > 0 ? args[0] : "onnx-export-output");
string modelPath = Path.Combine(AppContext.BaseDirectory, "iris.ngw");
string dataPath = Path.Combine(AppContext.BaseDirectory, "Data", "iris.csv");

try
{
    // 1. The NetGen network and its input standardizer, from the weight file.
    var network = new IrisModel();
    Standardizer standardizer = WeightFile.LoadFile(network, modelPath)
        ?? throw new InvalidDataException($"{modelPath}: the model has no standardizer for its inputs.");
    Console.WriteLine($"NetGen:       {IrisModel.Architecture}, {IrisModel.ParameterCount} parameters, from iris.ngw (samples/Classify's trained model)");

    // 2. Export. The graph takes standardised measurements: the standardizer is not part of it.
    Directory.CreateDirectory(outputDirectory);
    string onnxPath = Path.Combine(outputDirectory, "iris.onnx");
    OnnxExporter.SaveFile(network, onnxPath);
    Console.WriteLine($"ONNX:         {onnxPath} ({new FileInfo(onnxPath).Length} bytes, IR {OnnxExporter.IrVersion}, opset {OnnxExporter.OpsetVersion})");
    Console.WriteLine($"              inputs are standardised first: means {Format(standardizer.Means)}, standard deviations {Format(standardizer.StandardDeviations)}");

    // 3. The flowers, standardised as for training.
    Dataset flowers = IrisData.Load(dataPath, IrisModel.ClassNames);
    float[] features = flowers.FeatureValues.ToArray();
    int[] labels = flowers.Labels.ToArray();
    int count = labels.Length;
    standardizer.Apply(features);

    // 4. NetGen, one flower at a time.
    int outputs = IrisModel.OutputCount;
    float[] expected = new float[count * outputs];
    for (int i = 0; i < count; i++)
    {
        network.Forward(features.AsSpan(i * IrisModel.InputCount, IrisModel.InputCount), expected.AsSpan(i * outputs, outputs));
    }

    // 5. ONNX Runtime, all flowers in one batch (the model's batch dimension is symbolic).
    using var sessionOptions = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
    using var session = new InferenceSession(onnxPath, sessionOptions);
    NodeMetadata input = session.InputMetadata[OnnxExporter.InputName];
    NodeMetadata output = session.OutputMetadata[OnnxExporter.OutputName];
    Console.WriteLine($"ONNX Runtime: {OrtEnv.Instance().GetVersionString()}, input '{OnnxExporter.InputName}' {Shape(input)}, output '{OnnxExporter.OutputName}' {Shape(output)}");
    float[] actual;
    using (var runOptions = new RunOptions())
    using (OrtValue batch = OrtValue.CreateTensorValueFromMemory(features, [count, IrisModel.InputCount]))
    using (IDisposableReadOnlyCollection<OrtValue> results = session.Run(runOptions, [OnnxExporter.InputName], [batch], [OnnxExporter.OutputName]))
    {
        long[] shape = results[0].GetTensorTypeAndShape().Shape;
        if (!shape.SequenceEqual([count, outputs]))
        {
            throw new InvalidDataException($"ONNX Runtime returned an output of shape [{string.Join(", ", shape)}], expected [{count}, {outputs}].");
        }

        actual = results[0].GetTensorDataAsSpan<float>().ToArray();
    }

    // 6. Compare.
    double maxDifference = 0;
    int agree = 0, netgenCorrect = 0, onnxCorrect = 0;
    for (int i = 0; i < count; i++)
    {
        ReadOnlySpan<float> mine = expected.AsSpan(i * outputs, outputs), theirs = actual.AsSpan(i * outputs, outputs);
        for (int o = 0; o < outputs; o++)
        {
            double difference = Math.Abs((double)mine[o] - theirs[o]);
            maxDifference = double.IsNaN(difference) ? double.PositiveInfinity : Math.Max(maxDifference, difference);
        }

        int netgenClass = network.Predict(features.AsSpan(i * IrisModel.InputCount, IrisModel.InputCount));
        int onnxClass = ArgMax(theirs);
        agree += netgenClass == onnxClass ? 1 : 0;
        netgenCorrect += netgenClass == labels[i] ? 1 : 0;
        onnxCorrect += onnxClass == labels[i] ? 1 : 0;
    }

    Console.WriteLine();
    Console.WriteLine($"{count} flowers, {count * outputs} probabilities");
    Console.WriteLine($"max |NetGen - ONNX Runtime|: {maxDifference:0.00E+00} (tolerance {Tolerance:0E+00})");
    Console.WriteLine($"predictions agree:           {agree} of {count}");
    Console.WriteLine($"accuracy:                    NetGen {netgenCorrect} of {count} ({(double)netgenCorrect / count:0.0000}), ONNX Runtime {onnxCorrect} of {count} ({(double)onnxCorrect / count:0.0000})");
    Console.WriteLine("                             (all 150 flowers: Classify trained on 105 of them and tested on 45)");
    bool ok = agree == count && maxDifference <= Tolerance;
    Console.WriteLine(ok ? "OK: ONNX Runtime computes what NetGen computes." : "FAILED: ONNX Runtime and NetGen disagree.");
    return ok ? 0 : 1;
}
catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or WeightFileException or OnnxRuntimeException)
{
    Console.Error.WriteLine($"onnx-export: {exception.Message}");
    return 1;
}

static int ArgMax(ReadOnlySpan<float> values)
{
    int best = 0;
    for (int i = 1; i < values.Length; i++)
    {
        if (values[i] > values[best])
        {
            best = i;
        }
    }

    return best;
}

static string Format(ReadOnlySpan<float> values)
{
    string[] texts = new string[values.Length];
    for (int i = 0; i < values.Length; i++)
    {
        texts[i] = values[i].ToString("0.####", CultureInfo.InvariantCulture);
    }

    return "[" + string.Join(", ", texts) + "]";
}

static string Shape(NodeMetadata node)
    => "[" + string.Join(", ", node.Dimensions.Select((d, i) => d >= 0 ? d.ToString(CultureInfo.InvariantCulture) : node.SymbolicDimensions[i])) + "]";

