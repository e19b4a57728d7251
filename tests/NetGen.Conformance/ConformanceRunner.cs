using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;

namespace NetGen.Conformance;

/// <summary>
/// Runs named checks in groups, counts passes and failures, and prints one line per group (with the largest error
/// seen, as a fraction of its tolerance) and one line per failure.
/// </summary>
internal sealed class ConformanceRunner(bool verbose)
{
    private static double _worstInCheck;

    private readonly List<string> _failures = [];
    private string _group = "";
    private int _groupPassed;
    private int _groupFailed;
    private double _groupWorst;
    private readonly Stopwatch _groupTime = new();

    public int Passed { get; private set; }

    public int Failed { get; private set; }

    public IReadOnlyList<string> Failures => _failures;

    /// <summary>Records an error/tolerance ratio of the running check (see <see cref="Assert.Close"/>).</summary>
    public static void RecordError(double ratio)
    {
        if (double.IsNaN(ratio) || ratio > _worstInCheck)
        {
            _worstInCheck = double.IsNaN(ratio) ? double.PositiveInfinity : ratio;
        }
    }

    public void Group(string name, Action body)
    {
        _group = name;
        _groupPassed = _groupFailed = 0;
        _groupWorst = 0;
        _groupTime.Restart();
        body();
        string worst = _groupWorst > 0 ? string.Create(CultureInfo.InvariantCulture, $", worst error {_groupWorst:F3} of its tolerance") : "";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {_groupPassed} passed, {_groupFailed} failed{worst} ({_groupTime.Elapsed.TotalSeconds:F1} s)"));
    }

    public void Check(string name, Action check)
    {
        _worstInCheck = 0;
        try
        {
            check();
            Passed++;
            _groupPassed++;
            if (verbose)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  PASS {_group} / {name} (worst {_worstInCheck:F3})"));
            }
        }
        catch (Exception e)
        {
            Failed++;
            _groupFailed++;
            Exception shown = e is TargetInvocationException { InnerException: { } inner } ? inner : e;
            string line = $"FAIL {_group} / {name}: {(shown is CheckFailedException ? shown.Message : shown.ToString())}";
            _failures.Add(line);
            Console.WriteLine(line);
        }

        _groupWorst = Math.Max(_groupWorst, _worstInCheck);
    }

    /// <summary>
    /// Runs <paramref name="owner"/>'s static generic method <paramref name="genericMethod"/>&lt;TNet&gt; once per network
    /// type (with <paramref name="arguments"/>, if any), each a check named after the type.
    /// </summary>
    public void ForEach(IEnumerable<Type> networks, Type owner, string genericMethod, object?[]? arguments = null)
    {
        MethodInfo method = owner.GetMethod(genericMethod, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
            ?? throw new InvalidOperationException($"{owner.Name}.{genericMethod} not found.");
        foreach (Type network in networks)
        {
            Check(network.Name, () => method.MakeGenericMethod(network).Invoke(null, BindingFlags.DoNotWrapExceptions, null, arguments, null));
        }
    }
}
