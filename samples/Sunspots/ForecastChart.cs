using System;
using System.Globalization;
using System.Linq;
using ScottPlot;

namespace NetGen.Samples.Sunspots;

/// <summary>Draws the forecasts of a <see cref="SunspotsResult"/> with ScottPlot.</summary>
public static class ForecastChart
{
    /// <summary>
    /// Writes a PNG of two charts: above, the whole series with the GRU's one-year-ahead forecasts (fitted on the
    /// training and validation years, forecast on the held-out ones, which are shaded); below, the held-out years with
    /// the truth and the forecasts of persistence, the MLP and the GRU. Rendered by SkiaSharp without a display.
    /// </summary>
    /// <param name="result">The forecasts to draw.</param>
    /// <param name="path">The PNG file to write (replaced if it exists).</param>
    /// <param name="width">The image width in pixels.</param>
    /// <param name="height">The image height in pixels.</param>
    public static void SavePng(SunspotsResult result, string path, int width = 1000, int height = 800)
    {
        ArgumentNullException.ThrowIfNull(result);
        SunspotSeries series = result.Series;
        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        Plot whole = multiplot.GetPlot(0);
        Plot test = multiplot.GetPlot(1);

        var validation = whole.Add.HorizontalSpan(result.FirstValidationYear - 0.5, result.FirstTestYear - 0.5);
        validation.FillStyle.Color = Colors.Gray.WithAlpha(0.12);
        validation.LineStyle.Width = 0;
        validation.LegendText = "validation (early stopping)";
        var heldOut = whole.Add.HorizontalSpan(result.FirstTestYear - 0.5, series.LastYear + 0.5);
        heldOut.FillStyle.Color = Colors.Orange.WithAlpha(0.15);
        heldOut.LineStyle.Width = 0;
        heldOut.LegendText = "held out";
        Line(whole, Years(series.FirstYear, series.Count), series.Numbers, "observed", Colors.Black, markers: false);
        Line(whole, Years(result.Gru.FirstYear, result.Gru.Values.Length), result.Gru.Values, $"{result.Gru.Model}, one year ahead", Colors.Blue, markers: false);
        whole.Title($"Yearly sunspot numbers {series.FirstYear}-{series.LastYear} and the GRU's forecasts from the 20 years before");
        whole.YLabel("sunspot number");
        whole.ShowLegend(Alignment.UpperLeft);

        int first = result.FirstTestYear;
        double[] years = Years(first, result.TestCount);
        Line(test, years, series.Numbers[(first - series.FirstYear)..], "observed", Colors.Black, markers: true);
        foreach ((Forecast forecast, Color color) in new[] { (result.Persistence, Colors.Gray), (result.Mlp, Colors.Green), (result.Gru, Colors.Blue) })
        {
            Line(test, years, forecast.Values[(first - forecast.FirstYear)..], $"{forecast.Model} (RMSE {forecast.TestRmse:0.0})", color, markers: true);
        }

        test.Title($"Held-out years {first}-{series.LastYear}: one-year-ahead forecasts");
        test.YLabel("sunspot number");
        test.XLabel("year");
        test.ShowLegend(Alignment.UpperRight);
        foreach (Plot plot in new[] { whole, test })
        {
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { LabelFormatter = year => year.ToString("0", CultureInfo.InvariantCulture) };
        }

        multiplot.SavePng(path, width, height);
    }

    private static double[] Years(int first, int count) => Enumerable.Range(first, count).Select(y => (double)y).ToArray();

    private static void Line(Plot plot, double[] years, float[] values, string label, Color color, bool markers)
    {
        var scatter = plot.Add.Scatter(years, values.Select(v => (double)v).ToArray());
        scatter.LegendText = label;
        scatter.Color = color;
        scatter.MarkerSize = markers ? 5 : 0;
        scatter.LineWidth = markers ? 1.5f : 1;
    }
}
