using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using NetGen.Initialization;

namespace NetGen.Samples.Iris;

/// <summary>Labelled flowers: four measurements each and a class index into <see cref="ClassNames"/>.</summary>
/// <param name="Features">One array of <see cref="FeatureCount"/> measurements per flower.</param>
/// <param name="Labels">The class of each flower.</param>
/// <param name="ClassNames">The class names, indexed by label.</param>
public sealed record IrisData(IReadOnlyList<float[]> Features, IReadOnlyList<int> Labels, IReadOnlyList<string> ClassNames)
{
    /// <summary>Sepal length, sepal width, petal length and petal width, in cm.</summary>
    public const int FeatureCount = 4;

    /// <summary>The data file copied next to the sample's assembly (and next to the tests' assembly).</summary>
    public static string DefaultPath { get; } = Path.Combine(AppContext.BaseDirectory, "Data", "iris.csv");

    /// <summary>The number of flowers.</summary>
    public int Count => Labels.Count;

    /// <summary>
    /// Reads the CSV format of <c>Data/iris.csv</c>: a header <c>rows,features,name0,name1,...</c>, then one line
    /// <c>f1,f2,f3,f4,label</c> per flower.
    /// </summary>
    public static IrisData Load(string? path = null)
    {
        path ??= DefaultPath;
        string[] lines = File.ReadAllLines(path);
        string[] header = lines[0].Split(',');
        int rows = int.Parse(header[0], CultureInfo.InvariantCulture);
        if (int.Parse(header[1], CultureInfo.InvariantCulture) != FeatureCount || lines.Length - 1 != rows)
        {
            throw new InvalidDataException($"{path}: expected {rows} rows of {FeatureCount} features, found {lines.Length - 1} rows.");
        }

        var features = new float[rows][];
        int[] labels = new int[rows];
        for (int row = 0; row < rows; row++)
        {
            string[] fields = lines[row + 1].Split(',');
            features[row] = fields.Take(FeatureCount).Select(f => float.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            labels[row] = int.Parse(fields[FeatureCount], CultureInfo.InvariantCulture);
        }

        return new IrisData(features, labels, header[2..]);
    }

    /// <summary>
    /// Splits the flowers into a training and a test set, keeping each class's proportion (a stratified split): each
    /// class's flowers are shuffled with <paramref name="random"/> and the first <paramref name="trainFraction"/> of
    /// them go to training.
    /// </summary>
    public (IrisData Train, IrisData Test) SplitStratified(double trainFraction, ref NetGenRandom random)
    {
        var train = new List<int>();
        var test = new List<int>();
        for (int label = 0; label < ClassNames.Count; label++)
        {
            int[] members = Enumerable.Range(0, Count).Where(i => Labels[i] == label).ToArray();
            random.Shuffle(members.AsSpan());
            int trainCount = (int)Math.Round(members.Length * trainFraction);
            train.AddRange(members[..trainCount]);
            test.AddRange(members[trainCount..]);
        }

        return (Select(train), Select(test));
    }

    /// <summary>The mean and (population) standard deviation of each feature.</summary>
    public (float[] Mean, float[] StandardDeviation) FeatureStatistics()
    {
        float[] mean = new float[FeatureCount];
        float[] deviation = new float[FeatureCount];
        for (int f = 0; f < FeatureCount; f++)
        {
            mean[f] = (float)Features.Average(x => x[f]);
            deviation[f] = (float)Math.Sqrt(Features.Average(x => (x[f] - mean[f]) * (double)(x[f] - mean[f])));
        }

        return (mean, deviation);
    }

    /// <summary>A copy with every feature standardised as <c>(x - mean) / standardDeviation</c>.</summary>
    public IrisData Standardize(float[] mean, float[] standardDeviation)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(standardDeviation);
        float[][] scaled = Features.Select(x => x.Select((value, f) => (value - mean[f]) / standardDeviation[f]).ToArray()).ToArray();
        return this with { Features = scaled };
    }

    private IrisData Select(List<int> rows)
        => new(rows.Select(i => Features[i]).ToArray(), rows.Select(i => Labels[i]).ToArray(), ClassNames);
}
