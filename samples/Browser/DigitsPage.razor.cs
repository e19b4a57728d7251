using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using NetGen.Data;
using NetGen.Evaluation;
using NetGen.Initialization;
using NetGen.Samples.Digits;
using NetGen.Training;

namespace NetGen.Samples.Browser;

/// <summary>
/// The digits page: classifies what is drawn on the canvas, trains the network epoch by epoch, evaluates it on the
/// held-out test images and times it. Everything runs on the browser's one thread, which the page hands back between
/// epochs and between timing rounds so that the page stays responsive.
/// </summary>
public sealed partial class DigitsPage : IAsyncDisposable
{
    /// <summary>The canvas's width and height in pixels.</summary>
    public const int CanvasSize = 256;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private readonly Standardizer _scaling = DigitsExperiment.PixelScaling();
    private readonly float[] _image = new float[DigitsNet.InputCount]; // raw counts 0..16 of the drawing
    private readonly float[] _input = new float[DigitsNet.InputCount]; // the same, scaled
    private readonly float[] _probabilities = new float[DigitsNet.OutputCount];
    private ElementReference _canvas;
    private DotNetObjectReference<DigitsPage>? _self;
    private Dataset? _data;
    private DigitsSplit? _splits;
    private DigitsTraining? _training;
    private DigitsNet _network = new(DigitsExperiment.DefaultSeed); // untrained until Train
    private EvaluationResult? _test;
    private TimeSpan _trainingTime;
    private SpeedResult? _speed;
    private NetGenRandom _testPicker = new(DigitsExperiment.DefaultSeed);
    private int _seed = DigitsExperiment.DefaultSeed;
    private bool _hasInk;
    private int _predicted = -1;
    private int _classifications;
    private bool _busy;
    private string _state = "loading";
    private string _statusText = "Loading the digits...";
    private string? _testDigitText;

    [Inject]
    private IJSRuntime JS { get; set; } = null!;

    // The seed of the next training run; changing it re-splits the data (the test digits shown come from its test set).
    private int Seed
    {
        get => _seed;
        set
        {
            if (value == _seed || value < 0 || _data is null || _busy)
            {
                return;
            }

            _seed = value;
            _splits = DigitsExperiment.Split(_data, value);
            _training = null;
            _test = null;
            _network = new DigitsNet(value);
            Classify();
            SetState("ready", $"Seed {value}: the network is new and untrained.");
        }
    }

    /// <summary>Reads the canvas, turns it into an 8x8 image and classifies it. Called by the page's script after each stroke.</summary>
    /// <returns>The predicted digit, or -1 when the canvas is empty.</returns>
    [JSInvokable]
    public async Task<int> ClassifyCanvas()
    {
        byte[] alpha = await JS.InvokeAsync<byte[]>("netgenDigits.ink");
        int[] size = await JS.InvokeAsync<int[]>("netgenDigits.size");
        _hasInk = CanvasDigit.ToImage(alpha, size[0], size[1], _image);
        Classify();
        StateHasChanged();
        return _predicted;
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        _self?.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    protected override void OnInitialized()
    {
        try
        {
            // Embedded in the assembly (see Browser.csproj): no download, no file system.
            using Stream data = typeof(DigitsPage).Assembly.GetManifestResourceStream("digits.csv.gz")
                ?? throw new InvalidDataException("The assembly has no embedded digits.csv.gz.");
            _data = DigitsData.Load(data, "digits.csv.gz");
            _splits = DigitsExperiment.Split(_data, _seed);
            Classify();
            SetState("ready", $"{_data.Count:N0} digits loaded. Draw one, or train the network first.");
        }
        catch (Exception e)
        {
            Fail(e);
        }
    }

    /// <inheritdoc/>
    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender)
        {
            _self = DotNetObjectReference.Create(this);
            await JS.InvokeVoidAsync("netgenDigits.init", _canvas, _self);
        }
    }

    private static string Format(double? value) => value is double v ? v.ToString("0.0000", Invariant) : "-";

    private static string FormatNanoseconds(double nanoseconds) => nanoseconds >= 10_000
        ? (nanoseconds / 1000).ToString("0.0", Invariant) + " µs"
        : nanoseconds.ToString("N0", Invariant) + " ns";

    // Gives the thread back to the browser (a timer, not a microtask, so that it paints and handles input).
    private static Task YieldToBrowser() => Task.Delay(1);

    private void Classify()
    {
        if (_hasInk)
        {
            _image.CopyTo(_input);
            _scaling.Apply(_input);
            _network.Forward(_input, _probabilities);
            _predicted = Evaluator.PredictedClass<DigitsNet>(_probabilities);
        }
        else
        {
            Array.Clear(_probabilities);
            _predicted = -1;
        }

        _classifications++;
    }

    private async Task ClearAsync()
    {
        await JS.InvokeVoidAsync("netgenDigits.clear");
        Array.Clear(_image);
        _hasInk = false;
        _testDigitText = null;
        Classify();
    }

    private async Task DrawTestDigitAsync()
    {
        if (_splits is not { } splits)
        {
            return;
        }

        Dataset raw = splits.RawTest;
        int index = _testPicker.NextInt32(raw.Count);
        int[] pixels = new int[DigitsNet.InputCount];
        for (int i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (int)raw.Features(index)[i];
        }

        _testDigitText = $"Held-out test image {index + 1} of {raw.Count}, labelled {raw.Label(index)}.";
        await JS.InvokeAsync<int>("netgenDigits.drawImage", pixels);
    }

    private async Task TrainAsync()
    {
        if (_data is null || _busy)
        {
            return;
        }

        _busy = true;
        try
        {
            var training = new DigitsTraining(_data, _seed);
            _training = training;
            _splits = training.Splits;
            _network = training.Network;
            _test = null;
            _speed = null;
            SetState("training", "Training...");
            long start = Stopwatch.GetTimestamp();
            while (!training.IsFinished)
            {
                EpochReport report = training.TrainEpoch();
                Classify(); // the drawing, by this epoch's weights
                SetState("training", $"Training: epoch {report.Epoch}, validation accuracy {Format(report.ValidationAccuracy)}");
                StateHasChanged();
                await YieldToBrowser();
            }

            _trainingTime = Stopwatch.GetElapsedTime(start);
            Classify(); // by the best epoch's weights, now in place
            _test = training.EvaluateTest();
            SetState("measuring", $"Trained; test accuracy {_test.Accuracy:0.0000}. Timing Forward and the training step...");
            StateHasChanged();
            await YieldToBrowser();
            await MeasureCoreAsync();
        }
        catch (Exception e)
        {
            Fail(e);
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task MeasureAsync()
    {
        if (_data is null || _busy)
        {
            return;
        }

        _busy = true;
        try
        {
            SetState("measuring", "Timing Forward and the training step...");
            StateHasChanged();
            await YieldToBrowser();
            await MeasureCoreAsync();
        }
        catch (Exception e)
        {
            Fail(e);
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task MeasureCoreAsync()
    {
        DigitsSplit splits = _splits!;
        _speed = await SpeedMeasurement.MeasureAsync(_network, splits.Test, YieldToBrowser);
        string trained = _test is { Accuracy: double accuracy } ? $"Test accuracy {accuracy:0.0000}. " : "";
        SetState("done", $"{trained}Forward {FormatNanoseconds(_speed.Forward.MedianNanoseconds)}, training step {FormatNanoseconds(_speed.TrainStep.MedianNanoseconds)}.");
    }

    private void SetState(string state, string text)
    {
        _state = state;
        _statusText = text;
    }

    private void Fail(Exception e)
    {
        Console.Error.WriteLine(e); // the browser's console
        SetState("error", $"Error: {e.GetType().Name}: {e.Message}");
    }
}
