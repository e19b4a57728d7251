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

    [Theory]
    [MemberData(nameof(NetworkFiles))]
    public void CSharp9AgainstNetStandard21AndItsNetGenGetsPortableCodeThatCompiles(string file)
    {
        // Unity 6: C# 9, .NET Standard 2.1 reference assemblies, NetGen's netstandard2.1 build (instance INetwork sizes).
        GeneratorRun run = GeneratorHarness.Run("using System;\n" + File.ReadAllText(TestsPath(file)), new CSharpParseOptions(LanguageVersion.CSharp9), NetStandard21WithNetGen());

        AssertPortableAndCompiles(run);
        Assert.All(run.GeneratedSources, source => Assert.Contains("int global::NetGen.INetwork.InputCount => InputCount;", source.SourceText.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public void CSharp8IsTheOldestThatCompilesThePortableCode()
    {
        string source = "using System;\n" + File.ReadAllText(TestsPath("NetGen.Tests/Recurrent/SequenceNetworks.cs"));
        AssertPortableAndCompiles(GeneratorHarness.Run(source, new CSharpParseOptions(LanguageVersion.CSharp8), NetStandard21WithNetGen()));

        GeneratorRun old = GeneratorHarness.Run(source, new CSharpParseOptions(LanguageVersion.CSharp7_3), NetStandard21WithNetGen());
        Assert.Empty(old.GeneratedSources);
        Assert.NotEmpty(old.GeneratorDiagnostics);
        Assert.All(old.GeneratorDiagnostics, diagnostic =>
        {
            Assert.Equal("NG0013", diagnostic.Id);
            Assert.Equal("NetGen cannot generate a network this compilation can compile: it has C# 7.3; generated networks need C# 8 or later", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        });
    }

    /// <summary>NETStandard.Library.Ref 2.1.0's reference assemblies and NetGen's netstandard2.1 build.</summary>
    private static IEnumerable<MetadataReference> NetStandard21WithNetGen()
    {
        string references = Path.Combine(AppContext.BaseDirectory, "ReferenceAssemblies");
        return Directory.GetFiles(Path.Combine(references, "netstandard2.1"), "*.dll")
            .Append(Path.Combine(references, "netgen-netstandard2.1", "NetGen.dll"))
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path));
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
