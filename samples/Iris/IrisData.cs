using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using NetGen.Data;

namespace NetGen.Samples.Iris;

/// <summary>Reads the Iris flowers: four measurements each, a class label and the class names.</summary>
public static class IrisData
{
    /// <summary>Sepal length, sepal width, petal length and petal width, in cm.</summary>
    public const int FeatureCount = 4;

    /// <summary>The data file copied next to the sample's assembly (and next to the tests' assembly).</summary>
    public static string DefaultPath { get; } = Path.Combine(AppContext.BaseDirectory, "Data", "iris.csv");

    /// <summary>
    /// Reads the CSV format of <c>Data/iris.csv</c>: a header <c>rows,features,name0,name1,...</c>, then one line
    /// <c>f1,f2,f3,f4,label</c> per flower. The targets are the one-hot rows of the labels.
    /// </summary>
    /// <param name="path">The file, or <see langword="null"/> for <see cref="DefaultPath"/>.</param>
    /// <returns>The flowers (in file order) and the class names, indexed by label.</returns>
    /// <exception cref="InvalidDataException">The file does not have the announced number of rows and features.</exception>
    public static (Dataset Flowers, IReadOnlyList<string> ClassNames) Load(string? path = null)
    {
        path ??= DefaultPath;
        string[] lines = File.ReadAllLines(path);
        string[] header = lines[0].Split(',');
        int rows = int.Parse(header[0], CultureInfo.InvariantCulture);
        if (int.Parse(header[1], CultureInfo.InvariantCulture) != FeatureCount || lines.Length - 1 != rows)
        {
            throw new InvalidDataException($"{path}: expected {rows} rows of {FeatureCount} features, found {lines.Length - 1} rows.");
        }

        string[] classNames = header[2..];
        float[] features = new float[rows * FeatureCount];
        int[] labels = new int[rows];
        for (int row = 0; row < rows; row++)
        {
            string[] fields = lines[row + 1].Split(',');
            for (int f = 0; f < FeatureCount; f++)
            {
                features[(row * FeatureCount) + f] = float.Parse(fields[f], CultureInfo.InvariantCulture);
            }

            labels[row] = int.Parse(fields[FeatureCount], CultureInfo.InvariantCulture);
        }

        var flowers = new Dataset(features, FeatureCount, OneHot.Encode(labels, classNames.Length), classNames.Length, labels, classNames.Length);
        return (flowers, classNames);
    }

    /// <summary>
    /// Reads the file as <see cref="Load(string?)"/> does and requires its class names to be <paramref name="classNames"/>,
    /// in order: the labels then mean what a model's outputs mean. (Classify, OnnxExport and PyTorchImport link this file.)
    /// </summary>
    /// <exception cref="InvalidDataException">The file is malformed or names other classes.</exception>
    public static Dataset Load(string path, IReadOnlyList<string> classNames)
    {
        (Dataset flowers, IReadOnlyList<string> names) = Load(path);
        if (!System.Linq.Enumerable.SequenceEqual(names, classNames))
        {
            throw new InvalidDataException($"{path}: expected the classes {string.Join(',', classNames)}, found {string.Join(',', names)}.");
        }

        return flowers;
    }
}
