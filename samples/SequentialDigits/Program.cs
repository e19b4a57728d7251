using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using NetGen.Data;
using NetGen.Samples.Digits;
using NetGen.Samples.SequentialDigits;
using NetGen.Training;
using Spectre.Console;

// Read the 8x8 handwritten digits as sequences, 8 rows of 8 pixels, with a GRU generated at compile time (see
// SequentialDigitsNet.cs), and compare it with samples/Digits' 64-32-10 MLP trained in the same run, by the same code, on
// the same split. Exits with 1 if either network is clearly broken (test accuracy below 0.95) or the test sets differ.
// Usage: dotnet run --project samples/SequentialDigits -c Release [output directory, default ./sequential-digits-output]
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
const double Floor = 0.95;
string outputDirectory = Path.GetFullPath(args.Length > 0 ? args[0] : "sequential-digits-output");
Directory.CreateDirectory(outputDirectory);

// Ctrl+C stops training cleanly between two batches; the best epoch so far is kept.
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

Console.WriteLine($"GRU: {SequentialDigitsNet.Architecture}, {SequentialDigitsNet.ParameterCount} parameters; each image is {SequentialDigitsExperiment.Steps} steps (rows) of {SequentialDigitsNet.InputCount} pixels");
Console.WriteLine($"MLP: {DigitsNet.Architecture}, {DigitsNet.ParameterCount} parameters; each image is {DigitsNet.InputCount} pixels (samples/Digits)");
Console.WriteLine($"Both: the split of samples/Digits (seed {SequentialDigitsExperiment.DefaultSeed}), pixels / {DigitsData.MaxPixel}, Adam (learning rate {SequentialDigitsExperiment.DefaultLearningRate}), batches of {SequentialDigitsExperiment.DefaultBatchSize}, "
    + $"at most {SequentialDigitsExperiment.DefaultEpochs} epochs, early stopping after {SequentialDigitsExperiment.DefaultPatience} epochs without a lower validation loss");
Console.WriteLine();

Dataset digits = DigitsData.Load();
bool live = !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
DigitsResult mlp = null!;
SequentialDigitsResult gru = null!;
if (live)
{
    AnsiConsole.Progress()
        .AutoClear(false)
        .HideCompleted(false)
        .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
        .Start(context =>
        {
            ProgressTask mlpTask = context.AddTask("MLP", maxValue: DigitsExperiment.DefaultEpochs);
            ProgressTask gruTask = context.AddTask("GRU", maxValue: SequentialDigitsExperiment.DefaultEpochs);
            mlp = DigitsExperiment.Run(progress: Bar(mlpTask, "MLP"), batchCompleted: Batches(mlpTask), cancellation: cancellation.Token, digits: digits);
            Finish(mlpTask, "MLP", mlp.History);
            gru = SequentialDigitsExperiment.Run(progress: Bar(gruTask, "GRU"), batchCompleted: Batches(gruTask), cancellation: cancellation.Token, digits: digits);
            Finish(gruTask, "GRU", gru.History);
        });
}
else
{
    mlp = DigitsExperiment.Run(progress: new ReportProgress(epoch => Console.WriteLine($"MLP {epoch}")), cancellation: cancellation.Token, digits: digits);
    gru = SequentialDigitsExperiment.Run(progress: new ReportProgress(epoch => Console.WriteLine($"GRU {epoch}")), cancellation: cancellation.Token, digits: digits);
}

Console.WriteLine();
DigitsSplit split = gru.Split;
bool sameTest = SequentialDigitsExperiment.SameImages(split.RawTest, mlp.RawTest);
Console.WriteLine($"{split.Train.Count} training / {split.Validation.Count} validation / {split.Test.Count} test images (stratified splits); "
    + (sameTest ? "both networks are tested on the same images." : "FAILED: the MLP's test images differ from the GRU's."));
Console.WriteLine();
Console.WriteLine($"{"",-5}{"epochs",8}{"best epoch",12}{"val_loss",10}{"val_acc",9}{"test accuracy",21}{"training time",15}");
Row("GRU", gru.History, gru.TestAccuracy, gru.Confusion.Correct, gru.Confusion.Total);
Row("MLP", mlp.History, mlp.TestAccuracy, mlp.Confusion.Correct, mlp.Confusion.Total);
Console.WriteLine();
if (sameTest)
{
    (int gruOnly, int mlpOnly) = SequentialDigitsExperiment.CorrectOnlyBy(gru, mlp);
    Console.WriteLine($"Image by image: {gruOnly} test images only the GRU gets right, {mlpOnly} only the MLP.");
}

double[] byRows = SequentialDigitsExperiment.AccuracyByRowsRead(gru.Network, split.Test);
Console.WriteLine("GRU test accuracy after reading the first k rows (Step, one row at a time; trained on whole images only):");
Console.WriteLine("  k         " + string.Concat(Enumerable.Range(1, byRows.Length).Select(k => $"{k,7}")));
Console.WriteLine("  accuracy  " + string.Concat(byRows.Select(a => $"{a,7:0.000}")));
Console.WriteLine();
Console.WriteLine("GRU confusion matrix (rows: true digit, columns: predicted digit)");
Console.WriteLine(gru.Confusion);
Console.WriteLine();
Console.WriteLine(gru.Confusion.ClassificationReport());
Console.WriteLine();

if (gru.History.Count > 0 && mlp.History.Count > 0)
{
    string chart = Path.Combine(outputDirectory, "sequential-digits-training.png");
    ComparisonChart.SavePng(gru.History, mlp.History, chart);
    Console.WriteLine($"Validation curves of both networks: {chart}");
}

if (gru.History.Cancelled || mlp.History.Cancelled)
{
    Console.WriteLine("Training was cancelled.");
    return 130;
}

bool ok = sameTest && gru.TestAccuracy >= Floor && mlp.TestAccuracy >= Floor;
Console.WriteLine(ok
    ? $"OK: on the same {split.Test.Count} test images the GRU reaches {gru.TestAccuracy:0.0000}, the MLP {mlp.TestAccuracy:0.0000}."
    : $"FAILED: test accuracy GRU {gru.TestAccuracy:0.0000}, MLP {mlp.TestAccuracy:0.0000} (floor {Floor}), same test images: {sameTest}.");
return ok ? 0 : 1;

static void Row(string name, TrainingHistory history, double accuracy, int correct, int total)
{
    EpochReport? best = history.Best;
    Console.WriteLine($"{name,-5}{history.Count,8}{history.BestEpoch,12}{best?.ValidationLoss,10:0.0000}{best?.ValidationAccuracy,9:0.0000}{$"{accuracy:0.0000} ({correct} of {total})",21}{history.Duration.TotalSeconds,13:0.0} s");
}

static ReportProgress Bar(ProgressTask task, string name) => new(epoch =>
{
    task.Value = epoch.Epoch;
    task.Description = $"{name} epoch {epoch.Epoch,3}: loss {epoch.TrainingLoss:0.0000}, val_loss {epoch.ValidationLoss:0.0000}, val_acc {epoch.ValidationAccuracy:0.0000}";
});

static Action<BatchReport> Batches(ProgressTask task) => batch => task.Value = batch.Epoch - 1 + ((double)batch.Batch / batch.BatchCount);

static void Finish(ProgressTask task, string name, TrainingHistory history)
{
    task.Description = $"{name}: {history.Count} epochs{(history.StoppedEarly ? ", stopped early" : string.Empty)}{(history.Cancelled ? ", cancelled" : string.Empty)}, best epoch {history.BestEpoch}";
    task.Value = task.MaxValue; // early stopping ends before the last epoch
    task.StopTask();
}

/// <summary>Handles each report on the training thread as it happens (<see cref="Progress{T}"/> would post it to the thread pool).</summary>
internal sealed class ReportProgress(Action<EpochReport> handler) : IProgress<EpochReport>
{
    public void Report(EpochReport value) => handler(value);
}
