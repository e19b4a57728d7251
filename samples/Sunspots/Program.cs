using System;
using System.Globalization;
using System.IO;
using NetGen.Samples.Sunspots;

// Forecast next year's sunspot number from the 20 years before it with a GRU (SunspotGru) and an MLP on the same window
// (SunspotMlp), both generated at compile time (see SunspotNetworks.cs), against persistence (next = last), on the last
// 20 years of the series held out. Writes a chart of the forecasts; exits with 1 if a result is clearly broken.
// Usage: dotnet run --project samples/Sunspots -c Release [output directory, default ./sunspots-output]
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
string outputDirectory = Path.GetFullPath(args.Length > 0 ? args[0] : "sunspots-output");
Directory.CreateDirectory(outputDirectory);

SunspotsResult result = SunspotsExperiment.Run();
SunspotSeries series = result.Series;
int lastFitted = result.FirstTestYear - 1;
Console.WriteLine($"Yearly mean sunspot numbers {series.FirstYear}-{series.LastYear} ({series.Count} years); each year is forecast from the {SunspotsExperiment.Window} before it.");
Console.WriteLine($"Scaling: (x - {result.Scaling.Means[0]:0.00}) / {result.Scaling.StandardDeviations[0]:0.00}, the mean and standard deviation of {series.FirstYear}-{lastFitted}.");
Console.WriteLine($"Windows by target year: training {series.FirstYear + SunspotsExperiment.Window}-{result.FirstValidationYear - 1} ({result.TrainCount}), "
    + $"validation {result.FirstValidationYear}-{lastFitted} ({result.ValidationCount}, early stopping), test {result.FirstTestYear}-{series.LastYear} ({result.TestCount}, held out).");
Console.WriteLine($"Both networks: Adam (learning rate {SunspotsExperiment.LearningRate}, gradient norm clipped to {SunspotsExperiment.MaxGradientNorm}), batches of {SunspotsExperiment.BatchSize}, "
    + $"at most {SunspotsExperiment.DefaultEpochs} epochs, early stopping after {SunspotsExperiment.Patience} epochs without a lower validation loss, seed {SunspotsExperiment.DefaultSeed}.");
Console.WriteLine();
Console.WriteLine($"{SunspotMlp.Architecture}: {SunspotMlp.ParameterCount} parameters, {Describe(result.MlpHistory)}");
Console.WriteLine($"{SunspotGru.Architecture}: {SunspotGru.ParameterCount} parameters, {Describe(result.GruHistory)}");
Console.WriteLine();

Forecast[] forecasts = [result.Persistence, result.Mlp, result.Gru];
Console.WriteLine($"{"year",-6}{"observed",10}{"persistence",13}{"MLP",9}{"GRU",9}");
for (int year = result.FirstTestYear; year <= series.LastYear; year++)
{
    Console.WriteLine($"{year,-6}{series[year],10:0.0}{result.Persistence[year],13:0.0}{result.Mlp[year],9:0.0}{result.Gru[year],9:0.0}");
}

Console.WriteLine();
Console.WriteLine($"RMSE (sunspot number)       held out {result.FirstTestYear}-{series.LastYear}   fitted {series.FirstYear + SunspotsExperiment.Window}-{lastFitted}");
foreach (Forecast forecast in forecasts)
{
    Console.WriteLine($"  {forecast.Model,-24}{forecast.TestRmse,12:0.00}{forecast.FittedRmse,20:0.00}");
}

Console.WriteLine();
string chart = Path.Combine(outputDirectory, "sunspots-forecast.png");
ForecastChart.SavePng(result, chart);
Console.WriteLine($"Forecasts against the observed numbers: {chart}");

// Clearly broken: a non-finite error, or a network that does not even beat "next year = this year" on the held-out years.
bool ok = true;
foreach (Forecast forecast in forecasts)
{
    if (!double.IsFinite(forecast.TestRmse) || !double.IsFinite(forecast.FittedRmse))
    {
        Console.WriteLine($"FAILED: {forecast.Model} has RMSE {forecast.TestRmse} on the held-out years and {forecast.FittedRmse} before them.");
        ok = false;
    }
}

foreach (Forecast forecast in new[] { result.Mlp, result.Gru })
{
    if (!(forecast.TestRmse < result.Persistence.TestRmse))
    {
        Console.WriteLine($"FAILED: {forecast.Model} (RMSE {forecast.TestRmse:0.00}) does not beat persistence (RMSE {result.Persistence.TestRmse:0.00}) on the held-out years.");
        ok = false;
    }
}

if (ok)
{
    Console.WriteLine($"OK: on the held-out years the GRU's RMSE is {result.Gru.TestRmse:0.00}, the MLP's {result.Mlp.TestRmse:0.00}, persistence's {result.Persistence.TestRmse:0.00}.");
}

return ok ? 0 : 1;

static string Describe(NetGen.Training.TrainingHistory history)
    => $"{history.Count} epochs{(history.StoppedEarly ? " (stopped early)" : string.Empty)}, best epoch {history.BestEpoch} with validation loss {history.Best?.ValidationLoss:0.0000} (standardized MSE), {history.Duration.TotalSeconds:0.0} s";
