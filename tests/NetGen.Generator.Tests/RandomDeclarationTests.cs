extern alias runtime;

using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NetGen.Generator.Tests.Infrastructure;

namespace NetGen.Generator.Tests;

/// <summary>
/// Thousands of random declarations from a fixed seed: random attributes and arguments (valid, out of range, undefined
/// enum values, model files that match, do not match or do not exist), type kinds, modifiers, containing types, base
/// classes, primary constructors, and members named like generated ones or not, of every kind and signature. For each,
/// the generator must not throw, and either report an NG diagnostic for the declaration or generate code that compiles
/// without an error or a warning: never an error inside generated code. (Errors in the declaration's own code, which
/// the compiler reports there, are allowed: random members need not compile.)
/// </summary>
/// <remarks>
/// Set <c>NETGEN_RANDOM_DECLARATIONS</c> to run more (and <c>NETGEN_RANDOM_SEED</c> for another seed) locally; a failure
/// prints the declaration and the errors.
/// </remarks>
public sealed class RandomDeclarationTests
{
    private const int DefaultSeed = 20261204;
    private const int DefaultDeclarations = 1000;
    private const int PerCompilation = 80;

    private static readonly Regex DeclarationOfHint = new(@"(?:^|[/\\])R(?<n>\d+)\.|_G(?<n>\d+)\.g\.cs$", RegexOptions.CultureInvariant);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RandomDeclarationsNeverCrashTheGeneratorAndNeverBreakTheGeneratedCode(bool portable)
    {
        // C# 11 gets the portable code (no InlineArray), with .NET 8's INetwork.
        CSharpParseOptions parseOptions = portable ? new CSharpParseOptions(LanguageVersion.CSharp11) : GeneratorHarness.ParseOptions;
        int seed = int.TryParse(Environment.GetEnvironmentVariable("NETGEN_RANDOM_SEED"), out int s) ? s : DefaultSeed;
        int count = int.TryParse(Environment.GetEnvironmentVariable("NETGEN_RANDOM_DECLARATIONS"), out int n) ? n : DefaultDeclarations;
        var random = new Random(seed);
        AdditionalText[] models = ModelFiles();
        var failures = new List<string>();
        int generated = 0, reported = 0, conflicts = 0;

        for (int first = 0; first < count; first += PerCompilation)
        {
            string[] sources = Enumerable.Range(first, Math.Min(PerCompilation, count - first)).Select(i => new Declaration(random, i).Source).ToArray();
            CSharpCompilation compilation = GeneratorHarness.CreateCompilation(sources[0], parseOptions, path: $"Decl{first}.cs")
                .AddSyntaxTrees(sources.Skip(1).Select((source, k) => CSharpSyntaxTree.ParseText(source, parseOptions, $"Decl{first + k + 1}.cs")));
            GeneratorDriver driver = GeneratorHarness.CreateDriver(parseOptions, additionalTexts: models)
                .RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out _);
            GeneratorRunResult result = driver.GetRunResult().Results.Single();

            if (result.Exception is not null)
            {
                failures.Add($"Declarations {first}..: the generator threw {result.Exception}");
                continue;
            }

            foreach (Diagnostic diagnostic in result.Diagnostics.Where(d => d.Id is "NG9999" or "CS8785"))
            {
                failures.Add($"{diagnostic}\n{diagnostic.Location.SourceTree?.ToString() ?? "(no location)"}");
            }

            HashSet<int> withNetGenDiagnostic = result.Diagnostics
                .Where(d => d.Id.StartsWith("NG", StringComparison.Ordinal) && d.Location.SourceTree is not null)
                .Select(d => int.Parse(Path.GetFileNameWithoutExtension(d.Location.SourceTree!.FilePath)["Decl".Length..], System.Globalization.CultureInfo.InvariantCulture))
                .ToHashSet();
            reported += withNetGenDiagnostic.Count;
            conflicts += result.Diagnostics.Count(d => d.Id == "NG0025");
            generated += result.GeneratedSources.Length;
            HashSet<SyntaxTree> generatedTrees = result.GeneratedSources.Select(g => g.SyntaxTree).ToHashSet();

            // Only the generated files are analysed (the declarations' own errors do not matter here), on every core.
            foreach (IGrouping<SyntaxTree, Diagnostic> problems in generatedTrees.AsParallel()
                .SelectMany(tree => output.GetSemanticModel(tree).GetDiagnostics())
                .ToArray()
                .Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Location.SourceTree is { } tree && generatedTrees.Contains(tree))
                .GroupBy(d => d.Location.SourceTree!))
            {
                Match match = DeclarationOfHint.Match(problems.Key.FilePath);
                int declaration = match.Success ? int.Parse(match.Groups["n"].Value, System.Globalization.CultureInfo.InvariantCulture) : -1;
                if (!withNetGenDiagnostic.Contains(declaration))
                {
                    failures.Add($"{Path.GetFileName(problems.Key.FilePath)}:\n  {string.Join("\n  ", problems.Take(5))}\n{(declaration >= 0 ? sources[declaration - first] : "(declaration not found)")}");
                }
            }

            if (failures.Count >= 10)
            {
                break;
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} failure(s), seed {seed}:\n\n" + string.Join("\n\n", failures.Take(10)));

        // The mix is worth testing: many declarations generate code, many are reported, some for their members.
        Assert.InRange(generated, count / 5, count);
        Assert.InRange(reported, count / 5, count);
        Assert.InRange(conflicts, count / 50, count);
    }

    /// <summary>The model files declarations may name: some fit some declarations, one is corrupt, others are missing.</summary>
    private static AdditionalText[] ModelFiles()
    {
        string data = Path.Combine(AppContext.BaseDirectory, "TestData");
        return
        [
            InMemoryAdditionalText.Model("/p/dense.ngw", WeightFileReaderTests.StandIn.Save("3-2(Softmax), CrossEntropy", 3, Enumerable.Range(0, 8).Select(i => i / 10f).ToArray(), null)),
            InMemoryAdditionalText.Model("/p/scaled.ngw", WeightFileReaderTests.StandIn.Save("2-1(Sigmoid), BinaryCrossEntropy", 2, [0.5f, -0.5f, 0.1f], new runtime::NetGen.Data.Standardizer([1f, 2f], [3f, 4f]))),
            InMemoryAdditionalText.Model("/p/seq.ngw", WeightFileReaderTests.StandIn.Save("2-Gru(3)-1(Sigmoid), BinaryCrossEntropy", 2, new float[(3 * 3 * (2 + 3 + 2)) + 4], null)),
            InMemoryAdditionalText.Model("/p/model.onnx", File.ReadAllBytes(Path.Combine(data, "onnx", "relu_sigmoid.onnx"))),
            InMemoryAdditionalText.Model("/p/gru.onnx", File.ReadAllBytes(Path.Combine(data, "sequence", "gru_out.onnx"))),
            InMemoryAdditionalText.Model("/p/corrupt.onnx", File.ReadAllBytes(Path.Combine(data, "onnx", "relu_sigmoid.onnx"))[..60]),
            InMemoryAdditionalText.Unreadable("/p/locked.ngw", "access denied"),
        ];
    }

    /// <summary>One random declaration, in a namespace of its own (<c>R{i}</c>) or in the global namespace with names ending in <c>_G{i}</c>.</summary>
    private sealed class Declaration
    {
        /// <summary>Names NetGen generates (for some network), near misses, contextual keywords, and ordinary names.</summary>
        private static readonly string[] MemberNames =
        [
            "Forward", "Backward", "Predict", "ZeroGradients", "Parameters", "Gradients", "InputCount", "OutputCount", "ParameterCount",
            "Architecture", "LossFunction", "InitialParameters", "InputStandardizer", "MaxSteps", "StateLength", "WorkspaceFloatsPerStep",
            "State", "Step", "ForwardBatch", "BackwardBatch", "PredictBatch", "NetGenBuffer", "_netGenParameters", "NetGenStep", "NetGenHead",
            "NetGenLayer1", "NetGenLayer1Hidden", "NetGenLayer2Input", "NetGenColumns", "NetGenWeightBits", "NetGenWorkspace", "_netGenWorkspace",
            "var", "nameof", "nuint", "forward", "Train", "Name", "Helper", "Loss", "Activation", "Network", "Dense", "Span", "Guard", "global",
            "Evaluate", "Weights", "Seed", "Count", "Input", "Output", "Reset", "Load", "Save", "Labels", "Classes", "Scale",
        ];

        /// <summary>Parameter lists: those of generated methods, and others.</summary>
        private static readonly string[] ParameterLists =
        [
            "", "ReadOnlySpan<float> input, Span<float> output", "ReadOnlySpan<float> input, ReadOnlySpan<float> target", "ReadOnlySpan<float> input",
            "ref State state, ReadOnlySpan<float> features, Span<float> output", "int seed", "int steps", "ReadOnlySpan<float> inputs, Span<int> classes",
            "float[] input, float[] output", "in ReadOnlySpan<float> input, Span<float> output", "ReadOnlySpan<float> input, Span<float> output, int extra = 0",
            "string name", "ReadOnlySpan<float> p, ReadOnlySpan<float> columns, ReadOnlySpan<float> input, ReadOnlySpan<float> hidden, Span<float> next, Span<float> gates, Span<float> hiddenGates, bool backwards",
            "ReadOnlySpan<float> p, ReadOnlySpan<float> hidden, Span<float> output", "ReadOnlySpan<float> p, ReadOnlySpan<float> input, Span<float> output", "object o",
        ];

        /// <summary>Type names: ordinary ones, keywords, names of NetGen's types, and (rarely) names of generated members.</summary>
        private static readonly string[] TypeNames = ["Net", "Net", "Net", "Classifier", "Classifier", "Model", "@class", "@event", "NetGen", "INetwork", "Loss", "Dense", "Forward", "Parameters", "State", "Réseau", "Re\u0301seau", "N\\u0065t2"];

        private readonly Random _random;
        private readonly int _index;

        public Declaration(Random random, int index)
        {
            _random = random;
            _index = index;
            Source = Build();
        }

        public string Source { get; }

        private bool Chance(double p) => _random.NextDouble() < p;

        private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

        private string Build()
        {
            bool global = Chance(0.15);
            string suffix = global ? $"_G{_index}" : string.Empty;
            string typeName = global ? "Net" + suffix : Pick(TypeNames);
            var source = new StringBuilder("using System;\nusing NetGen;\n");
            string indent = string.Empty;
            if (!global)
            {
                if (Chance(0.5))
                {
                    source.Append($"namespace R{_index};\n");
                }
                else
                {
                    source.Append(Pick(new[] { $"namespace R{_index}\n{{\n", $"namespace R{_index}.@class.Inner\n{{\n" }));
                    indent = "    ";
                }
            }

            string? baseClass = null;
            if (Chance(0.1))
            {
                baseClass = "Base" + suffix;
                source.Append(indent).Append(Pick(new[] { "public ", "public abstract ", "internal " })).Append($"class {baseClass}\n{indent}{{\n");
                for (int m = _random.Next(1, 3); m > 0; m--)
                {
                    source.Append(indent).Append("    ").Append(Member(baseClass, inBase: true)).Append('\n');
                }

                source.Append(indent).Append("}\n");
            }

            string[] containing = Chance(0.15)
                ? [Pick(new[] { "public partial class", "public partial class", "public class", "public partial struct", "public partial record", "public static partial class", "internal partial interface" }) + " Outer" + suffix
                    + (Chance(0.1) ? "<T>" : string.Empty)]
                : [];
            foreach (string outer in containing)
            {
                source.Append(indent).Append(outer).Append('\n').Append(indent).Append("{\n");
                indent += "    ";
            }

            foreach (string attribute in Attributes())
            {
                source.Append(indent).Append(attribute).Append('\n');
            }

            double k = _random.NextDouble();
            string keyword = k switch { < 0.8 => "class", < 0.88 => "record", < 0.92 => "record class", < 0.96 => "record struct", < 0.98 => "struct", _ => "interface" };
            var modifiers = new List<string>();
            modifiers.Add(Pick(new[] { "public", "internal", string.Empty, containing.Length > 0 ? "private" : "public" }));
            if (Chance(0.06))
            {
                modifiers.Add("static");
            }
            else if (Chance(0.05))
            {
                modifiers.Add("abstract");
            }
            else if (Chance(0.1))
            {
                modifiers.Add("sealed");
            }

            if (keyword == "record struct" && Chance(0.3))
            {
                modifiers.Add("readonly");
            }

            if (Chance(0.95))
            {
                modifiers.Add("partial");
            }

            string primary = Chance(0.05) ? Pick(new[] { "(int seed)", "(string name)", "()" }) : string.Empty;
            string bases = baseClass is not null ? " : " + baseClass : Chance(0.05) ? " : INetwork" : string.Empty;
            source.Append(indent).Append(string.Join(" ", modifiers.Where(m => m.Length > 0))).Append($" {keyword} {typeName}{(Chance(0.03) ? "<T>" : string.Empty)}{primary}{bases}\n");
            source.Append(indent).Append("{\n");
            for (int m = _random.Next(0, 4); m > 0 && Chance(0.6); m--)
            {
                source.Append(indent).Append("    ").Append(Member(typeName.TrimStart('@'), inBase: false)).Append('\n');
            }

            source.Append(indent).Append("}\n");
            if (Chance(0.05))
            {
                // A second partial declaration, with a member, and perhaps a stray layer (NG0007).
                source.Append(indent).Append(Chance(0.3) ? "[Dense(1)] " : string.Empty)
                    .Append($"partial {keyword} {typeName} {{ {(Chance(0.5) ? Member(typeName.TrimStart('@'), inBase: false) : string.Empty)} }}\n");
            }

            for (int i = 0; i < containing.Length; i++)
            {
                indent = indent[4..];
                source.Append(indent).Append("}\n");
            }

            if (indent.Length > 0)
            {
                source.Append("}\n");
            }

            return source.ToString();
        }

        private IEnumerable<string> Attributes()
        {
            double kind = _random.NextDouble();
            if (kind < 0.1)
            {
                yield return $"[OnnxNetwork({Pick(new[] { "\"model.onnx\"", "\"gru.onnx\"", "\"corrupt.onnx\"", "\"missing.onnx\"", "\"dense.ngw\"", "\"seq.ngw\"", "path: \"model.onnx\"" })}{Named("Frozen", "Loss", "MaxSteps")})]";
                if (Chance(0.1))
                {
                    yield return Layer();
                }

                yield break;
            }

            bool network = kind > 0.15;
            string? file = Chance(0.15) ? Pick(new[] { "dense.ngw", "scaled.ngw", "seq.ngw", "model.onnx", "locked.ngw", "missing.ngw" }) : null;
            if (network)
            {
                if (file is "dense.ngw" && Chance(0.6))
                {
                    yield return $"[Network(3, Loss = Loss.CrossEntropy)] [Dense(2, Activation.Softmax)]";
                }
                else if (file is "scaled.ngw" && Chance(0.6))
                {
                    yield return $"[Network(2, Loss = Loss.BinaryCrossEntropy)] [Dense(1, Activation.Sigmoid)]";
                }
                else if (file is "seq.ngw" && Chance(0.6))
                {
                    yield return $"[Network(2, Loss = Loss.BinaryCrossEntropy{(Chance(0.3) ? ", MaxSteps = 7" : string.Empty)})] [Gru(3)] [Dense(1, Activation.Sigmoid)]";
                }
                else
                {
                    yield return $"[Network({Size(inputs: true)}{Named("Loss", "MaxSteps")})]";
                    bool sequence = Chance(0.25);
                    if (sequence)
                    {
                        for (int r = _random.Next(1, 3); r > 0; r--)
                        {
                            yield return Recurrent();
                        }
                    }

                    for (int d = Chance(0.05) ? 0 : _random.Next(1, 4); d > 0; d--)
                    {
                        yield return Layer();
                    }

                    if (Chance(0.05))
                    {
                        yield return Recurrent(); // after a dense layer: NG0022
                    }
                }
            }
            else if (Chance(0.7))
            {
                yield return Layer();
            }

            if (file is not null)
            {
                yield return $"[WeightsFile(\"{file}\"{(Chance(0.4) ? ", Frozen = " + (Chance(0.5) ? "false" : "true") : string.Empty)})]";
            }
        }

        private string Layer()
        {
            string units = Size(inputs: false);
            string activation = Activation(softmaxLikely: true);
            return Pick(new[] { $"[Dense({units})]", $"[Dense({units}, {activation})]", $"[Dense(units: {units}, activation: {activation})]", $"[Dense({(activation == "Activation.Softmax" ? units : "4")}, {activation})]" });
        }

        private string Recurrent()
        {
            string units = Size(inputs: false);
            return Pick(new[] { $"[Gru({units})]", $"[Lstm({units})]", $"[Rnn({units})]", $"[Rnn({units}, {Pick(new[] { "Activation.Tanh", "Activation.ReLU", Activation(softmaxLikely: false) })})]" });
        }

        private string Size(bool inputs)
        {
            double p = _random.NextDouble();
            return p switch
            {
                < 0.88 => _random.Next(1, 5).ToString(System.Globalization.CultureInfo.InvariantCulture),
                < 0.92 => Pick(new[] { "16", "33", inputs ? "64" : "40" }),
                < 0.96 => Pick(new[] { "0", "-1", "-300" }),
                _ => Pick(new[] { "5000", "40000", "int.MaxValue", "1 << 20" }),
            };
        }

        private string Activation(bool softmaxLikely)
            => Chance(0.03) ? "(Activation)42" : "Activation." + Pick(new[] { "Identity", "Step", "Sigmoid", "Tanh", "ReLU", "LeakyReLU", "Identity", softmaxLikely && Chance(0.5) ? "Softmax" : "Tanh" });

        private string Named(params string[] names)
        {
            var named = new List<string>();
            foreach (string name in names)
            {
                if (!Chance(0.3))
                {
                    continue;
                }

                named.Add(name switch
                {
                    "Loss" => "Loss = " + (Chance(0.05) ? "(Loss)9" : "Loss." + Pick(new[] { "MeanSquaredError", "MeanSquaredError", "BinaryCrossEntropy", "CrossEntropy" })),
                    "MaxSteps" => "MaxSteps = " + Pick(new[] { "1", "100", "100", "0", "5000000" }),
                    _ => "Frozen = " + (Chance(0.5) ? "false" : "true"),
                });
            }

            return string.Concat(named.Select(n => ", " + n));
        }

        /// <summary>A member of a random kind, name, signature and modifiers; in a base class also virtual, abstract or private.</summary>
        private string Member(string typeName, bool inBase)
        {
            string name = Pick(MemberNames);
            string access = inBase ? Pick(new[] { "public", "protected", "private", "internal" }) : Pick(new[] { "public", "private", "internal" });
            string isStatic = Chance(0.15) ? " static" : string.Empty;
            return _random.Next(9) switch
            {
                0 or 1 or 2 => $"{access}{isStatic}{(inBase && isStatic.Length == 0 && access != "private" && Chance(0.4) ? " virtual" : string.Empty)} {Pick(new[] { "void", "int", "float" })} {name}{(Chance(0.1) ? "<T>" : string.Empty)}({Pick(ParameterLists)}) {{ throw new NotSupportedException(); }}",
                3 => $"{access}{isStatic} int {name} = 1;",
                4 => $"{access}{isStatic} int {name} {{ get; set; }}",
                5 => $"{access} const int {name} = 2;",
                6 => $"{access}{isStatic} event EventHandler? {name};",
                7 => $"{access} {Pick(new[] { "class", "struct", "interface", "enum" })} {name} {{ }}",
                _ => inBase ? $"public {typeName}() {{ }}" : $"{access} {typeName}({Pick(new[] { "", "int seed", "int size", "string name", "long seed" })}){(Chance(0.5) ? " : this()" : string.Empty)} {{ }}",
            };
        }
    }
}
