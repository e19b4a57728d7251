using System.Collections.Generic;
using System.Diagnostics;
using System.Text;

namespace NetGen.Package.Tests.Infrastructure;

/// <summary>The outcome of one <c>dotnet</c> command: its exit code and everything it printed.</summary>
public sealed record CommandResult(string CommandLine, int ExitCode, string Output)
{
    /// <summary>The command line, exit code and output, for assertion messages.</summary>
    public override string ToString() => $"`{CommandLine}` exited with {ExitCode}:\n{Output}";
}

/// <summary>Runs the <c>dotnet</c> that runs the tests (or another program), as a child process with a time limit.</summary>
public static class DotNet
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Runs <c>dotnet</c> with <paramref name="arguments"/> in <paramref name="workingDirectory"/>. The child gets
    /// this process's environment without the MSBuild variables that <c>dotnet test</c> sets for its own build, plus
    /// <paramref name="environment"/> (a null value removes a variable). A command still running after
    /// <paramref name="timeout"/> (default 5 minutes) is killed with its children and reported as exit code -1.
    /// </summary>
    public static CommandResult Run(
        string workingDirectory,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?>? environment = null,
        TimeSpan? timeout = null)
        => RunProgram(Executable, "dotnet", workingDirectory, arguments, environment, timeout);

    /// <summary>
    /// Like <see cref="Run"/>, but runs <paramref name="executable"/> (for example <c>bash</c> with a script), with the
    /// same environment; <paramref name="displayName"/> names it in the command line of the result.
    /// </summary>
    public static CommandResult RunProgram(
        string executable,
        string displayName,
        string workingDirectory,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?>? environment = null,
        TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (string name in new List<string>(start.Environment.Keys))
        {
            if (name.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || name.StartsWith("VSTEST_", StringComparison.OrdinalIgnoreCase))
            {
                start.Environment.Remove(name);
            }
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        foreach ((string name, string? value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        string commandLine = displayName + " " + string.Join(' ', start.ArgumentList);
        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout ?? DefaultTimeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return new CommandResult(commandLine, -1, Snapshot(output) + $"\n(killed after {(timeout ?? DefaultTimeout).TotalSeconds} s)");
        }

        process.WaitForExit(); // drains the redirected streams
        return new CommandResult(commandLine, process.ExitCode, Snapshot(output));
    }

    /// <summary>Like <see cref="Run"/>, but throws with the command's output unless it exits with 0.</summary>
    public static CommandResult RunChecked(
        string workingDirectory,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?>? environment = null,
        TimeSpan? timeout = null)
    {
        CommandResult result = Run(workingDirectory, arguments, environment, timeout);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(result.ToString());
        }

        return result;
    }

    /// <summary>The host that runs this test process (set by the SDK for its children), else <c>dotnet</c> on the path.</summary>
    private static string Executable => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string Snapshot(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
