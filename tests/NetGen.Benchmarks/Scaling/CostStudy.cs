using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Benchmarks.Networks;
using System.Globalization;
using System.Reflection;
using System.Runtime;

namespace NetGen.Benchmarks.Scaling;

/// <summary>
/// The compile-time and first-call side of the scaling study: for each declaration in ScalingNetworks.cs and
/// BenchmarkNetworks.cs, the generator's time and output size (in process, after a warm-up run) and the time of a
/// fresh process's first <c>new</c> + <c>Forward</c> + <c>Backward</c>, JIT included. Run with <c>--costs</c>.
/// </summary>
internal static class CostStudy
{
    private static readonly Dictionary<string, Func<INetworkProbe>> Probes = new()
    {
        [nameof(Scale10)] = () => new Probe<Scale10>(),
        [nameof(Scale64)] = () => new Probe<Scale64>(),
        [nameof(Scale256)] = () => new Probe<Scale256>(),
        [nameof(Scale1K)] = () => new Probe<Scale1K>(),
        [nameof(Scale4K)] = () => new Probe<Scale4K>(),
        [nameof(ScaleOdd17x257x5)] = () => new Probe<ScaleOdd17x257x5>(),
        [nameof(Scale16K)] = () => new Probe<Scale16K>(),
        [nameof(Scale65K)] = () => new Probe<Scale65K>(),
        [nameof(Scale262K)] = () => new Probe<Scale262K>(),
        [nameof(Scale1M)] = () => new Probe<Scale1M>(),
        [nameof(XorNet)] = () => new Probe<XorNet>(),
        [nameof(IrisNet)] = () => new Probe<IrisNet>(),
        [nameof(DigitsNet)] = () => new Probe<DigitsNet>(),
        [nameof(MnistNet)] = () => new Probe<MnistNet>(),
        [nameof(DeepNet)] = () => new Probe<DeepNet>(),
    };

    /// <summary>The files whose declarations are studied, copied beside this program by the project file.</summary>
    private static readonly string[] DeclarationFiles = ["Scaling/ScalingNetworks.cs", "Networks/BenchmarkNetworks.cs"];

    /// <summary>The generator that compiled this program, copied beside it by the project file.</summary>
    private static readonly Lazy<IIncrementalGenerator> Generator = new(() => (IIncrementalGenerator)Activator.CreateInstance(
        Assembly.LoadFrom(Path.Combine(AppContext.BaseDirectory, "generator", "NetGen.Generator.dll")).GetType("NetGen.Generator.NetworkGenerator", throwOnError: true)!)!);

    private interface INetworkProbe
    {
        (double Total, double Jit) FirstCallMilliseconds();
    }

    /// <summary>Prints a markdown table of the costs of every scaling and benchmark network.</summary>
    public static void Run()
    {
        string[] declarations = DeclarationFiles
            .Select(file => CSharpSyntaxTree.ParseText(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, file))))
            .SelectMany(tree => tree.GetRoot().DescendantNodes().OfType<ClassDeclarationSyntax>())
            .Where(type => type.AttributeLists.SelectMany(list => list.Attributes).Any(attribute => attribute.Name.ToString() == "Network"))
            .Select(type => type.WithoutTrivia().ToFullString())
            .ToArray();
        MetadataReference[] references = References();

        Generate(declarations[0], references); // warm Roslyn and the generator up
        Console.WriteLine("| network | multiply-adds | shapes | generated source | generator time | first call (new + Forward + Backward, JIT included) | of which JIT |");
        Console.WriteLine("|---|---:|---|---:|---:|---:|---:|");
        foreach (string declaration in declarations)
        {
            string name = declaration.Substring(declaration.IndexOf("class ", StringComparison.Ordinal) + 6).Split(' ', '\n')[0].Trim();
            (string source, double generatorMilliseconds) = Generate(declaration, references);
            string[] header = source.Split('\n').TakeWhile(line => line.StartsWith("//", StringComparison.Ordinal)).ToArray();
            string shapes = string.Join(", ", header.Where(line => line.Contains(" -> ", StringComparison.Ordinal)).Select(line => line[(line.LastIndexOf("  ", StringComparison.Ordinal) + 2)..].Trim()));
            string multiplyAdds = header.Single(line => line.Contains("multiply-adds per forward pass", StringComparison.Ordinal)).Split(':')[1].Trim();
            (double Total, double Jit)[] calls = Enumerable.Range(0, 5).Select(_ => FirstCallInFreshProcess(name)).OrderBy(call => call.Total).ToArray();
            (double firstCall, double jit) = calls[calls.Length / 2];
            Console.WriteLine($"| {name} | {multiplyAdds} | {shapes} | {source.Length / 1024.0:F1} KB | {generatorMilliseconds:F1} ms | {firstCall:F1} ms | {jit:F1} ms |");
        }
    }

    /// <summary>
    /// What the generator costs an IDE: one compilation of 50 networks (50 files, sizes from 2-3-1 to 784-128-10),
    /// generated from scratch, then again after an edit to an unrelated file (nothing should be regenerated) and
    /// after an edit to one network (only it should be). Each time is the median of 7 runs on fresh drivers.
    /// </summary>
    public static void RunIdeCosts()
    {
        MetadataReference[] references = References();
        var options = new CSharpParseOptions(LanguageVersion.Latest);
        int[][] shapes = [[2, 3, 1], [4, 8, 3], [16, 16, 4], [64, 32, 10], [32, 64, 64, 4], [784, 128, 10], [17, 257, 5], [8, 8, 8, 2], [128, 64, 10], [3, 5, 2]];
        SyntaxTree[] trees = Enumerable.Range(0, 50).Select(i =>
        {
            int[] shape = shapes[i % shapes.Length];
            string layers = string.Concat(shape.Skip(1).Select((units, k) => k == shape.Length - 2 ? $"[Dense({units}, Activation.Softmax)] " : $"[Dense({units}, Activation.ReLU)] "));
            string code = $"using NetGen;\nnamespace Ide;\n[Network({shape[0]}, Loss = Loss.CrossEntropy)] {layers}public partial class Net{i} {{ }}\n";
            return CSharpSyntaxTree.ParseText(code, options, $"Net{i}.cs");
        }).ToArray();
        CSharpCompilation compilation = CSharpCompilation.Create("Ide", trees, references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        CSharpCompilation unrelated = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace Ide; public static class Helpers { public static int Twice(int x) => 2 * x; }", options, "Helpers.cs"));
        SyntaxTree first = trees[3];
        CSharpCompilation oneNetwork = compilation.ReplaceSyntaxTree(first, first.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(first.ToString().Replace("[Dense(32,", "[Dense(33,", StringComparison.Ordinal))));

        var full = new List<double>();
        var afterUnrelated = new List<double>();
        var afterOneNetwork = new List<double>();
        int regeneratedAfterUnrelated = -1, regeneratedAfterOneNetwork = -1;
        for (int run = 0; run < 8; run++)
        {
            GeneratorDriver driver = CSharpGeneratorDriver.Create([Generator.Value.AsSourceGenerator()], parseOptions: options, driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
            var stopwatch = Stopwatch.StartNew();
            driver = driver.RunGenerators(compilation);
            double fullMilliseconds = stopwatch.Elapsed.TotalMilliseconds;
            stopwatch.Restart();
            GeneratorDriver edited = driver.RunGenerators(unrelated);
            double unrelatedMilliseconds = stopwatch.Elapsed.TotalMilliseconds;
            regeneratedAfterUnrelated = Regenerated(edited);
            stopwatch.Restart();
            edited = driver.RunGenerators(oneNetwork);
            double oneNetworkMilliseconds = stopwatch.Elapsed.TotalMilliseconds;
            regeneratedAfterOneNetwork = Regenerated(edited);
            if (run > 0)
            {
                // The first run warms Roslyn and the generator up.
                full.Add(fullMilliseconds);
                afterUnrelated.Add(unrelatedMilliseconds);
                afterOneNetwork.Add(oneNetworkMilliseconds);
            }
        }

        Console.WriteLine("| 50 networks, 50 files | generator time (median of 7) | generated files that changed |");
        Console.WriteLine("|---|---:|---:|");
        Console.WriteLine($"| from scratch | {Median(full):F1} ms | 50 |");
        Console.WriteLine($"| after an edit to an unrelated file | {Median(afterUnrelated):F1} ms | {regeneratedAfterUnrelated} |");
        Console.WriteLine($"| after an edit to one network | {Median(afterOneNetwork):F1} ms | {regeneratedAfterOneNetwork} |");

        static int Regenerated(GeneratorDriver driver)
            => driver.GetRunResult().Results.Single().TrackedOutputSteps.SelectMany(step => step.Value)
                .SelectMany(step => step.Outputs)
                .Count(output => output.Reason is IncrementalStepRunReason.New or IncrementalStepRunReason.Modified);

        static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
    }

    /// <summary>
    /// What a ~100k-parameter model file costs at compile time (<c>--model-costs</c>): the 101,770-parameter mnist_mlp
    /// (784-128-10, tools/pytorch/export_mlp.py's export) declared four ways: seeded from the attributes alone; frozen
    /// from the ONNX file; frozen from the NetGen weight file; trainable from the weight file. For each, in process, on
    /// one small source file plus the model file it names (encoded as the build step encodes it): the generator's time
    /// (fresh driver and compilation per run: reading the model file and writing the source), the generated source's
    /// size, the time to parse it (the driver parses generated files lazily), the time of <c>Compilation.Emit</c> of the
    /// whole compilation (generated file included, optimised as in Release, nullable enabled) to an in-memory PE, which
    /// binds, checks and lowers every method, and the PE's size. Times are medians of 9 rounds after 2 warm-up rounds,
    /// each round running the four cases in turn.
    /// </summary>
    public static void RunModelCosts()
    {
        const int WarmUp = 2, Runs = 9;
        MetadataReference[] references = References();
        var parseOptions = new CSharpParseOptions(LanguageVersion.Latest);
        string models = Path.Combine(AppContext.BaseDirectory, "models");
        AdditionalText onnx = EncodedModel(Path.Combine(models, "mnist_mlp.onnx"));
        AdditionalText weightFile = EncodedModel(Path.Combine(models, "mnist_mlp.ngw"));
        const string Layers = "[Network(784, Loss = Loss.CrossEntropy)] [Dense(128, Activation.ReLU)] [Dense(10, Activation.Softmax)] ";
        (string Name, string Declaration, AdditionalText[] Files)[] cases =
        [
            ("(i) declared, seeded weights (no file)", Layers + "public sealed partial class Mnist { }", []),
            ("(ii) frozen, `[OnnxNetwork(\"mnist_mlp.onnx\")]`", "[OnnxNetwork(\"mnist_mlp.onnx\")] public static partial class Mnist { }", [onnx]),
            ("(iii) frozen, declared + `[WeightsFile(\"mnist_mlp.ngw\")]`", Layers + "[WeightsFile(\"mnist_mlp.ngw\")] public static partial class Mnist { }", [weightFile]),
            ("(iv) trainable, declared + `[WeightsFile(\"mnist_mlp.ngw\", Frozen = false)]`", Layers + "[WeightsFile(\"mnist_mlp.ngw\", Frozen = false)] public sealed partial class Mnist { }", [weightFile]),
        ];

        Console.WriteLine($"mnist_mlp, 784-128(ReLU)-10(Softmax), 101,770 parameters; model files: mnist_mlp.onnx {new FileInfo(Path.Combine(models, "mnist_mlp.onnx")).Length:N0} bytes, mnist_mlp.ngw {new FileInfo(Path.Combine(models, "mnist_mlp.ngw")).Length:N0} bytes.");
        Console.WriteLine($"Times: medians of {Runs} rounds after {WarmUp} warm-up rounds, each round running the four cases in turn.");
        Console.WriteLine();
        // Two warm-up rounds over every case (Roslyn's and the generator's code tiers up on the big array initializers),
        // then the measured rounds, also over every case in turn, so that a change in background load touches all four.
        var generatorTimes = cases.Select(_ => new List<double>()).ToArray();
        var parseTimes = cases.Select(_ => new List<double>()).ToArray();
        var emitTimes = cases.Select(_ => new List<double>()).ToArray();
        var sources = new string[cases.Length];
        var assemblySizes = new long[cases.Length];
        for (int round = 0; round < WarmUp + Runs; round++)
        {
            for (int k = 0; k < cases.Length; k++)
            {
                (string name, string declaration, AdditionalText[] files) = cases[k];
                CSharpCompilation compilation = CSharpCompilation.Create(
                    "ModelCosts",
                    [CSharpSyntaxTree.ParseText("using NetGen;\nnamespace ModelCosts;\n" + declaration + "\n", parseOptions, "Mnist.cs")],
                    references,
                    new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release, nullableContextOptions: NullableContextOptions.Enable));
                GeneratorDriver driver = CSharpGeneratorDriver.Create([Generator.Value.AsSourceGenerator()], additionalTexts: files, parseOptions: parseOptions);
                GC.Collect();
                GC.WaitForPendingFinalizers();
                var stopwatch = Stopwatch.StartNew();
                driver = driver.RunGenerators(compilation);
                GeneratorDriverRunResult result = driver.GetRunResult();
                double generatorMilliseconds = stopwatch.Elapsed.TotalMilliseconds;
                Diagnostic[] generatorErrors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
                if (generatorErrors.Length > 0)
                {
                    throw new InvalidOperationException($"{name}: the generator reported {string.Join("; ", generatorErrors.Select(d => d.ToString()))}");
                }

                // The driver parses a generated file lazily, on first use: timed on its own, before Emit.
                GeneratedSourceResult generated = result.Results.Single().GeneratedSources.Single();
                stopwatch.Restart();
                generated.SyntaxTree.GetRoot();
                double parseMilliseconds = stopwatch.Elapsed.TotalMilliseconds;
                CSharpCompilation output = compilation.AddSyntaxTrees(generated.SyntaxTree);
                using var pe = new MemoryStream();
                GC.Collect();
                GC.WaitForPendingFinalizers();
                stopwatch.Restart();
                Microsoft.CodeAnalysis.Emit.EmitResult emitted = output.Emit(pe);
                double emitMilliseconds = stopwatch.Elapsed.TotalMilliseconds;
                if (!emitted.Success)
                {
                    throw new InvalidOperationException($"{name}: the compilation failed: {string.Join("; ", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(5))}");
                }

                if (round >= WarmUp)
                {
                    generatorTimes[k].Add(generatorMilliseconds);
                    parseTimes[k].Add(parseMilliseconds);
                    emitTimes[k].Add(emitMilliseconds);
                }

                sources[k] = generated.SourceText.ToString();
                assemblySizes[k] = pe.Length;
                if (files.Length > 0 && !sources[k].Contains("ParameterCount = 101770;", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"{name}: the generated file does not declare the 101,770 parameters.");
                }
            }
        }

        Console.WriteLine($"| declaration | generator time | generated source: characters | UTF-8 bytes | lines | parse of the generated file | Emit to PE in memory | assembly size |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        for (int k = 0; k < cases.Length; k++)
        {
            string source = sources[k];
            int lines = source.Count(c => c == '\n');
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {cases[k].Name} | {Median(generatorTimes[k]):F1} ms | {source.Length:N0} | {System.Text.Encoding.UTF8.GetByteCount(source):N0} | {lines:N0} | {Median(parseTimes[k]):F1} ms | {Median(emitTimes[k]):F0} ms | {assemblySizes[k]:N0} bytes |"));
        }

        static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
    }

    /// <summary>
    /// A model file as NetGen's build step hands it to the compiler. The format belongs to the build step
    /// (src/NetGen.Build/EncodeModelFiles.cs, which writes it; generator/NetGen.Generator/Importing/ModelFileReader.cs reads it);
    /// this is a copy of the test harness's encoder (tests/NetGen.Generator.Tests/Infrastructure/GeneratorHarness.cs).
    /// </summary>
    private static AdditionalText EncodedModel(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        return new InMemoryAdditionalText(
            "/obj/netgen/" + Path.GetFileName(path) + ".netgen",
            $"netgen-model-file 1\npath: {path}\nbytes: {bytes.Length}\n\n{Convert.ToBase64String(bytes, Base64FormattingOptions.InsertLineBreaks).Replace("\r\n", "\n", StringComparison.Ordinal)}\n");
    }

    private static MetadataReference[] References() => ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
        .Split(Path.PathSeparator)
        .Append(typeof(INetwork).Assembly.Location)
        .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
        .ToArray();

    /// <summary>Child-process side of <see cref="FirstCallInFreshProcess"/>.</summary>
    public static void PrintFirstCall(string name)
    {
        (double total, double jit) = Probes[name]().FirstCallMilliseconds();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{total:R} {jit:R}"));
    }

    private static (string Source, double Milliseconds) Generate(string declaration, MetadataReference[] references)
    {
        var options = new CSharpParseOptions(LanguageVersion.Latest);
        CSharpCompilation compilation = CSharpCompilation.Create(
            "CostStudy",
            [CSharpSyntaxTree.ParseText("using NetGen;\n" + declaration, options)],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        GeneratorDriver driver = CSharpGeneratorDriver.Create([Generator.Value.AsSourceGenerator()], parseOptions: options);
        var stopwatch = Stopwatch.StartNew();
        driver = driver.RunGenerators(compilation);
        GeneratorDriverRunResult result = driver.GetRunResult();
        stopwatch.Stop();
        return (result.Results.Single().GeneratedSources.Single().SourceText.ToString(), stopwatch.Elapsed.TotalMilliseconds);
    }

    private static (double Total, double Jit) FirstCallInFreshProcess(string name)
    {
        // Started as the apphost or as `dotnet NetGen.Benchmarks.dll`: start the child the same way.
        string host = Environment.ProcessPath!;
        string[] arguments = Path.GetFileNameWithoutExtension(host) == "dotnet"
            ? [Assembly.GetEntryAssembly()!.Location, "--first-call", name]
            : ["--first-call", name];
        var start = new ProcessStartInfo(host, arguments) { RedirectStandardOutput = true };
        using Process process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        string[] fields = output.Trim().Split(' ');
        return (double.Parse(fields[0], CultureInfo.InvariantCulture), double.Parse(fields[1], CultureInfo.InvariantCulture));
    }

    private sealed class Probe<TNetwork> : INetworkProbe
        where TNetwork : class, INetwork, new()
    {
        public (double Total, double Jit) FirstCallMilliseconds()
        {
            float[] input = new float[TNetwork.InputCount];
            float[] output = new float[TNetwork.OutputCount];
            TimeSpan jitBefore = JitInfo.GetCompilationTime(currentThread: true);
            var stopwatch = Stopwatch.StartNew();
            var network = new TNetwork();
            network.Forward(input, output);
            network.Backward(input, output);
            return (stopwatch.Elapsed.TotalMilliseconds, (JitInfo.GetCompilationTime(currentThread: true) - jitBefore).TotalMilliseconds);
        }
    }

    /// <summary>An AdditionalFiles item held in memory.</summary>
    private sealed class InMemoryAdditionalText(string path, string text) : AdditionalText
    {
        private readonly Microsoft.CodeAnalysis.Text.SourceText _text = Microsoft.CodeAnalysis.Text.SourceText.From(text);

        public override string Path => path;

        public override Microsoft.CodeAnalysis.Text.SourceText GetText(System.Threading.CancellationToken cancellationToken = default) => _text;
    }
}
