extern alias runtime;

using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
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
        .Append(typeof(runtime::NetGen.NetworkAttribute).Assembly.Location)
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

    public static GeneratorDriver CreateDriver(CSharpParseOptions? parseOptions = null, IEnumerable<AdditionalText>? additionalTexts = null)
        => CSharpGeneratorDriver.Create(
            [new NetworkGenerator().AsSourceGenerator()],
            additionalTexts: additionalTexts,
            parseOptions: parseOptions ?? ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator once and returns its result and the compilation including the generated files.</summary>
    public static GeneratorRun Run(string source, CSharpParseOptions? parseOptions = null, IEnumerable<MetadataReference>? references = null, IEnumerable<AdditionalText>? additionalTexts = null)
    {
        CSharpCompilation compilation = CreateCompilation(source, parseOptions, references: references);
        GeneratorDriver driver = CreateDriver(parseOptions, additionalTexts).RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out _);
        return new GeneratorRun(driver.GetRunResult(), output);
    }
}

/// <summary>An AdditionalFiles item held in memory.</summary>
internal sealed class InMemoryAdditionalText(string path, string text) : AdditionalText
{
    private readonly Microsoft.CodeAnalysis.Text.SourceText _text = Microsoft.CodeAnalysis.Text.SourceText.From(text);

    public override string Path => path;

    public override Microsoft.CodeAnalysis.Text.SourceText GetText(CancellationToken cancellationToken = default) => _text;

    /// <summary>
    /// A model file as NetGen's build step hands it to the compiler: the encoded copy in obj/ of the file at
    /// <paramref name="originalPath"/> (the format of generator/NetGen.Generator/Importing/ModelFileReader.cs).
    /// </summary>
    public static InMemoryAdditionalText Model(string originalPath, byte[] bytes)
        => new(
            "/obj/netgen/" + System.IO.Path.GetFileName(originalPath) + ".netgen",
            $"netgen-model-file 1\npath: {originalPath}\nbytes: {bytes.Length}\n\n{Convert.ToBase64String(bytes, Base64FormattingOptions.InsertLineBreaks).Replace("\r\n", "\n", StringComparison.Ordinal)}\n");

    /// <summary>What the build step writes when it cannot read the file.</summary>
    public static InMemoryAdditionalText Unreadable(string originalPath, string error)
        => new("/obj/netgen/" + System.IO.Path.GetFileName(originalPath) + ".netgen", $"netgen-model-file 1\npath: {originalPath}\nerror: {error}\n");
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
