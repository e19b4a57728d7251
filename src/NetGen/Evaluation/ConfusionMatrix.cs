using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace NetGen.Evaluation;

/// <summary>
/// Counts of (true class, predicted class) pairs, and the classification metrics derived from them: accuracy and,
/// per class, precision, recall and F1, with their unweighted (macro) means.
/// </summary>
/// <remarks>
/// <para>
/// For class <c>c</c>: true positives <c>TP</c> are samples of class <c>c</c> predicted as <c>c</c>; false positives
/// <c>FP</c> are samples of other classes predicted as <c>c</c>; false negatives <c>FN</c> are samples of class
/// <c>c</c> predicted as something else. Precision is <c>TP / (TP + FP)</c>, recall <c>TP / (TP + FN)</c>, F1 their
/// harmonic mean <c>2PR / (P + R)</c>.
/// </para>
/// <para>
/// <b>Zero divisions are 0</b>, as scikit-learn's <c>zero_division=0</c>: the precision of a class that was never
/// predicted, the recall of a class with no samples, the F1 of a class whose precision and recall are both 0, and the
/// accuracy of an empty matrix. Macro means average over every class, those included.
/// </para>
/// <para><see cref="Add"/> and the metrics allocate nothing; <see cref="ToString"/> and <see cref="ClassificationReport"/> build text.</para>
/// </remarks>
/// <example>
/// <code>
/// var matrix = new ConfusionMatrix(3, ["setosa", "versicolor", "virginica"]);
/// matrix.Add(actual: 1, predicted: 2);
/// Console.WriteLine(matrix);                        // rows: true class, columns: predicted class
/// Console.WriteLine(matrix.ClassificationReport()); // precision, recall, F1 and support per class
/// </code>
/// </example>
public sealed class ConfusionMatrix
{
    private readonly int[] _counts; // [actual * ClassCount + predicted]
    private readonly string[] _classNames;

    /// <summary>Creates an empty matrix over <paramref name="classCount"/> classes.</summary>
    /// <param name="classCount">The number of classes; at least 1.</param>
    /// <param name="classNames">A name per class for the text tables, or <see langword="null"/> for <c>0, 1, ...</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classCount"/> is below 1.</exception>
    /// <exception cref="ArgumentException"><paramref name="classNames"/> does not have <paramref name="classCount"/> names, or one is null.</exception>
    public ConfusionMatrix(int classCount, IReadOnlyList<string>? classNames = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classCount);
        if (classNames is not null && classNames.Count != classCount)
        {
            throw new ArgumentException($"There are {classNames.Count} class names for {classCount} classes.", nameof(classNames));
        }

        _classNames = new string[classCount];
        for (int c = 0; c < classCount; c++)
        {
            _classNames[c] = classNames is null
                ? c.ToString(CultureInfo.InvariantCulture)
                : classNames[c] ?? throw new ArgumentException($"The name of class {c} is null.", nameof(classNames));
        }

        _counts = new int[classCount * classCount];
        ClassCount = classCount;
    }

    /// <summary>The number of classes: the matrix is <c>ClassCount × ClassCount</c>.</summary>
    public int ClassCount { get; }

    /// <summary>The class names, indexed by class (<c>"0"</c>, <c>"1"</c>, ... when none were given).</summary>
    public IReadOnlyList<string> ClassNames => _classNames;

    /// <summary>How many samples of class <paramref name="actual"/> were predicted as <paramref name="predicted"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A class is not in <c>[0, ClassCount)</c>.</exception>
    public int this[int actual, int predicted]
    {
        get
        {
            CheckClass(actual, nameof(actual));
            CheckClass(predicted, nameof(predicted));
            return _counts[(actual * ClassCount) + predicted];
        }
    }

    /// <summary>The number of samples counted.</summary>
    public int Total { get; private set; }

    /// <summary>The number of samples predicted correctly (the diagonal).</summary>
    public int Correct { get; private set; }

    /// <summary>The fraction of samples predicted correctly; 0 for an empty matrix.</summary>
    public double Accuracy => Total == 0 ? 0 : (double)Correct / Total;

    /// <summary>The unweighted mean of <see cref="Precision"/> over all classes.</summary>
    public double MacroPrecision => MeanOverClasses(Precision);

    /// <summary>The unweighted mean of <see cref="Recall"/> over all classes.</summary>
    public double MacroRecall => MeanOverClasses(Recall);

    /// <summary>The unweighted mean of <see cref="F1"/> over all classes (scikit-learn's <c>f1_score(average='macro')</c>).</summary>
    public double MacroF1 => MeanOverClasses(F1);

    private double MeanOverClasses(Func<int, double> measure)
    {
        double sum = 0;
        for (int c = 0; c < ClassCount; c++)
        {
            sum += measure(c);
        }

        return sum / ClassCount;
    }

    /// <summary>Counts one sample of class <paramref name="actual"/> predicted as <paramref name="predicted"/>. Allocation-free.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A class is not in <c>[0, ClassCount)</c>.</exception>
    public void Add(int actual, int predicted)
    {
        CheckClass(actual, nameof(actual));
        CheckClass(predicted, nameof(predicted));
        _counts[(actual * ClassCount) + predicted]++;
        Total++;
        if (actual == predicted)
        {
            Correct++;
        }
    }

    /// <summary>Sets every count to zero, keeping the classes and names, so that the matrix can be filled again.</summary>
    public void Clear()
    {
        Array.Clear(_counts);
        Total = 0;
        Correct = 0;
    }

    /// <summary>The number of samples whose true class is <paramref name="c"/> (the row sum; scikit-learn's <c>support</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="c"/> is not in <c>[0, ClassCount)</c>.</exception>
    public int ActualCount(int c)
    {
        CheckClass(c, nameof(c));
        int sum = 0;
        for (int predicted = 0; predicted < ClassCount; predicted++)
        {
            sum += _counts[(c * ClassCount) + predicted];
        }

        return sum;
    }

    /// <summary>The number of samples predicted as class <paramref name="c"/> (the column sum).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="c"/> is not in <c>[0, ClassCount)</c>.</exception>
    public int PredictedCount(int c)
    {
        CheckClass(c, nameof(c));
        int sum = 0;
        for (int actual = 0; actual < ClassCount; actual++)
        {
            sum += _counts[(actual * ClassCount) + c];
        }

        return sum;
    }

    /// <summary>Samples of class <paramref name="c"/> predicted as <paramref name="c"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="c"/> is not in <c>[0, ClassCount)</c>.</exception>
    public int TruePositives(int c)
    {
        CheckClass(c, nameof(c));
        return _counts[(c * ClassCount) + c];
    }

    /// <summary>Samples of other classes predicted as <paramref name="c"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="c"/> is not in <c>[0, ClassCount)</c>.</exception>
    public int FalsePositives(int c) => PredictedCount(c) - TruePositives(c);

    /// <summary>Samples of class <paramref name="c"/> predicted as another class.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="c"/> is not in <c>[0, ClassCount)</c>.</exception>
    public int FalseNegatives(int c) => ActualCount(c) - TruePositives(c);

    /// <summary><c>TP / (TP + FP)</c> for class <paramref name="c"/>; 0 when the class was never predicted.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="c"/> is not in <c>[0, ClassCount)</c>.</exception>
    public double Precision(int c) => Ratio(TruePositives(c), PredictedCount(c));

    /// <summary><c>TP / (TP + FN)</c> for class <paramref name="c"/>; 0 when no sample has that class.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="c"/> is not in <c>[0, ClassCount)</c>.</exception>
    public double Recall(int c) => Ratio(TruePositives(c), ActualCount(c));

    /// <summary>The harmonic mean <c>2PR / (P + R)</c> of precision and recall for class <paramref name="c"/>; 0 when both are 0.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="c"/> is not in <c>[0, ClassCount)</c>.</exception>
    public double F1(int c)
    {
        // 2TP / (2TP + FP + FN): the same value as 2PR / (P + R), without rounding P and R first.
        int truePositives = TruePositives(c);
        return Ratio(2 * truePositives, PredictedCount(c) + ActualCount(c));
    }

    /// <summary>
    /// The matrix as a text table: one row per true class, one column per predicted class, headed by the class names.
    /// </summary>
    public override string ToString()
    {
        int width = Math.Max(MaxNameLength(), Math.Max(Digits(Total), 5)) + 2;
        var text = new StringBuilder();
        text.Append(' ', width);
        foreach (string name in _classNames)
        {
            text.Append(name.PadLeft(width));
        }

        for (int actual = 0; actual < ClassCount; actual++)
        {
            text.AppendLine().Append(_classNames[actual].PadRight(width));
            for (int predicted = 0; predicted < ClassCount; predicted++)
            {
                text.Append(_counts[(actual * ClassCount) + predicted].ToString(CultureInfo.InvariantCulture).PadLeft(width));
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// Precision, recall, F1 and support (<see cref="ActualCount"/>) per class, then the macro means and the accuracy,
    /// as a text table in the manner of scikit-learn's <c>classification_report</c>.
    /// </summary>
    public string ClassificationReport()
    {
        int width = Math.Max(MaxNameLength(), "accuracy".Length) + 2;
        var text = new StringBuilder();
        text.Append(' ', width).Append("precision".PadLeft(11)).Append("recall".PadLeft(11)).Append("f1".PadLeft(11)).Append("support".PadLeft(11));
        for (int c = 0; c < ClassCount; c++)
        {
            Row(text, _classNames[c], width, Precision(c), Recall(c), F1(c), ActualCount(c));
        }

        text.AppendLine();
        Row(text, "macro", width, MacroPrecision, MacroRecall, MacroF1, Total);
        text.AppendLine().Append("accuracy".PadRight(width)).Append(' ', 22)
            .Append(Accuracy.ToString("0.0000", CultureInfo.InvariantCulture).PadLeft(11))
            .Append(Total.ToString(CultureInfo.InvariantCulture).PadLeft(11));
        return text.ToString();
    }

    private static void Row(StringBuilder text, string name, int width, double precision, double recall, double f1, int support)
    {
        text.AppendLine().Append(name.PadRight(width))
            .Append(precision.ToString("0.0000", CultureInfo.InvariantCulture).PadLeft(11))
            .Append(recall.ToString("0.0000", CultureInfo.InvariantCulture).PadLeft(11))
            .Append(f1.ToString("0.0000", CultureInfo.InvariantCulture).PadLeft(11))
            .Append(support.ToString(CultureInfo.InvariantCulture).PadLeft(11));
    }

    private static double Ratio(int numerator, int denominator) => denominator == 0 ? 0 : (double)numerator / denominator;

    private static int Digits(int value) => value.ToString(CultureInfo.InvariantCulture).Length;

    private int MaxNameLength()
    {
        int length = 0;
        foreach (string name in _classNames)
        {
            length = Math.Max(length, name.Length);
        }

        return length;
    }

    private void CheckClass(int c, string paramName)
    {
        if ((uint)c >= (uint)ClassCount)
        {
            throw new ArgumentOutOfRangeException(paramName, c, $"The class must be in [0, {ClassCount}).");
        }
    }
}
