extern alias SequentialDigitsSample;

using System.IO;
using System.Linq;
using NetGen.Data;
using NetGen.Samples.Sunspots;
using SequentialDigitsSample::NetGen.Samples.SequentialDigits;
using DigitsExperiment = NetGen.Samples.Digits.DigitsExperiment;
using DigitsSplit = NetGen.Samples.Digits.DigitsSplit;
using LinkedDigitsData = SequentialDigitsSample::NetGen.Samples.Digits.DigitsData;
using LinkedDigitsExperiment = SequentialDigitsSample::NetGen.Samples.Digits.DigitsExperiment;

namespace NetGen.Tests;

/// <summary>
/// The sequence samples' experiments, shortened: samples/SequentialDigits (a GRU reads the digits row by row) and
/// samples/Sunspots (GRU and MLP forecasts against persistence). Each test takes a few seconds at most.
/// </summary>
public sealed class SequenceSampleTests
{
    /// <summary>The SequentialDigits GRU after 5 epochs (the sample trains up to 100, early stopping ends it near 24).</summary>
    private static readonly Lazy<SequentialDigitsResult> ShortGru = new(() => SequentialDigitsExperiment.Run(epochs: 5));

    /// <summary>The Sunspots experiment with at most 20 epochs per network (the sample's early stopping ends near 50-70).</summary>
    private static readonly Lazy<SunspotsResult> ShortSunspots = new(() => SunspotsExperiment.Run(epochs: 20));

    [Fact]
    public void SequentialDigitsGruReadsRowsAndPassesNinetyPercentAfterFiveEpochs()
    {
        SequentialDigitsResult result = ShortGru.Value;

        Assert.Equal(8, SequentialDigitsExperiment.Steps);
        Assert.Equal((1069, 189, 539), (result.Split.Train.Count, result.Split.Validation.Count, result.Test.Count));
        Assert.Equal(5, result.History.Count);
        Assert.True(result.TestAccuracy >= 0.9, $"Test accuracy {result.TestAccuracy:0.0000} after 5 epochs; confusion matrix:\n{result.Confusion}");
    }

    [Fact]
    public void SequentialDigitsStepOverAllRowsGivesTheEvaluatedAccuracy()
    {
        SequentialDigitsResult result = ShortGru.Value;

        double[] byRows = SequentialDigitsExperiment.AccuracyByRowsRead(result.Network, result.Split.Test);

        Assert.Equal(8, byRows.Length);
        Assert.Equal(result.TestAccuracy, byRows[^1]);
    }

    [Fact]
    public void SequentialDigitsIsTestedOnTheDigitsSamplesTestImages()
    {
        // The split of the Digits assembly itself against the one the SequentialDigits assembly compiled in.
        DigitsSplit digits = DigitsExperiment.Split(NetGen.Samples.Digits.DigitsData.Load());
        var linked = LinkedDigitsExperiment.Split(LinkedDigitsData.Load());

        Assert.True(SequentialDigitsExperiment.SameImages(digits.RawTest, linked.RawTest));
        Assert.True(SequentialDigitsExperiment.SameImages(digits.Test, linked.Test));
        Assert.True(SequentialDigitsExperiment.SameImages(digits.Test, ShortGru.Value.Split.Test));
        Assert.False(SequentialDigitsExperiment.SameImages(digits.Test, LinkedDigitsExperiment.Split(LinkedDigitsData.Load(), seed: 2).Test));
    }

    [Fact]
    public void SunspotsDataFileIsCopiedNextToTheTests()
    {
        Assert.True(File.Exists(SunspotData.DefaultPath), $"Missing {SunspotData.DefaultPath}.");

        SunspotSeries series = SunspotData.Load();

        Assert.Equal((1700, 2008, 309), (series.FirstYear, series.LastYear, series.Count));
        Assert.Equal(190.2f, series[1957]);
        Assert.Equal(190.2f, series.Numbers.Max());
    }

    [Fact]
    public void SlidingWindowsPairEachTargetWithTheValuesBeforeIt()
    {
        float[] series = [0, 1, 2, 3, 4, 5, 6];

        Dataset windows = SlidingWindows.Create(series, window: 3, firstTarget: 4, endTarget: 7);

        Assert.Equal((3, 3, 1), (windows.Count, windows.FeatureCount, windows.TargetCount));
        Assert.Equal([1f, 2, 3, 2, 3, 4, 3, 4, 5], windows.FeatureValues.ToArray());
        Assert.Equal([4f, 5, 6], windows.TargetValues.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => SlidingWindows.Create(series, 3, 2, 7)); // the first window would start before the series
        Assert.Throws<ArgumentOutOfRangeException>(() => SlidingWindows.Create(series, 3, 4, 8)); // the last target is past its end
    }

    [Fact]
    public void SunspotsNetworksBeatPersistenceOnTheHeldOutYearsAfterShortTraining()
    {
        SunspotsResult result = ShortSunspots.Value;

        Assert.Equal((1989, 1959, 239, 30, 20), (result.FirstTestYear, result.FirstValidationYear, result.TrainCount, result.ValidationCount, result.TestCount));
        Assert.Equal(27.22, result.Persistence.TestRmse, 0.005); // from the data alone
        foreach (Forecast forecast in new[] { result.Mlp, result.Gru })
        {
            Assert.True(double.IsFinite(forecast.TestRmse) && double.IsFinite(forecast.FittedRmse), $"{forecast.Model}: RMSE {forecast.TestRmse}, fitted {forecast.FittedRmse}");
            Assert.True(forecast.TestRmse < 0.6 * result.Persistence.TestRmse, $"{forecast.Model}: RMSE {forecast.TestRmse:0.00} against persistence's {result.Persistence.TestRmse:0.00}");
        }
    }

    [Fact]
    public void SunspotsTrainingNeverSeesTheHeldOutYears()
    {
        SunspotSeries series = SunspotData.Load();
        float[] changed = (float[])series.Numbers.Clone();
        Array.Fill(changed, 1000f, changed.Length - SunspotsExperiment.TestYears, SunspotsExperiment.TestYears);

        SunspotsResult original = SunspotsExperiment.Run(epochs: 5, series: series);
        SunspotsResult altered = SunspotsExperiment.Run(epochs: 5, series: series with { Numbers = changed });

        // Same scaling and bit-identical networks: nothing from 1989-2008 reached the training or validation windows.
        Assert.Equal(original.Scaling.Means.ToArray(), altered.Scaling.Means.ToArray());
        Assert.Equal(original.Scaling.StandardDeviations.ToArray(), altered.Scaling.StandardDeviations.ToArray());
        Assert.Equal(original.GruNetwork.Parameters.ToArray(), altered.GruNetwork.Parameters.ToArray());
        Assert.Equal(original.MlpNetwork.Parameters.ToArray(), altered.MlpNetwork.Parameters.ToArray());
        Assert.Equal(original.Gru[1989], altered.Gru[1989]); // its window ends in 1988
        Assert.NotEqual(original.Gru[1990], altered.Gru[1990]); // its window holds 1989
    }

    [Fact]
    public void SequenceSampleChartsAreWrittenAsPngWithoutADisplay()
    {
        string forecast = Path.Combine(Path.GetTempPath(), $"netgen-sunspots-{Guid.NewGuid():N}.png");
        string training = Path.Combine(Path.GetTempPath(), $"netgen-sequential-digits-{Guid.NewGuid():N}.png");
        try
        {
            ForecastChart.SavePng(ShortSunspots.Value, forecast, 500, 400);
            ComparisonChart.SavePng(ShortGru.Value.History, ShortGru.Value.History, training, 400, 300);

            foreach (string path in new[] { forecast, training })
            {
                byte[] png = File.ReadAllBytes(path);
                Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
                Assert.True(png.Length > 5000, $"{path} has only {png.Length} bytes.");
            }
        }
        finally
        {
            File.Delete(forecast);
            File.Delete(training);
        }
    }
}
