using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using NetGen.Data;
using NetGen.Evaluation;
using NetGen.Samples.Digits;
using NetGen.Serialization;
using NetGen.Training;
using Spectre.Console;

// Recognise handwritten digits (8x8 images) with a 64-32-10 network generated at compile time (see DigitsNet.cs):
// train with a live progress bar, draw the curves, save the model, load it into a fresh network and use it.
// Usage: dotnet run --project samples/Digits -c Release [--threads N] [output directory, default ./digits-output]
// (--threads: TrainingOptions.DegreeOfParallelism, default 1; this network is too small to gain from more.)
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
int threads = 1;
if (args is ["--threads", string threadsText, .. string[] rest])
{
    threads = int.Parse(threadsText, CultureInfo.InvariantCulture);
    args = rest;
}

string outputDirectory = Path.GetFullPath(args.Length > 0 ? args[0] : "digits-output");
Directory.CreateDirectory(outputDirectory);

// Ctrl+C stops training cleanly between two batches; the best epoch so far is kept.
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

Console.WriteLine($"DigitsNet 64-32-10 (ReLU, softmax), {DigitsNet.ParameterCount} parameters, cross-entropy loss");
Console.WriteLine($"Adam (learning rate {DigitsExperiment.DefaultLearningRate}), batches of {DigitsExperiment.DefaultBatchSize}, "
    + $"at most {DigitsExperiment.DefaultEpochs} epochs, early stopping after {DigitsExperiment.DefaultPatience} epochs without a lower validation loss, seed {DigitsExperiment.DefaultSeed}"
    + (threads > 1 ? $", {threads} threads" : string.Empty));
Console.WriteLine();

// A live bar on a terminal; plain lines, one per epoch, when the output goes to a file or a CI log.
bool live = !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
DigitsResult result = live ? TrainWithProgressBar(cancellation.Token, threads) : DigitsExperiment.Run(
    progress: new ReportProgress(epoch => Console.WriteLine(epoch)), cancellation: cancellation.Token, threads: threads);
TrainingHistory history = result.History;

Console.WriteLine();
if (live)
{
    Console.WriteLine(history);
    Console.WriteLine();
}

Console.WriteLine($"{result.TrainCount} training / {result.ValidationCount} validation / {result.TestCount} test images (stratified splits)");
Console.WriteLine(history.Cancelled ? "Training was cancelled." : history.StoppedEarly ? $"Stopped early after epoch {history.Count}." : $"Trained all {history.Count} epochs.");
if (history.Best is EpochReport best)
{
    Console.WriteLine($"Best epoch: {best.Epoch} (validation loss {best.ValidationLoss:0.0000}, validation accuracy {best.ValidationAccuracy:0.0000}); the network holds its weights.");
}

Console.WriteLine();
Console.WriteLine($"Test accuracy: {result.TestAccuracy:0.0000} ({result.Confusion.Correct} of {result.Confusion.Total})");
Console.WriteLine();
Console.WriteLine("Confusion matrix (rows: true digit, columns: predicted digit)");
Console.WriteLine(result.Confusion);
Console.WriteLine();
Console.WriteLine(result.Confusion.ClassificationReport());
Console.WriteLine();

if (history.Count > 0)
{
    string chart = Path.Combine(outputDirectory, "digits-training.png");
    TrainingChart.SavePng(history, chart);
    Console.WriteLine($"Loss and accuracy curves: {chart}");
}

// Save the weights with the pixel scaling, then load both into a fresh network, as an application would.
string model = Path.Combine(outputDirectory, "digits.ngw");
WeightFile.SaveFile(result.Network, model, result.Standardizer);
Console.WriteLine($"Model saved: {model} ({new FileInfo(model).Length:N0} bytes)");

var loaded = new DigitsNet();
Standardizer scaling = WeightFile.LoadFile(loaded, model) ?? throw new InvalidDataException("The model file has no pixel scaling.");
Dataset raw = result.RawTest;
float[] input = new float[DigitsNet.InputCount];
int agree = 0;
for (int i = 0; i < raw.Count; i++)
{
    raw.Features(i).CopyTo(input);
    scaling.Apply(input);
    agree += loaded.Predict(input) == Evaluator.PredictedClass<DigitsNet>(Outputs(result.Network, input)) ? 1 : 0;
}

Console.WriteLine($"Reloaded into a fresh DigitsNet: it agrees with the trained network on {agree} of {raw.Count} test images.");
Console.WriteLine();
Console.WriteLine("One test image of each digit (raw pixels, scaled by the loaded standardizer) and what the reloaded network says:");
int[] oneOfEach = Enumerable.Range(0, DigitsData.ClassCount).Select(digit => Enumerable.Range(0, raw.Count).First(i => raw.Label(i) == digit)).ToArray();
Console.Write(DrawDigits(raw, loaded, scaling, oneOfEach));
return history.Cancelled ? 130 : 0;

static float[] Outputs(DigitsNet network, float[] input)
{
    float[] outputs = new float[DigitsNet.OutputCount];
    network.Forward(input, outputs);
    return outputs;
}

static DigitsResult TrainWithProgressBar(CancellationToken cancellation, int threads)
{
    DigitsResult? result = null;
    AnsiConsole.Progress()
        .AutoClear(false)
        .HideCompleted(false)
        .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
        .Start(context =>
        {
            ProgressTask task = context.AddTask("training", maxValue: DigitsExperiment.DefaultEpochs);
            result = DigitsExperiment.Run(
                progress: new ReportProgress(epoch =>
                {
                    task.Value = epoch.Epoch;
                    task.Description = $"epoch {epoch.Epoch,3}: loss {epoch.TrainingLoss:0.0000}, val_loss {epoch.ValidationLoss:0.0000}, val_acc {epoch.ValidationAccuracy:0.0000}";
                }),
                batchCompleted: batch => task.Value = batch.Epoch - 1 + ((double)batch.Batch / batch.BatchCount),
                cancellation: cancellation,
                threads: threads);
            TrainingHistory history = result.History;
            task.Description = $"{history.Count} epochs{(history.StoppedEarly ? ", stopped early" : string.Empty)}{(history.Cancelled ? ", cancelled" : string.Empty)}, best epoch {history.BestEpoch}";
            task.Value = task.MaxValue; // early stopping ends before the last epoch
            task.StopTask();
        });
    return result!;
}

static string DrawDigits(Dataset raw, DigitsNet network, Standardizer scaling, int[] samples)
{
    const string Shades = " .:-=+*#%@";
    const int Column = 22; // 16 characters of image, then a gap
    var text = new StringBuilder();
    float[] input = new float[DigitsNet.InputCount];
    for (int first = 0; first < samples.Length; first += 5)
    {
        int[] group = samples[first..Math.Min(first + 5, samples.Length)];
        text.AppendLine();
        foreach (int i in group)
        {
            raw.Features(i).CopyTo(input);
            scaling.Apply(input);
            text.Append($"  true {raw.Label(i)}, predicted {network.Predict(input)}".PadRight(Column + 2));
        }

        for (int row = 0; row < 8; row++)
        {
            text.AppendLine().Append("  ");
            foreach (int i in group)
            {
                ReadOnlySpan<float> pixels = raw.Features(i);
                for (int column = 0; column < 8; column++)
                {
                    char shade = Shades[(int)(pixels[(row * 8) + column] * (Shades.Length - 1) / DigitsData.MaxPixel)];
                    text.Append(shade).Append(shade);
                }

                text.Append(' ', Column - 16);
            }
        }

        text.AppendLine();
    }

    return text.ToString();
}

/// <summary>Handles each report on the training thread as it happens (<see cref="Progress{T}"/> would post it to the thread pool).</summary>
internal sealed class ReportProgress(Action<EpochReport> handler) : IProgress<EpochReport>
{
    public void Report(EpochReport value) => handler(value);
}
