using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NetGen.Generator.Tests.Infrastructure;

namespace NetGen.Generator.Tests;

/// <summary>
/// The portable code shape (design §7: Unity 6, C# 9, .NET Standard 2.1) for every network the behaviour tests use:
/// generated without diagnostics, compiling, and free of what Unity's profile lacks.
/// </summary>
public sealed class PortableEmissionTests
{
    /// <summary>What the portable code must never contain: Unity's profiles have none of these.</summary>
    private static readonly string[] Forbidden =
    [
        "System.Runtime.Intrinsics", "System.Runtime.CompilerServices.Unsafe", "InlineArray", "SkipLocalsInit", "ModuleInitializer",
        "Vector128", "Vector256", "Vector512", "BatchKernels",
    ];

    public static TheoryData<string> NetworkFiles => new()
    {
        "NetGen.Tests/GradientCheckNetworks.cs",
        "NetGen.Tests/ReferenceNetworks.cs",
        "NetGen.Tests/Recurrent/SequenceNetworks.cs",
        "NetGen.Tests/Recurrent/SequenceReferenceNetworks.cs",
    };

    [Theory]
    [MemberData(nameof(NetworkFiles))]
    public void CSharp11AgainstDotNet8GetsPortableCodeThatCompiles(string file)
    {
        // C# 11 has static abstract members but no InlineArray: the portable code, implementing .NET 8's INetwork.
        GeneratorRun run = GeneratorHarness.Run("using System;\n" + File.ReadAllText(TestsPath(file)), new CSharpParseOptions(LanguageVersion.CSharp11));

        AssertPortableAndCompiles(run);
    }

    internal static void AssertPortableAndCompiles(GeneratorRun run)
    {
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.NotEmpty(run.GeneratedSources);
        // The test networks' own files may use newer C# (collection expressions); only the generated files count here.
        Assert.DoesNotContain(run.CompilationProblems, problem => problem.Location.SourceTree?.FilePath != "Networks.cs");
        foreach (GeneratedSourceResult source in run.GeneratedSources)
        {
            string text = source.SourceText.ToString();
            Assert.Contains("//   portable code,", text, StringComparison.Ordinal);
            foreach (string forbidden in Forbidden)
            {
                Assert.False(text.Contains(forbidden, StringComparison.Ordinal), $"{source.HintName} contains {forbidden}");
            }
        }
    }

    internal static string TestsPath(string file, [CallerFilePath] string self = "")
        => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(self)!, "..", file));
}
