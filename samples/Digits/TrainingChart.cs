using System;
using System.Linq;
using NetGen.Training;
using ScottPlot;

namespace NetGen.Samples.Digits;

/// <summary>Draws a <see cref="TrainingHistory"/> as two charts, loss above accuracy, with ScottPlot.</summary>
public static class TrainingChart
{
    /// <summary>
    /// Writes a PNG of the training and validation loss (top) and accuracy (bottom) per epoch, with the best epoch
    /// marked when early stopping chose one. Rendered by SkiaSharp without a display.
    /// </summary>
    /// <param name="history">The epochs to draw; at least one.</param>
    /// <param name="path">The PNG file to write (replaced if it exists).</param>
    /// <param name="width">The image width in pixels.</param>
    /// <param name="height">The image height in pixels.</param>
    /// <exception cref="ArgumentException">The history has no epochs.</exception>
    public static void SavePng(TrainingHistory history, string path, int width = 900, int height = 700)
    {
        ArgumentNullException.ThrowIfNull(history);
        if (history.Count == 0)
        {
            throw new ArgumentException("There are no epochs to draw.", nameof(history));
        }

        double[] epochs = history.Select(e => (double)e.Epoch).ToArray();
        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        Plot loss = multiplot.GetPlot(0);
        Plot accuracy = multiplot.GetPlot(1);

        Line(loss, epochs, history.Select(e => e.TrainingLoss), "training");
        Line(loss, epochs, history.Select(e => e.ValidationLoss), "validation");
        loss.Title("DigitsNet 64-32-10: cross-entropy loss per epoch");
        loss.YLabel("mean loss");

        Line(accuracy, epochs, history.Select(e => e.TrainingAccuracy), "training");
        Line(accuracy, epochs, history.Select(e => e.ValidationAccuracy), "validation");
        accuracy.Title("accuracy per epoch");
        accuracy.YLabel("accuracy");
        accuracy.XLabel("epoch");

        if (history.BestEpoch is int best)
        {
            foreach (Plot plot in new[] { loss, accuracy })
            {
                var line = plot.Add.VerticalLine(best);
                line.LinePattern = LinePattern.Dashed;
                line.Color = Colors.Gray;
                line.LegendText = $"best epoch ({best})";
            }
        }

        loss.ShowLegend(Alignment.UpperRight);
        accuracy.ShowLegend(Alignment.LowerRight);
        multiplot.SavePng(path, width, height);
    }

    private static void Line(Plot plot, double[] epochs, System.Collections.Generic.IEnumerable<double?> values, string label)
    {
        double?[] points = values.ToArray();
        if (points.All(v => v is null))
        {
            return;
        }

        var scatter = plot.Add.Scatter(epochs, points.Select(v => v ?? double.NaN).ToArray());
        scatter.LegendText = label;
        scatter.MarkerSize = 3;
    }

    private static void Line(Plot plot, double[] epochs, System.Collections.Generic.IEnumerable<double> values, string label)
        => Line(plot, epochs, values.Select(v => (double?)v), label);
}
