using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Interactions;

namespace NetGen.BrowserCheck;

/// <summary>
/// The samples/Browser page in headless Chromium, driven through the system's chromedriver: what a person does
/// (click, draw) and what the page shows (the ids and data-* attributes of its elements).
/// </summary>
public sealed class DigitsPageDriver : IDisposable
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;
    private readonly ChromeDriver _driver;
    private readonly string _profile;

    private DigitsPageDriver(ChromeDriver driver, string profile)
    {
        _driver = driver;
        _profile = profile;
    }

    /// <summary>The browser's name and version, as chromedriver reports them.</summary>
    public string BrowserVersion => $"{_driver.Capabilities.GetCapability("browserName")} {_driver.Capabilities.GetCapability("browserVersion")}";

    /// <summary>Starts headless Chromium with a fresh profile and no network services of its own.</summary>
    /// <param name="chromium">The browser executable (never downloaded).</param>
    /// <param name="chromedriver">The matching chromedriver executable.</param>
    public static DigitsPageDriver Start(string chromium, string chromedriver)
    {
        string profile = Directory.CreateTempSubdirectory("netgen-browser-check-").FullName;
        var options = new ChromeOptions { BinaryLocation = chromium };
        options.AddArguments(
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=1280,1400",
            $"--user-data-dir={profile}");
        options.SetLoggingPreference(LogType.Browser, LogLevel.All);

        // An explicit driver path: Selenium then has nothing to look up or download.
        ChromeDriverService service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(chromedriver)!, Path.GetFileName(chromedriver));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(120));
        driver.Manage().Timeouts().AsynchronousJavaScript = TimeSpan.FromSeconds(60);
        return new DigitsPageDriver(driver, profile);
    }

    /// <summary>Opens <paramref name="address"/>.</summary>
    public void Open(Uri address) => _driver.Navigate().GoToUrl(address);

    /// <summary>The page's state (<c>#status[data-state]</c>): loading, ready, training, measuring, done or error.</summary>
    public string State => Attribute("status", "data-state") ?? "(no status element yet)";

    /// <summary>The page's status line.</summary>
    public string StatusText => Text("status") ?? "";

    /// <summary>Waits until the page's state is one of <paramref name="states"/> (or error), polling.</summary>
    /// <returns>The state reached.</returns>
    /// <exception cref="TimeoutException">It did not get there in time.</exception>
    public string WaitForState(TimeSpan timeout, params string[] states)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            string state = State;
            if (state == "error" || states.Contains(state))
            {
                return state;
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"The page stayed in state '{state}' ({StatusText}) for {timeout.TotalSeconds:0} s, waiting for {string.Join(" or ", states)}.");
            }

            Thread.Sleep(100);
        }
    }

    /// <summary>Clicks the button with id <paramref name="id"/>.</summary>
    public void Click(string id) => _driver.FindElement(By.Id(id)).Click();

    /// <summary>An attribute of the element with id <paramref name="id"/>, or <see langword="null"/> when there is no such element.</summary>
    public string? Attribute(string id, string name)
    {
        IReadOnlyCollection<IWebElement> found = _driver.FindElements(By.Id(id));
        return found.Count == 0 ? null : found.First().GetAttribute(name);
    }

    /// <summary>A number in an attribute (formatted invariantly by the page).</summary>
    /// <exception cref="InvalidOperationException">The element or the attribute is missing, or it is no number.</exception>
    public double Number(string id, string name)
    {
        string? text = Attribute(id, name);
        return double.TryParse(text, NumberStyles.Float, Invariant, out double value)
            ? value
            : throw new InvalidOperationException($"#{id}[{name}] is '{text ?? "missing"}', not a number.");
    }

    /// <summary>The visible text of the element with id <paramref name="id"/>, or <see langword="null"/>.</summary>
    public string? Text(string id)
    {
        IReadOnlyCollection<IWebElement> found = _driver.FindElements(By.Id(id));
        return found.Count == 0 ? null : found.First().Text;
    }

    /// <summary>Whether Blazor's error bar is showing (an unhandled exception in .NET).</summary>
    public bool ErrorBarShown => _driver.FindElements(By.Id("blazor-error-ui")).Any(e => e.Displayed);

    /// <summary>
    /// Puts an 8x8 image (counts 0 to 16) on the canvas through the page's <c>netgenDigits.drawImage</c> hook, which
    /// draws it as a 32x32 bitmap and has the page classify the canvas as after a stroke.
    /// </summary>
    /// <returns>The digit the page then shows (<c>#prediction[data-digit]</c>), after checking it is what the hook returned.</returns>
    public int DrawImage(IReadOnlyList<int> pixels)
    {
        object? returned = _driver.ExecuteAsyncScript(
            "const done = arguments[arguments.length - 1];"
            + "netgenDigits.drawImage(arguments[0]).then(d => done(d), e => done('error: ' + e));",
            pixels.Cast<object>().ToList());
        int shown = (int)Number("prediction", "data-digit");
        if (returned is not long digit || digit != shown)
        {
            throw new InvalidOperationException($"drawImage returned '{returned}' but the page shows {shown}.");
        }

        return shown;
    }

    /// <summary>The 8x8 image the page last classified (<c>#preview[data-pixels]</c>).</summary>
    public int[] ShownImage() => (Attribute("preview", "data-pixels") ?? "")
        .Split(',', StringSplitOptions.RemoveEmptyEntries)
        .Select(p => (int)Math.Round(double.Parse(p, Invariant)))
        .ToArray();

    /// <summary>
    /// Draws strokes on the canvas with the mouse (real pointer events), each a list of points in canvas pixels from
    /// the top left, clearing first, and waits for the page to classify after the last one.
    /// </summary>
    /// <returns>The digit the page shows, or -1 for none.</returns>
    public int DrawStrokes(IReadOnlyList<IReadOnlyList<(int X, int Y)>> strokes)
    {
        Click("clear");
        IWebElement canvas = _driver.FindElement(By.Id("digit-canvas"));
        int half = (int)Number("digit-canvas", "width") / 2; // Selenium's offsets are from the element's centre; CSS pixels are canvas pixels
        int before = (int)Number("prediction", "data-count");
        foreach (IReadOnlyList<(int X, int Y)> stroke in strokes)
        {
            var actions = new Actions(_driver, TimeSpan.Zero); // moves without Selenium's default 250 ms each
            actions.MoveToElement(canvas, stroke[0].X - half, stroke[0].Y - half).ClickAndHold();
            foreach ((int x, int y) in stroke.Skip(1))
            {
                actions.MoveToElement(canvas, x - half, y - half);
            }

            actions.Release().Perform();
        }

        // One classification per stroke (each pointerup); wait for the last.
        var clock = Stopwatch.StartNew();
        while ((int)Number("prediction", "data-count") < before + strokes.Count)
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(10))
            {
                throw new TimeoutException("The page did not classify the strokes.");
            }

            Thread.Sleep(50);
        }

        return (int)Number("prediction", "data-digit");
    }

    /// <summary>The browser console's messages so far (for diagnostics), or why they could not be read.</summary>
    public IEnumerable<string> ConsoleMessages()
    {
        try
        {
            return _driver.Manage().Logs.GetLog(LogType.Browser).Select(entry => $"[{entry.Level}] {entry.Message}").ToList();
        }
        catch (WebDriverException e)
        {
            return [$"(browser console not available: {e.Message})"];
        }
    }

    /// <summary>A screenshot of the page, for diagnostics.</summary>
    public void SaveScreenshot(string path) => _driver.GetScreenshot().SaveAsFile(path);

    /// <inheritdoc/>
    public void Dispose()
    {
        _driver.Quit();
        _driver.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // Chromium may still hold a file for a moment; the profile is in the temporary folder anyway.
        }
    }
}
