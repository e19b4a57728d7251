using System.IO;
using System.Runtime.CompilerServices;

namespace NetGen.Generator.Tests.Infrastructure;

/// <summary>
/// A small stand-in for Verify: compares text with <c>Snapshots/NAME.verified.cs</c> next to the test sources. On a
/// mismatch it writes <c>NAME.received.cs</c> beside it and fails; run with <c>NETGEN_ACCEPT_SNAPSHOTS=1</c> to accept
/// the received text as the new verified snapshot (then review the diff in git).
/// </summary>
internal static class Snapshot
{
    public static void Verify(string actual, string name, [CallerFilePath] string callerPath = "")
    {
        string directory = Path.Combine(FindTestProjectDirectory(callerPath), "Snapshots");
        string verifiedPath = Path.Combine(directory, name + ".verified.cs");
        string receivedPath = Path.Combine(directory, name + ".received.cs");
        string normalized = actual.Replace("\r\n", "\n", StringComparison.Ordinal);

        if (Environment.GetEnvironmentVariable("NETGEN_ACCEPT_SNAPSHOTS") == "1")
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(verifiedPath, normalized);
            File.Delete(receivedPath);
            return;
        }

        string? verified = File.Exists(verifiedPath) ? File.ReadAllText(verifiedPath).Replace("\r\n", "\n", StringComparison.Ordinal) : null;
        if (verified == normalized)
        {
            File.Delete(receivedPath);
            return;
        }

        File.WriteAllText(receivedPath, normalized);
        Assert.Fail(verified is null
            ? $"No snapshot '{verifiedPath}' yet. Review '{receivedPath}', then rerun with NETGEN_ACCEPT_SNAPSHOTS=1 to accept it."
            : $"Generated text differs from '{verifiedPath}'. Compare with '{receivedPath}'; rerun with NETGEN_ACCEPT_SNAPSHOTS=1 if the change is intended.");
    }

    private static string FindTestProjectDirectory(string callerPath)
    {
        for (string? directory = Path.GetDirectoryName(callerPath); directory is not null; directory = Path.GetDirectoryName(directory))
        {
            if (File.Exists(Path.Combine(directory, "NetGen.Generator.Tests.csproj")))
            {
                return directory;
            }
        }

        throw new InvalidOperationException($"No test project above '{callerPath}'.");
    }
}
