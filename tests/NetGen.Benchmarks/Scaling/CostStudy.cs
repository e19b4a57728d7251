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
}
