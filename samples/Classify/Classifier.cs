using System;
using System.Globalization;
using System.IO;
using NetGen.Data;
using NetGen.Serialization;

namespace NetGen.Samples.Classify;

/// <summary>An <see cref="IrisModel"/> and the <see cref="Standardizer"/> of its inputs, loaded from a weight file.</summary>
public sealed class Classifier
{
    private static readonly char[] Separators = [',', ';', ' ', '\t'];

    private readonly IrisModel _network = new();
    private readonly Standardizer _standardizer;

    /// <summary>Loads the model at <paramref name="modelPath"/> (see <see cref="WeightFile.LoadFile"/>).</summary>
    /// <exception cref="WeightFileException">The file is not a weight file of <see cref="IrisModel"/>.</exception>
    /// <exception cref="InvalidDataException">The file has no standardizer.</exception>
    public Classifier(string modelPath)
    {
        _standardizer = WeightFile.LoadFile(_network, modelPath)
            ?? throw new InvalidDataException($"{modelPath}: the model has no standardizer for its inputs.");
    }

    /// <summary>
    /// The most probable class of a flower and its probability, from its sepal length, sepal width, petal length and
    /// petal width in cm.
    /// </summary>
    public (int Class, float Probability) Classify(ReadOnlySpan<float> measurements)
    {
        Span<float> input = stackalloc float[IrisModel.InputCount];
        measurements.CopyTo(input);
        _standardizer.Apply(input);
        Span<float> probabilities = stackalloc float[IrisModel.OutputCount];
        _network.Forward(input, probabilities);
        int best = 0;
        for (int i = 1; i < probabilities.Length; i++)
        {
            if (probabilities[i] > probabilities[best])
            {
                best = i;
            }
        }

        return (best, probabilities[best]);
    }

    /// <summary>The printed form of a result: the class name and its probability with three decimals.</summary>
    public static string Format((int Class, float Probability) result)
        => string.Create(CultureInfo.InvariantCulture, $"{IrisModel.ClassNames[result.Class]} {result.Probability:0.000}");

    /// <summary>
    /// Reads four measurements separated by commas, semicolons, spaces or tabs (invariant culture) into
    /// <paramref name="measurements"/>; false if <paramref name="text"/> is anything else.
    /// </summary>
    public static bool TryParse(string text, Span<float> measurements)
    {
        string[] fields = text.Split(Separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (fields.Length != IrisModel.InputCount || measurements.Length != IrisModel.InputCount)
        {
            return false;
        }

        for (int i = 0; i < fields.Length; i++)
        {
            if (!float.TryParse(fields[i], NumberStyles.Float, CultureInfo.InvariantCulture, out measurements[i]) || !float.IsFinite(measurements[i]))
            {
                return false;
            }
        }

        return true;
    }
}
