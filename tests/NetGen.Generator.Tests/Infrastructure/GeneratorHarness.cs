using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace NetGen.Generator.Tests.Infrastructure;

/// <summary>Runs <see cref="NetworkGenerator"/> in-process over source text, as the compiler would.</summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    /// <summary>The running .NET's assemblies plus the NetGen runtime: what a net10.0 consumer compiles against.</summary>
    private static readonly ImmutableArray<MetadataReference> References = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
        .Split(Path.PathSeparator)
        .Where(path => Path.GetFileName(path).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(path) is "mscorlib.dll" or "netstandard.dll")
        .Append(typeof(NetworkAttribute).Assembly.Location)
        .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
        .ToImmutableArray();

    /// <summary>
    /// A consumer's compilation of <paramref name="source"/>, against <paramref name="references"/> (default: what a
    /// net10.0 consumer of NetGen compiles against).
    /// </summary>
    public static CSharpCompilation CreateCompilation(string source, CSharpParseOptions? parseOptions = null, string path = "Networks.cs", IEnumerable<MetadataReference>? references = null)
        => CSharpCompilation.Create(
            "Consumer",
            [CSharpSyntaxTree.ParseText(source, parseOptions ?? ParseOptions, path)],
            references ?? References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, warningLevel: 9999));

    public static GeneratorDriver CreateDriver(CSharpParseOptions? parseOptions = null)
        => CSharpGeneratorDriver.Create(
            [new NetworkGenerator().AsSourceGenerator()],
            parseOptions: parseOptions ?? ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator once and returns its result and the compilation including the generated files.</summary>
    public static GeneratorRun Run(string source, CSharpParseOptions? parseOptions = null, IEnumerable<MetadataReference>? references = null)
    {
        CSharpCompilation compilation = CreateCompilation(source, parseOptions, references: references);
        GeneratorDriver driver = CreateDriver(parseOptions).RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out _);
        return new GeneratorRun(driver.GetRunResult(), output);
    }
}

internal sealed record GeneratorRun(GeneratorDriverRunResult Result, Compilation OutputCompilation)
{
    public ImmutableArray<Diagnostic> GeneratorDiagnostics => Result.Diagnostics;

    public IReadOnlyList<GeneratedSourceResult> GeneratedSources => Result.Results.Single().GeneratedSources;

    public string GeneratedText(string hintName) => GeneratedSources.Single(s => s.HintName == hintName).SourceText.ToString();

    /// <summary>Compiler errors and warnings of the consumer's code plus the generated code (hidden/info excluded).</summary>
    public IEnumerable<Diagnostic> CompilationProblems => OutputCompilation.GetDiagnostics()
        .Where(d => d.Severity >= DiagnosticSeverity.Warning);
}
