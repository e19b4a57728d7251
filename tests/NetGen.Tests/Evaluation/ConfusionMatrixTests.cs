using NetGen.Evaluation;

namespace NetGen.Tests;

/// <summary>Counts and metrics of <see cref="ConfusionMatrix"/> on matrices worked out by hand.</summary>
public sealed class ConfusionMatrixTests
{
    /// <summary>
    /// Rows are true classes, columns predicted ones:
    /// <code>
    ///      a  b  c
    ///   a  3  1  0
    ///   b  1  2  0
    ///   c  1  2  0     c is never predicted
    /// </code>
    /// </summary>
    private static ConfusionMatrix HandWorked()
    {
        var matrix = new ConfusionMatrix(3, ["a", "b", "c"]);
        (int Actual, int Predicted, int Times)[] pairs = [(0, 0, 3), (0, 1, 1), (1, 1, 2), (1, 0, 1), (2, 0, 1), (2, 1, 2)];
        foreach ((int actual, int predicted, int times) in pairs)
        {
            for (int i = 0; i < times; i++)
            {
                matrix.Add(actual, predicted);
            }
        }

        return matrix;
    }

    [Fact]
    public void Counts_and_accuracy()
    {
        ConfusionMatrix m = HandWorked();

        Assert.Equal(10, m.Total);
        Assert.Equal(5, m.Correct);
        Assert.Equal(0.5, m.Accuracy);
        Assert.Equal(1, m[0, 1]);
        Assert.Equal(2, m[2, 1]);
        Assert.Equal([4, 3, 3], new[] { m.ActualCount(0), m.ActualCount(1), m.ActualCount(2) });
        Assert.Equal([5, 5, 0], new[] { m.PredictedCount(0), m.PredictedCount(1), m.PredictedCount(2) });
        Assert.Equal([3, 2, 0], new[] { m.TruePositives(0), m.TruePositives(1), m.TruePositives(2) });
        Assert.Equal([2, 3, 0], new[] { m.FalsePositives(0), m.FalsePositives(1), m.FalsePositives(2) });
        Assert.Equal([1, 1, 3], new[] { m.FalseNegatives(0), m.FalseNegatives(1), m.FalseNegatives(2) });
    }

    [Fact]
    public void Precision_recall_and_f1_per_class_and_macro()
    {
        ConfusionMatrix m = HandWorked();

        // a: P = 3/5, R = 3/4, F1 = 2·3 / (5 + 4). b: P = 2/5, R = 2/3, F1 = 2·2 / (5 + 3).
        Assert.Equal(0.6, m.Precision(0), 12);
        Assert.Equal(0.75, m.Recall(0), 12);
        Assert.Equal(2.0 / 3, m.F1(0), 12);
        Assert.Equal(0.4, m.Precision(1), 12);
        Assert.Equal(2.0 / 3, m.Recall(1), 12);
        Assert.Equal(0.5, m.F1(1), 12);

        // c is never predicted: its precision is 0/0, reported as 0; no c is found, so recall and F1 are 0.
        Assert.Equal(0, m.Precision(2));
        Assert.Equal(0, m.Recall(2));
        Assert.Equal(0, m.F1(2));

        Assert.Equal((0.6 + 0.4 + 0) / 3, m.MacroPrecision, 12);
        Assert.Equal((0.75 + (2.0 / 3) + 0) / 3, m.MacroRecall, 12);
        Assert.Equal(((2.0 / 3) + 0.5 + 0) / 3, m.MacroF1, 12);
    }

    [Fact]
    public void Zero_divisions_are_zero()
    {
        var m = new ConfusionMatrix(3);
        Assert.Equal(0, m.Accuracy); // empty
        Assert.Equal(0, m.Precision(0));
        Assert.Equal(0, m.Recall(0));
        Assert.Equal(0, m.F1(0));
        Assert.Equal(0, m.MacroF1);

        // Class 2 has no samples but is predicted once: precision 0 of 1, recall 0/0 = 0, F1 0.
        m.Add(0, 0);
        m.Add(1, 2);
        Assert.Equal(0, m.Precision(2));
        Assert.Equal(0, m.Recall(2));
        Assert.Equal(0, m.F1(2));
        Assert.Equal(1, m.Precision(0));
        Assert.Equal(1, m.Recall(0));
        Assert.Equal(1, m.F1(0));
        Assert.Equal(0, m.Recall(1));
    }

    [Fact]
    public void A_perfect_matrix_scores_one_everywhere()
    {
        var m = new ConfusionMatrix(2);
        m.Add(0, 0);
        m.Add(1, 1);
        m.Add(1, 1);

        Assert.Equal(1, m.Accuracy);
        Assert.Equal(1, m.MacroPrecision);
        Assert.Equal(1, m.MacroRecall);
        Assert.Equal(1, m.MacroF1);
    }

    [Fact]
    public void Clear_empties_the_counts()
    {
        ConfusionMatrix m = HandWorked();
        m.Clear();

        Assert.Equal(0, m.Total);
        Assert.Equal(0, m.Correct);
        Assert.Equal(0, m[0, 0]);
        Assert.Equal(["a", "b", "c"], m.ClassNames);
    }

    [Fact]
    public void ToString_is_a_table_with_true_classes_as_rows()
    {
        string[] expected =
        [
            "             a      b      c",
            "a            3      1      0",
            "b            1      2      0",
            "c            1      2      0",
        ];

        Assert.Equal(string.Join(Environment.NewLine, expected), HandWorked().ToString());
        Assert.StartsWith("             0      1", new ConfusionMatrix(2).ToString());
    }

    [Fact]
    public void Classification_report_lists_each_class_then_the_means()
    {
        string[] lines = HandWorked().ClassificationReport().Split(Environment.NewLine);

        Assert.Equal("            precision     recall         f1    support", lines[0]);
        Assert.Equal("a              0.6000     0.7500     0.6667          4", lines[1]);
        Assert.Equal("b              0.4000     0.6667     0.5000          3", lines[2]);
        Assert.Equal("c              0.0000     0.0000     0.0000          3", lines[3]);
        Assert.Equal(string.Empty, lines[4]);
        Assert.Equal("macro          0.3333     0.4722     0.3889         10", lines[5]);
        Assert.Equal("accuracy                             0.5000         10", lines[6]);
    }

    [Fact]
    public void Arguments_are_checked()
    {
        var m = new ConfusionMatrix(2);

        Assert.Throws<ArgumentOutOfRangeException>("classCount", () => new ConfusionMatrix(0));
        Assert.Throws<ArgumentException>("classNames", () => new ConfusionMatrix(2, ["only one"]));
        Assert.Throws<ArgumentException>("classNames", () => new ConfusionMatrix(2, ["a", null!]));
        Assert.Throws<ArgumentOutOfRangeException>("actual", () => m.Add(2, 0));
        Assert.Throws<ArgumentOutOfRangeException>("predicted", () => m.Add(0, -1));
        Assert.Throws<ArgumentOutOfRangeException>("actual", () => m[5, 0]);
        Assert.Throws<ArgumentOutOfRangeException>("c", () => m.Precision(2));
        Assert.Equal(0, m.Total);
    }
}
