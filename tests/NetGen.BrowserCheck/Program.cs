using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using NetGen.BrowserCheck;
using NetGen.Data;
using NetGen.Samples.Browser;
using NetGen.Samples.Digits;

// The browser check of .ci/browser.sh: serves the published samples/Browser site, drives it in headless Chromium and
// checks what a person would: the page loads; training finishes and shows a test accuracy of at least 0.9; held-out
// test digits put on the canvas are classified as their labels (at least 90%); digits drawn with mouse strokes too
// (all but one at most); the page shows its Forward and training-step times, which are printed beside the same timings
// on this process's JIT. Ends with "Browser: OK ..." (exit 0) or "Browser: FAILED ..." (exit 1).
//
// Usage: NetGen.BrowserCheck --site PUBLISHED_WWWROOT [--data digits.csv.gz] [--chromium PATH] [--chromedriver PATH]
//                            [--per-digit N] [--screenshot FILE.png]
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var options = Options.Parse(args);
if (options is null)
{
    Console.WriteLine("Usage: NetGen.BrowserCheck --site PUBLISHED_WWWROOT [--data digits.csv.gz] [--chromium PATH] [--chromedriver PATH] [--per-digit N] [--screenshot FILE.png]");
    return 2;
}

var clock = Stopwatch.StartNew();
DigitsPageDriver? page = null;
try
{
    // The held-out images, known here independently of the page: the same file, split as the page splits it.
    DigitsSplit splits = DigitsExperiment.Split(DigitsData.Load(options.DataPath), DigitsExperiment.DefaultSeed);
    List<(int Label, int[] Pixels)> known = PickTestDigits(splits.RawTest, options.PerDigit);

    await using StaticSite site = await StaticSite.StartAsync(options.SitePath);
    var step = Stopwatch.StartNew();
    page = DigitsPageDriver.Start(options.Chromium, options.Chromedriver);
    Console.WriteLine($"Browser: {page.BrowserVersion}, headless, started in {step.Elapsed.TotalSeconds:0.0} s; site {options.SitePath} served at {site.Address}");

    // 1. The page loads: the .NET runtime starts and the embedded digits are read.
    step.Restart();
    page.Open(site.Address);
    string state = page.WaitForState(TimeSpan.FromSeconds(90), "ready");
    Require(state == "ready", $"the page did not get ready: {page.StatusText}");
    Console.WriteLine($"Browser: page ready {step.Elapsed.TotalSeconds:0.0} s after opening it: {page.StatusText}");
    Console.WriteLine($"Browser: {page.Text("environment")}");

    // 2. Train; the page evaluates on its test split, then times Forward and the training step by itself.
    var trainClock = Stopwatch.StartNew();
    page.Click("train");
    state = page.WaitForState(TimeSpan.FromSeconds(300), "done");
    Require(state == "done", $"training or timing failed: {page.StatusText}");
    double accuracy = page.Number("test-accuracy", "data-value");
    int correct = (int)page.Number("test-accuracy", "data-correct");
    int total = (int)page.Number("test-accuracy", "data-total");
    int epochs = (int)page.Number("training-summary", "data-epochs");
    double trainingMs = page.Number("training-summary", "data-milliseconds");
    Console.WriteLine($"Browser: {page.Text("training-summary")}");
    Console.WriteLine($"Browser: {page.Text("test-accuracy")} (check: {trainClock.Elapsed.TotalSeconds:0.0} s from the click to the timings)");
    Require(total == splits.Test.Count, $"the page tested on {total} images; the split has {splits.Test.Count}");
    Require(Math.Abs(accuracy - ((double)correct / total)) < 1e-12, $"accuracy {accuracy} is not {correct}/{total}");
    Require(accuracy >= 0.9, $"test accuracy {accuracy:0.0000} is below 0.9");

    step.Restart();

    // 3. Held-out digits put on the canvas (as 32x32 bitmaps through the page's drawImage hook) and classified from it.
    int matched = 0;
    double difference = 0;
    foreach ((int label, int[] pixels) in known)
    {
        int predicted = page.DrawImage(pixels);
        int[] shown = page.ShownImage();
        Require(shown.Length == 64, $"the page shows {shown.Length} pixels, not 64");
        difference += shown.Zip(pixels, (a, b) => Math.Abs(a - b)).Sum() / 64.0;
        if (predicted == label)
        {
            matched++;
        }
        else
        {
            Console.WriteLine($"Browser: test digit {label} classified as {predicted}");
            Console.WriteLine($"  drawn: {string.Join(',', pixels)}");
            Console.WriteLine($"  read:  {string.Join(',', shown)}");
        }
    }

    Console.WriteLine($"Browser: {matched} of {known.Count} held-out test digits drawn on the canvas classified as their labels "
        + $"(the page's 8x8 image differs from the original by {difference / known.Count:0.00} of 16 per pixel on average; {step.Elapsed.TotalSeconds:0.0} s)");
    step.Restart();

    // 4. Digits drawn with the mouse, stroke by stroke (real pointer events): the page reads the canvas and predicts.
    var drawn = new List<string>();
    int strokesMatched = 0;
    foreach ((int label, IReadOnlyList<IReadOnlyList<(int X, int Y)>> strokes) in StrokeDigits.All)
    {
        int predicted = page.DrawStrokes(strokes);
        Require(predicted >= 0, $"the mouse-drawn {label} left no ink the page could read");
        drawn.Add($"{label}->{predicted}");
        strokesMatched += predicted == label ? 1 : 0;
    }

    Console.WriteLine($"Browser: mouse-drawn digits (label->prediction): {string.Join(", ", drawn)} ({step.Elapsed.TotalSeconds:0.0} s)");

    // 5. The page's own timings.
    double forwardNs = page.Number("forward-time", "data-ns");
    double backwardNs = page.Number("backward-time", "data-ns");
    double stepNs = page.Number("train-step-time", "data-ns");
    double adamNs = page.Number("adam-time", "data-ns");
    foreach (string id in new[] { "forward-time", "backward-time", "train-step-time", "adam-time" })
    {
        Console.WriteLine($"Browser: in-browser time: {page.Text(id)}");
    }

    Require(new[] { forwardNs, backwardNs, stepNs, adamNs }.All(t => double.IsFinite(t) && t > 0), "a timing is not a positive number");

    // The same timing code on this process's JIT, at the same moment on the same machine, for comparison.
    var jitNet = new DigitsNet(DigitsExperiment.DefaultSeed);
    SpeedResult jit = await SpeedMeasurement.MeasureAsync(jitNet, splits.Test, () => Task.CompletedTask);
    Console.WriteLine($"Browser: the same timings on the JIT here ({jit.Environment}): Forward {Micro(jit.Forward.MedianNanoseconds)}, "
        + $"Backward {Micro(jit.Backward.MedianNanoseconds)}, Backward + Sgd.Step {Micro(jit.TrainStep.MedianNanoseconds)}, "
        + $"Adam batch of 32 {Micro(jit.AdamBatch.MedianNanoseconds)} per image; the browser takes "
        + $"{forwardNs / jit.Forward.MedianNanoseconds:0.0}x, {backwardNs / jit.Backward.MedianNanoseconds:0.0}x, "
        + $"{stepNs / jit.TrainStep.MedianNanoseconds:0.0}x and {adamNs / jit.AdamBatch.MedianNanoseconds:0.0}x as long");
    Require(!page.ErrorBarShown, "Blazor's error bar is showing");
    if (options.Screenshot is string screenshot)
    {
        page.SaveScreenshot(screenshot);
        Console.WriteLine($"Browser: screenshot {screenshot}");
    }

    // Most, not all: the canvas round trip re-normalizes each digit (its box, its centre), and a few held-out digits
    // are misclassified even as the original 8x8 images (the test accuracy is below 1).
    double required = 0.9;
    Require(matched >= required * known.Count, $"only {matched} of {known.Count} test digits drawn on the canvas were classified correctly (at least {required:P0} required)");
    Require(strokesMatched >= StrokeDigits.All.Count - 1, $"only {strokesMatched} of {StrokeDigits.All.Count} mouse-drawn digits were classified correctly: {string.Join(", ", drawn)}");

    string simd = page.Attribute("environment", "data-vector128") ?? "?";
    Console.WriteLine($"Browser: OK test accuracy {accuracy:0.0000} ({correct} of {total}) after {epochs} epochs in {trainingMs / 1000:0.0} s; "
        + $"{matched}/{known.Count} test digits and {strokesMatched}/{StrokeDigits.All.Count} mouse-drawn digits classified correctly on the canvas; "
        + $"Forward {Micro(forwardNs)}, Backward {Micro(backwardNs)}, Backward + Sgd.Step {Micro(stepNs)}, Adam batch of 32 {Micro(adamNs)} per image; "
        + $"Vector128 accelerated {simd}; {clock.Elapsed.TotalSeconds:0} s");
    return 0;
}
catch (Exception e)
{
    Console.WriteLine($"Browser: {e.GetType().Name}: {e.Message}");
    if (page is not null)
    {
        Console.WriteLine($"Browser: page state {page.State}: {page.StatusText}");
        foreach (string message in page.ConsoleMessages().TakeLast(40))
        {
            Console.WriteLine($"  console: {message}");
        }
    }

    Console.WriteLine($"Browser: FAILED {(e is CheckFailedException ? e.Message : "with an exception")} after {clock.Elapsed.TotalSeconds:0} s");
    return 1;
}
finally
{
    page?.Dispose();
}

static string Micro(double nanoseconds) => $"{nanoseconds / 1000:0.00} µs";

static void Require(bool condition, string failure)
{
    if (!condition)
    {
        throw new CheckFailedException(failure);
    }
}

// The first perDigit images of each digit in the test set's order (class by class, each class shuffled by the split).
static List<(int Label, int[] Pixels)> PickTestDigits(Dataset rawTest, int perDigit)
{
    var picked = new List<(int, int[])>();
    for (int digit = 0; digit < DigitsData.ClassCount; digit++)
    {
        for (int i = 0, taken = 0; i < rawTest.Count && taken < perDigit; i++)
        {
            if (rawTest.Label(i) == digit)
            {
                picked.Add((digit, rawTest.Features(i).ToArray().Select(v => (int)v).ToArray()));
                taken++;
            }
        }
    }

    return picked;
}

/// <summary>A check that did not hold; its message says which.</summary>
internal sealed class CheckFailedException(string message) : Exception(message);

/// <summary>The command line.</summary>
internal sealed record Options(string SitePath, string DataPath, string Chromium, string Chromedriver, int PerDigit, string? Screenshot)
{
    public static Options? Parse(string[] args)
    {
        var values = new Dictionary<string, string>();
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                return null;
            }

            values[args[i][2..]] = args[i + 1];
        }

        if (args.Length % 2 != 0 || !values.TryGetValue("site", out string? site)
            || !int.TryParse(values.GetValueOrDefault("per-digit") ?? "5", NumberStyles.None, CultureInfo.InvariantCulture, out int perDigit)
            || perDigit < 1)
        {
            return null;
        }

        return new Options(
            site,
            values.GetValueOrDefault("data") ?? DigitsData.DefaultPath,
            values.GetValueOrDefault("chromium") ?? "/usr/bin/chromium",
            values.GetValueOrDefault("chromedriver") ?? "/usr/bin/chromedriver",
            perDigit,
            values.GetValueOrDefault("screenshot"));
    }
}
