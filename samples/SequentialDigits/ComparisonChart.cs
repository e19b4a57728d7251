using System;
using System.Linq;
using NetGen.Training;
using ScottPlot;

namespace NetGen.Samples.SequentialDigits;

/// <summary>Draws the training of the GRU and of the MLP side by side with ScottPlot.</summary>
public static class ComparisonChart
{
    /// <summary>
    /// Writes a PNG of the validation loss (top) and validation accuracy (bottom) per epoch of both networks, each
    /// network's best epoch marked. Rendered by SkiaSharp without a display.
    /// </summary>
    /// <param name="gru">The GRU's history; at least one epoch.</param>
    /// <param name="mlp">The MLP's history; at least one epoch.</param>
    /// <param name="path">The PNG file to write (replaced if it exists).</param>
    /// <param name="width">The image width in pixels.</param>
    /// <param name="height">The image height in pixels.</param>
    /// <exception cref="ArgumentException">A history has no epochs.</exception>
    public static void SavePng(TrainingHistory gru, TrainingHistory mlp, string path, int width = 900, int height = 700)
    {
        ArgumentNullException.ThrowIfNull(gru);
        ArgumentNullException.ThrowIfNull(mlp);
        if (gru.Count == 0 || mlp.Count == 0)
        {
            throw new ArgumentException("There are no epochs to draw.", gru.Count == 0 ? nameof(gru) : nameof(mlp));
        }

        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        Plot loss = multiplot.GetPlot(0);
        Plot accuracy = multiplot.GetPlot(1);
        foreach ((TrainingHistory history, string name, Color color) in new[] { (gru, "GRU 8x8-32-10", Colors.Blue), (mlp, "MLP 64-32-10", Colors.Green) })
        {
            double[] epochs = history.Select(e => (double)e.Epoch).ToArray();
            Line(loss, epochs, history.Select(e => e.ValidationLoss ?? double.NaN), name, color);
            Line(accuracy, epochs, history.Select(e => e.ValidationAccuracy ?? double.NaN), name, color);
            if (history.BestEpoch is int best)
            {
                foreach (Plot plot in new[] { loss, accuracy })
                {
                    var line = plot.Add.VerticalLine(best);
                    line.LinePattern = LinePattern.Dashed;
                    line.Color = color.WithAlpha(0.6);
                    line.LegendText = $"{name}: best epoch ({best})";
                }
            }
        }

        loss.Title("Digits as 8 rows of 8 pixels (GRU) and as 64 pixels (MLP): validation loss per epoch");
        loss.YLabel("cross-entropy");
        accuracy.Title("validation accuracy per epoch");
        accuracy.YLabel("accuracy");
        accuracy.XLabel("epoch");
        loss.ShowLegend(Alignment.UpperRight);
        accuracy.ShowLegend(Alignment.LowerRight);
        multiplot.SavePng(path, width, height);
    }

    private static void Line(Plot plot, double[] epochs, System.Collections.Generic.IEnumerable<double> values, string label, Color color)
    {
        var scatter = plot.Add.Scatter(epochs, values.ToArray());
        scatter.LegendText = label;
        scatter.Color = color;
        scatter.MarkerSize = 3;
    }
}
