using System;
using NetGen.Data;
using NetGen.Training;

namespace NetGen.Samples.Sunspots;

/// <summary>One model's one-year-ahead forecasts, each made from the true values of the years before it.</summary>
/// <param name="Model">The model's name, e.g. <c>"GRU 16"</c>.</param>
/// <param name="FirstYear">The year of <c>Values[0]</c>; the forecasts run to the series' last year.</param>
/// <param name="Values">The forecast sunspot numbers, in the data's units.</param>
/// <param name="TestRmse">The root mean squared error over the held-out years.</param>
/// <param name="FittedRmse">The root mean squared error over the years before them (training and validation targets).</param>
public sealed record Forecast(string Model, int FirstYear, float[] Values, double TestRmse, double FittedRmse)
{
    /// <summary>The forecast for <paramref name="year"/>.</summary>
    public float this[int year] => Values[year - FirstYear];
}

/// <summary>The outcome of <see cref="SunspotsExperiment.Run"/>.</summary>
/// <param name="Series">The yearly sunspot numbers.</param>
/// <param name="Scaling">The standardization of the series, fitted on the years before the test period.</param>
/// <param name="FirstTestYear">The first held-out year; the test period runs to the series' last year.</param>
/// <param name="FirstValidationYear">The first validation year (early stopping); validation runs to the year before <paramref name="FirstTestYear"/>.</param>
/// <param name="Persistence">The baseline: next year's number is this year's.</param>
/// <param name="Mlp">The forecasts of <see cref="SunspotMlp"/>.</param>
/// <param name="Gru">The forecasts of <see cref="SunspotGru"/>.</param>
/// <param name="MlpHistory">The MLP's training, one report per epoch.</param>
/// <param name="GruHistory">The GRU's training, one report per epoch.</param>
/// <param name="MlpNetwork">The trained MLP (best validation epoch); it reads and writes standardized numbers.</param>
/// <param name="GruNetwork">The trained GRU (best validation epoch); it reads and writes standardized numbers.</param>
/// <param name="TrainCount">The number of training windows.</param>
public sealed record SunspotsResult(
    SunspotSeries Series,
    Standardizer Scaling,
    int FirstTestYear,
    int FirstValidationYear,
    Forecast Persistence,
    Forecast Mlp,
    Forecast Gru,
    TrainingHistory MlpHistory,
    TrainingHistory GruHistory,
    SunspotMlp MlpNetwork,
    SunspotGru GruNetwork,
    int TrainCount)
{
    /// <summary>The number of held-out years.</summary>
    public int TestCount => Series.LastYear - FirstTestYear + 1;

    /// <summary>The number of validation windows.</summary>
    public int ValidationCount => FirstTestYear - FirstValidationYear;
}

/// <summary>
/// Forecasts each year's sunspot number from the 20 years before it, with a GRU (<see cref="SunspotGru"/>) and an MLP on
/// the same window (<see cref="SunspotMlp"/>), against the persistence baseline, on the last 20 years held out.
/// </summary>
/// <remarks>
/// <para>
/// The series is standardized with the mean and standard deviation of the years before the test period. Training
/// windows have their targets in 1720-1958, validation windows (for early stopping) in 1959-1988, so no window used in
/// training has a held-out year as its target or among its inputs. The test forecasts 1989-2008 are one year ahead: each
/// reads the true numbers of the 20 years before it (for the later ones, some of them held-out years).
/// </para>
/// <para>
/// Both networks are trained by the same procedure: Adam (learning rate 0.01, gradients clipped to norm 1) on
/// mini-batches of 16, at most 1,000 epochs, early stopping after 30 epochs without a lower validation loss, the best
/// epoch's weights restored; the same seed gives both their initial weights and their sample order.
/// </para>
/// </remarks>
public static class SunspotsExperiment
{
    /// <summary>Years of history per forecast.</summary>
    public const int Window = 20;

    /// <summary>The years held out at the end of the series.</summary>
    public const int TestYears = 20;

    /// <summary>The years before the test period whose windows are held out for validation (early stopping).</summary>
    public const int ValidationYears = 30;

    /// <summary>The seed of the sample and its tests: initial weights and sample order of both networks.</summary>
    public const int DefaultSeed = 1;

    /// <summary>The most epochs to train each network for (early stopping ends sooner).</summary>
    public const int DefaultEpochs = 1000;

    /// <summary>Samples per Adam step.</summary>
    public const int BatchSize = 16;

    /// <summary>Adam's learning rate.</summary>
    public const double LearningRate = 0.01;

    /// <summary>The largest global L2 norm of a step's mean gradient; larger ones are scaled down to it.</summary>
    public const double MaxGradientNorm = 1.0;

    /// <summary>Epochs without a lower validation loss before training stops.</summary>
    public const int Patience = 30;

    /// <summary>
    /// Loads the series (default: <c>Data/sunspots-yearly.csv</c>), scales it, cuts it into windows, trains both
    /// networks and forecasts every year from the first one with a full window.
    /// </summary>
    /// <param name="seed">Fixes the initial weights and the sample order.</param>
    /// <param name="epochs">The most epochs to train each network for.</param>
    /// <param name="series">The series to use instead of the data file; at least <c>Window + ValidationYears + TestYears + 1</c> years.</param>
    /// <exception cref="ArgumentException">The series is too short.</exception>
    public static SunspotsResult Run(int seed = DefaultSeed, int epochs = DefaultEpochs, SunspotSeries? series = null)
    {
        series ??= SunspotData.Load();
        int count = series.Count;
        int testStart = count - TestYears;
        int validationStart = testStart - ValidationYears;
        if (validationStart <= Window)
        {
            throw new ArgumentException($"The series has {count} years; it needs more than {Window + ValidationYears + TestYears}.", nameof(series));
        }

        // Statistics of the years before the test period only; the held-out years are scaled with them too.
        Standardizer scaling = Standardizer.Fit(series.Numbers.AsSpan(0, testStart), 1);
        float[] scaled = (float[])series.Numbers.Clone();
        scaling.Apply(scaled);

        Dataset train = SlidingWindows.Create(scaled, Window, Window, validationStart);
        Dataset validation = SlidingWindows.Create(scaled, Window, validationStart, testStart);

        var mlp = new SunspotMlp(seed);
        TrainingHistory mlpHistory = Train(mlp, train, validation, seed, epochs);
        var gru = new SunspotGru(seed);
        TrainingHistory gruHistory = Train(gru, train, validation, seed, epochs);

        float[] persistence = new float[count - Window];
        Array.Copy(series.Numbers, Window - 1, persistence, 0, persistence.Length);
        return new SunspotsResult(
            series,
            scaling,
            series.FirstYear + testStart,
            series.FirstYear + validationStart,
            MakeForecast("persistence", persistence, series, testStart),
            MakeForecast("MLP 20-32-1", Predict(mlp, scaled, scaling), series, testStart),
            MakeForecast("GRU 16", Predict(gru, scaled, scaling), series, testStart),
            mlpHistory,
            gruHistory,
            mlp,
            gru,
            train.Count);
    }

    /// <summary>The root mean squared difference of <paramref name="forecast"/> and <paramref name="truth"/>.</summary>
    /// <exception cref="ArgumentException">The spans differ in length or are empty.</exception>
    public static double Rmse(ReadOnlySpan<float> forecast, ReadOnlySpan<float> truth)
    {
        if (forecast.Length != truth.Length || forecast.IsEmpty)
        {
            throw new ArgumentException($"{forecast.Length} forecasts for {truth.Length} values.", nameof(forecast));
        }

        double sum = 0;
        for (int i = 0; i < forecast.Length; i++)
        {
            double difference = forecast[i] - (double)truth[i];
            sum += difference * difference;
        }

        return Math.Sqrt(sum / forecast.Length);
    }

    private static TrainingHistory Train<TNet>(TNet network, Dataset train, Dataset validation, int seed, int epochs)
        where TNet : INetwork
    {
        var optimizer = new Adam(TNet.ParameterCount, LearningRate) { MaxGradientNorm = MaxGradientNorm };
        var options = new TrainingOptions
        {
            Epochs = epochs,
            BatchSize = BatchSize,
            Seed = seed,
            EarlyStopping = new EarlyStopping(Patience),
        };
        return Trainer.Fit(network, optimizer, train, validation, options);
    }

    /// <summary>One forecast per year from the first with a full window: the network on the scaled window, unscaled.</summary>
    private static float[] Predict<TNet>(TNet network, float[] scaled, Standardizer scaling)
        where TNet : INetwork
    {
        float[] forecasts = new float[scaled.Length - Window];
        for (int i = 0; i < forecasts.Length; i++)
        {
            network.Forward(scaled.AsSpan(i, Window), forecasts.AsSpan(i, 1));
        }

        scaling.Inverse(forecasts);
        return forecasts;
    }

    private static Forecast MakeForecast(string model, float[] values, SunspotSeries series, int testStart)
    {
        ReadOnlySpan<float> truth = series.Numbers.AsSpan(Window);
        int fitted = testStart - Window;
        return new Forecast(
            model,
            series.FirstYear + Window,
            values,
            Rmse(values.AsSpan(fitted), truth[fitted..]),
            Rmse(values.AsSpan(0, fitted), truth[..fitted]));
    }
}
