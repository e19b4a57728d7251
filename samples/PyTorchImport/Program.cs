using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using NetGen.Data;
using NetGen.Samples.Iris;
using NetGen.Samples.PyTorchImport;

// PyTorch -> ONNX -> compiled C#. tools/pytorch/train_iris.py trained an Iris classifier in PyTorch, exported it to
// models/iris.onnx and recorded its input statistics (models/standardizer.json) and its output for every flower
// (models/iris-pytorch.csv). [OnnxNetwork("models/iris.onnx")] compiled the model into IrisModel at build time. This
// program standardises the 150 flowers of iris.csv with the script's statistics, runs them through IrisModel.Forward and
// IrisModel.Predict, and compares with PyTorch. Exits with 1 if a prediction differs or an output differs by more
// than the tolerance.
// Usage: dotnet run -c Release --project samples/PyTorchImport
const double Tolerance = 1e-5; // absolute, on probabilities in [0, 1]
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
string standardizerPath = Path.Combine(AppContext.BaseDirectory, "models", "standardizer.json");
string pytorchPath = Path.Combine(AppContext.BaseDirectory, "models", "iris-pytorch.csv");
string dataPath = Path.Combine(AppContext.BaseDirectory, "Data", "iris.csv");

try
{
    Console.WriteLine($"IrisModel:    {IrisModel.Architecture}, {IrisModel.ParameterCount} parameters, compiled from models/iris.onnx (tools/pytorch/train_iris.py's export)");
    Console.WriteLine("              the weights are constants in the assembly: no model file is read at run time");

    // 1. The flowers, standardised with the statistics the script trained with.
    Dataset flowers = IrisData.Load(dataPath, IrisModel.ClassNames);
    float[] features = flowers.FeatureValues.ToArray();
    int[] labels = flowers.Labels.ToArray();
    int count = labels.Length;
    Standardizer standardizer = ReadStandardizer(standardizerPath);
    Standardizer netgenFit = Standardizer.Fit(features, IrisModel.InputCount);
    bool sameStatistics = netgenFit.Means.SequenceEqual(standardizer.Means)
        && netgenFit.StandardDeviations.SequenceEqual(standardizer.StandardDeviations);
    Console.WriteLine($"inputs:       standardised with models/standardizer.json: means {Format(standardizer.Means)}, standard deviations {Format(standardizer.StandardDeviations)}");
    Console.WriteLine(sameStatistics
        ? "              (the same floats as NetGen's Standardizer.Fit on the 150 flowers)"
        : $"              (note: NetGen's Standardizer.Fit on the 150 flowers gives means {Format(netgenFit.Means)}, standard deviations {Format(netgenFit.StandardDeviations)})");
    standardizer.Apply(features);

    // 2. What PyTorch computed for the same flowers.
    (float[] pytorchOutputs, int[] pytorchClasses) = ReadPyTorchOutputs(pytorchPath, count);

    // 3. The compiled model, one flower at a time, and the comparison.
    int outputs = IrisModel.OutputCount;
    Span<float> output = stackalloc float[outputs];
    double maxDifference = 0;
    int agree = 0, netgenCorrect = 0, pytorchCorrect = 0;
    for (int i = 0; i < count; i++)
    {
        ReadOnlySpan<float> input = features.AsSpan(i * IrisModel.InputCount, IrisModel.InputCount);
        IrisModel.Forward(input, output);
        ReadOnlySpan<float> expected = pytorchOutputs.AsSpan(i * outputs, outputs);
        for (int o = 0; o < outputs; o++)
        {
            double difference = Math.Abs((double)output[o] - expected[o]);
            maxDifference = double.IsNaN(difference) ? double.PositiveInfinity : Math.Max(maxDifference, difference);
        }

        int netgenClass = IrisModel.Predict(input);
        if (netgenClass == pytorchClasses[i])
        {
            agree++;
        }
        else
        {
            Console.WriteLine($"flower {i}: NetGen predicts {IrisModel.ClassNames[netgenClass]}, PyTorch {IrisModel.ClassNames[pytorchClasses[i]]}");
        }

        netgenCorrect += netgenClass == labels[i] ? 1 : 0;
        pytorchCorrect += pytorchClasses[i] == labels[i] ? 1 : 0;
    }

    Console.WriteLine();
    Console.WriteLine($"{count} flowers, {count * outputs} probabilities, compared with PyTorch's (models/iris-pytorch.csv)");
    Console.WriteLine($"max |NetGen - PyTorch|:      {maxDifference:0.00E+00} (tolerance {Tolerance:0E+00})");
    Console.WriteLine($"predictions agree:           {agree} of {count}");
    Console.WriteLine($"accuracy:                    NetGen {netgenCorrect} of {count} ({(double)netgenCorrect / count:0.0000}), PyTorch {pytorchCorrect} of {count} ({(double)pytorchCorrect / count:0.0000})");
    Console.WriteLine("                             (all 150 flowers: the script trained on all of them)");
    bool ok = agree == count && maxDifference <= Tolerance;
    Console.WriteLine(ok ? "OK: the compiled C# type computes what PyTorch computes." : "FAILED: NetGen and PyTorch disagree.");
    return ok ? 0 : 1;
}
catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or InvalidDataException or JsonException
    or FormatException or System.Collections.Generic.KeyNotFoundException)
{
    Console.Error.WriteLine($"pytorch-import: {exception.Message}");
    return 1;
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


// models/standardizer.json: {"features": [...], "means": [4 numbers], "standard_deviations": [4 numbers]}, float32
// values written with 9 significant digits, so parsing gives back the script's floats exactly.
static Standardizer ReadStandardizer(string path)
{
    using JsonDocument json = JsonDocument.Parse(File.ReadAllText(path));
    float[] means = json.RootElement.GetProperty("means").EnumerateArray().Select(e => e.GetSingle()).ToArray();
    float[] deviations = json.RootElement.GetProperty("standard_deviations").EnumerateArray().Select(e => e.GetSingle()).ToArray();
    if (means.Length != IrisModel.InputCount || deviations.Length != IrisModel.InputCount)
    {
        throw new InvalidDataException($"{path}: expected {IrisModel.InputCount} means and {IrisModel.InputCount} standard deviations.");
    }

    return new Standardizer(means, deviations);
}

// models/iris-pytorch.csv: a header "flower,setosa,versicolor,virginica,predicted", then one line per flower of
// iris.csv, in its order: the flower's index, PyTorch's three probabilities and the class PyTorch predicts.
static (float[] Outputs, int[] Classes) ReadPyTorchOutputs(string path, int count)
{
    string[] lines = File.ReadAllLines(path);
    string expectedHeader = $"flower,{string.Join(',', IrisModel.ClassNames)},predicted";
    if (lines.Length != count + 1 || lines[0] != expectedHeader)
    {
        throw new InvalidDataException($"{path}: expected a header '{expectedHeader}' and {count} rows.");
    }

    int outputs = IrisModel.OutputCount;
    float[] values = new float[count * outputs];
    int[] classes = new int[count];
    for (int row = 0; row < count; row++)
    {
        string[] fields = lines[row + 1].Split(',');
        if (fields.Length != outputs + 2 || int.Parse(fields[0], CultureInfo.InvariantCulture) != row)
        {
            throw new InvalidDataException($"{path}, line {row + 2}: expected flower {row} and {outputs + 1} values.");
        }

        for (int o = 0; o < outputs; o++)
        {
            values[(row * outputs) + o] = float.Parse(fields[o + 1], CultureInfo.InvariantCulture);
        }

        classes[row] = int.Parse(fields[outputs + 1], CultureInfo.InvariantCulture);
        if ((uint)classes[row] >= (uint)outputs)
        {
            throw new InvalidDataException($"{path}, line {row + 2}: class {classes[row]} is not one of 0 to {outputs - 1}.");
        }
    }

    return (values, classes);
}
