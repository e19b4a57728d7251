using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace NetGen.Samples.Iris;

/// <summary>Counts of (true class, predicted class) pairs.</summary>
public sealed class ConfusionMatrix
{
    private readonly int[,] _counts;

    /// <summary>Creates an empty matrix over <paramref name="classNames"/>.</summary>
    public ConfusionMatrix(IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        ClassNames = classNames;
        _counts = new int[classNames.Count, classNames.Count];
    }

    /// <summary>The class names, indexed by class.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>How many samples of class <paramref name="actual"/> were predicted as <paramref name="predicted"/>.</summary>
    public int this[int actual, int predicted] => _counts[actual, predicted];

    /// <summary>The number of samples counted.</summary>
    public int Total { get; private set; }

    /// <summary>The number of samples predicted correctly (the diagonal).</summary>
    public int Correct { get; private set; }

    /// <summary>The fraction of samples predicted correctly.</summary>
    public double Accuracy => Total == 0 ? 0 : (double)Correct / Total;

    /// <summary>Counts one sample.</summary>
    public void Add(int actual, int predicted)
    {
        _counts[actual, predicted]++;
        Total++;
        Correct += actual == predicted ? 1 : 0;
    }

    /// <summary>The matrix as a text table: one row per true class, one column per predicted class.</summary>
    public override string ToString()
    {
        int width = Math.Max(ClassNames.Max(n => n.Length), 5) + 2;
        var text = new StringBuilder();
        text.Append(' ', width);
        foreach (string name in ClassNames)
        {
            text.Append(name.PadLeft(width));
        }

        for (int actual = 0; actual < ClassNames.Count; actual++)
        {
            text.AppendLine().Append(ClassNames[actual].PadRight(width));
            for (int predicted = 0; predicted < ClassNames.Count; predicted++)
            {
                text.Append(_counts[actual, predicted].ToString(CultureInfo.InvariantCulture).PadLeft(width));
            }
        }

        return text.ToString();
    }
}
