using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using NetGen.Generator.Tests.Infrastructure;

namespace NetGen.Generator.Tests;

/// <summary>
/// NG0025: a member of the user's network type that would not compile beside a generated one is reported at that
/// member, and the network gets no generated file (so no error inside generated code); a member that would compile
/// beside them (another overload, a member the network does not get) is no conflict.
/// </summary>
public sealed class MemberConflictTests
{
    private const string Usings = "using System;\nusing NetGen;\n";
    private const string Dense = "[Network(3)] [Dense(2, Activation.Softmax)]";
    private const string Sequence = "[Network(3)] [Gru(4)] [Dense(1)]";

    public static TheoryData<string, string> Conflicts => new()
    {
        {
            $"{Dense} public partial class Net {{ public void [|Forward|](ReadOnlySpan<float> input, Span<float> output) {{ }} }}",
            "Network 'Net' declares the method 'Forward(ReadOnlySpan<float>, Span<float>)', which NetGen generates for it too; rename or remove yours"
        },
        {
            // The return type and parameter names do not matter to C#'s signatures.
            $"{Dense} public partial class Net {{ public int [|ZeroGradients|]() => 0; }}",
            "Network 'Net' declares the method 'ZeroGradients()', which NetGen generates for it too; rename or remove yours"
        },
        {
            // Nor does static against instance.
            $"{Dense} public partial class Net {{ public static float [|Backward|](ReadOnlySpan<float> a, ReadOnlySpan<float> b) => 0; }}",
            "Network 'Net' declares the method 'Backward(ReadOnlySpan<float>, ReadOnlySpan<float>)', which NetGen generates for it too; rename or remove yours"
        },
        {
            $"{Dense} public partial class Net {{ private float[] [|Parameters|] = new float[1]; }}",
            "Network 'Net' declares the field 'Parameters', and NetGen generates the property 'Parameters' for it; rename or remove yours"
        },
        {
            $"{Dense} public partial class Net {{ public int [|InputCount|] => 3; }}",
            "Network 'Net' declares the property 'InputCount', and NetGen generates the constant 'InputCount' for it; rename or remove yours"
        },
        {
            $"{Dense} public partial class Net {{ public const string [|Architecture|] = \"mine\"; }}",
            "Network 'Net' declares the constant 'Architecture', and NetGen generates the constant 'Architecture' for it; rename or remove yours"
        },
        {
            $"{Dense} public partial class Net {{ public event EventHandler? [|Gradients|]; }}",
            "Network 'Net' declares the event 'Gradients', and NetGen generates the property 'Gradients' for it; rename or remove yours"
        },
        {
            // A method named like a generated non-method, whatever its parameters.
            $"{Dense} public partial class Net {{ public int [|OutputCount|](int scale) => scale; }}",
            "Network 'Net' declares the method 'OutputCount(int)', and NetGen generates the constant 'OutputCount' for it; rename or remove yours"
        },
        {
            $"{Dense} public partial class Net {{ public class [|Predict|] {{ }} }}",
            "Network 'Net' declares the nested type 'Predict', and NetGen generates the method 'Predict(ReadOnlySpan<float>)' for it; rename or remove yours"
        },
        {
            $"{Dense} public partial class Net {{ public [|Net|](int size) {{ }} }}",
            "Network 'Net' declares the constructor 'Net(int)', which NetGen generates for it too; rename or remove yours"
        },
        {
            $"{Dense} public partial class Net {{ private [|Net|]() {{ }} }}",
            "Network 'Net' declares the constructor 'Net()', which NetGen generates for it too; rename or remove yours"
        },
        {
            $"{Dense} public partial class Net[|(string name)|] {{ public string Name => name; }}",
            "Network 'Net' has a primary constructor, which the constructors NetGen generates for it ('Net()', 'Net(int)') would have to call; remove the parameter list, the generated constructors set up the network"
        },
        {
            $"{Dense} public partial record Net[|(string Name)|];",
            "Network 'Net' has a primary constructor, which the constructors NetGen generates for it ('Net()', 'Net(int)') would have to call; remove the parameter list, the generated constructors set up the network"
        },
        {
            $"{Dense} public partial class [|Predict|] {{ }}",
            "Network 'Predict' has the name of the method 'Predict(ReadOnlySpan<float>)' that NetGen generates for it, and a member cannot have its type's name; rename the type"
        },
        {
            // A member on another partial declaration of the type.
            $"{Dense} public partial class Net {{ }}\npublic partial class Net {{ public int [|Gradients|]; }}",
            "Network 'Net' declares the field 'Gradients', and NetGen generates the property 'Gradients' for it; rename or remove yours"
        },
        {
            $"{Dense} public partial class Net {{ private int [|_netGenParameters|]; }}",
            "Network 'Net' declares the field '_netGenParameters', and NetGen generates the field '_netGenParameters' for it; rename or remove yours"
        },
        {
            $"{Dense} public partial class Net : INetwork {{ static int INetwork.[|InputCount|] => 3; }}",
            "Network 'Net' declares the explicit interface implementation 'INetwork.InputCount', which NetGen generates for it too; rename or remove yours"
        },
        {
            // Design §1c's batch members.
            $"{Dense} public partial class Net {{ public void [|ForwardBatch|](ReadOnlySpan<float> inputs, Span<float> outputs) {{ }} }}",
            "Network 'Net' declares the method 'ForwardBatch(ReadOnlySpan<float>, Span<float>)', which NetGen generates for it too; rename or remove yours"
        },
        {
            $"{Dense} public partial class Net {{ public int [|PredictBatch|]; }}",
            "Network 'Net' declares the field 'PredictBatch', and NetGen generates the method 'PredictBatch(ReadOnlySpan<float>, Span<int>)' for it; rename or remove yours"
        },
        {
            $"{Dense} public partial class Net {{ public float [|BackwardBatch|](ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets) => 0; }}",
            "Network 'Net' declares the method 'BackwardBatch(ReadOnlySpan<float>, ReadOnlySpan<float>)', which NetGen generates for it too; rename or remove yours"
        },
        {
            // Sequence networks: the streaming members.
            $"{Sequence} public partial class Net {{ public struct [|State|] {{ }} }}",
            "Network 'Net' declares the nested type 'State', and NetGen generates the nested type 'State' for it; rename or remove yours"
        },
        {
            $"{Sequence} public partial class Net {{ public void [|Step|](ref State state, ReadOnlySpan<float> features, Span<float> output) {{ }} }}",
            "Network 'Net' declares the method 'Step(ref State, ReadOnlySpan<float>, Span<float>)', which NetGen generates for it too; rename or remove yours"
        },
        {
            $"{Sequence} public partial class Net {{ public int [|MaxSteps|] {{ get; set; }} }}",
            "Network 'Net' declares the property 'MaxSteps', and NetGen generates the constant 'MaxSteps' for it; rename or remove yours"
        },
        {
            $"{Sequence} public partial class Net {{ private static int [|NetGenLayer1Hidden|]; }}",
            "Network 'Net' declares the field 'NetGenLayer1Hidden', and NetGen generates the method 'NetGenLayer1Hidden(ReadOnlySpan<float>, ReadOnlySpan<float>, Span<float>)' for it; rename or remove yours"
        },
        {
            // A frozen network's members are static; C# does not overload on that.
            $"{Dense} [WeightsFile(\"net.ngw\")] public partial class Net {{ public void [|Forward|](ReadOnlySpan<float> x, Span<float> y) {{ }} }}",
            "Network 'Net' declares the method 'Forward(ReadOnlySpan<float>, Span<float>)', which NetGen generates for it too; rename or remove yours"
        },
        {
            // Inherited members the generated ones would hide (CS0108, CS0114).
            $"public class Base {{ public virtual void Forward(ReadOnlySpan<float> x, Span<float> y) {{ }} }}\n{Dense} public partial class Net : [|Base|] {{ }}",
            "Network 'Net' inherits the method 'Forward(ReadOnlySpan<float>, Span<float>)' from 'Base', which the method 'Forward(ReadOnlySpan<float>, Span<float>)' that NetGen generates for it would hide; rename or remove it in 'Base'"
        },
        {
            $"public class Base {{ protected float[] Gradients = new float[2]; }}\npublic class Middle : Base {{ }}\n{Dense} public partial class Net : [|Middle|] {{ }}",
            "Network 'Net' inherits the field 'Gradients' from 'Base', which the property 'Gradients' that NetGen generates for it would hide; rename or remove it in 'Base'"
        },
        {
            // The generated constructors call the base class's constructor without arguments.
            $"public class Base {{ public Base(int size) {{ }} }}\n{Dense} public partial class Net : [|Base|] {{ }}",
            "Network 'Net' derives from 'Base', which has no single accessible constructor without arguments for the constructors NetGen generates ('Net()', 'Net(int)') to call; give 'Base' one"
        },
        {
            $"public class Base {{ private Base() {{ }} public Base(int size) {{ }} }}\n{Dense} public partial class Net : [|Base|] {{ }}",
            "Network 'Net' derives from 'Base', which has no single accessible constructor without arguments for the constructors NetGen generates ('Net()', 'Net(int)') to call; give 'Base' one"
        },
        {
            // Contextual keywords of the generated code.
            $"{Dense} public partial class Net {{ public static string [|nameof|](object o) => \"\"; }}",
            "Network 'Net' declares the method 'nameof(object)', which changes the meaning of 'nameof' in the code NetGen generates for it; rename it"
        },
        {
            $"{Dense} public partial class Net {{ private class [|var|] {{ }} }}",
            "Network 'Net' declares the nested type 'var', which changes the meaning of 'var' in the code NetGen generates for it; rename it"
        },
    };

    /// <summary>Members that compile beside the generated ones: the network is generated, and everything compiles without a warning.</summary>
    public static TheoryData<string> NoConflicts => new()
    {
        // Overloads with other parameter types, counts, ref kinds, type parameters: the generated code's calls still bind to its own methods.
        $"{Dense} public partial class Net {{ public void Forward(float[] input, float[] output) => Forward(input.AsSpan(), output.AsSpan()); }}",
        $"{Dense} public partial class Net {{ public void Forward(ReadOnlySpan<float> input, Span<float> output, int times) {{ for (int i = 0; i < times; i++) Forward(input, output); }} }}",
        $"{Dense} public partial class Net {{ public void Forward(ReadOnlySpan<float> input, Span<float> output, bool log = false) {{ }} }}",
        $"{Dense} public partial class Net {{ public void Forward(in ReadOnlySpan<float> input, Span<float> output) {{ }} }}",
        $"{Dense} public partial class Net {{ public void Forward<T>(ReadOnlySpan<T> input, Span<T> output) {{ }} }}",
        $"{Dense} public partial class Net {{ public int Predict(float[] input) => Predict(input.AsSpan()); }}",
        $"{Dense} public partial class Net {{ public Net(string name) : this(name.Length) {{ }} static Net() {{ }} }}",
        // Members a network of this kind does not get.
        $"{Dense} public partial class Net {{ public struct State {{ }} public void Step() {{ }} public const int MaxSteps = 3; }}",
        $"{Dense} [WeightsFile(\"net.ngw\")] public static partial class Net {{ public static float Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> t) => 0; public static int Gradients => 0; }}",
        $"{Dense} [WeightsFile(\"net.ngw\")] public partial class Net(int size) {{ public int Size => size; }}",
        $"{Sequence} public partial class Net {{ private static void NetGenLayer2() {{ }} private static void NetGenColumns() {{ }} private static void NetGenLayer1() {{ }} }}",
        // Names of the interface's members implemented explicitly by the user, an inaccessible inherited member, a nested type's member.
        $"{Dense} public partial class Net {{ public float Loss(ReadOnlySpan<float> x) => 0; public class Inner {{ public void Forward() {{ }} }} }}",
        $"public class Base {{ private int Parameters = 1; public int Get() => Parameters; }}\n{Dense} public partial class Net : Base {{ }}",
        $"public class Base {{ public void Forward(float[] x) {{ }} }}\n{Dense} public partial class Net : Base {{ }}",
        $"public abstract class Base {{ protected Base(int size = 3) {{ }} public Base(string name) {{ }} }}\n{Dense} public partial class Net : Base {{ }}",
        $"public class Base {{ public Base(int size) {{ }} }}\n{Dense} [WeightsFile(\"net.ngw\")] public partial class Net : Base {{ public Net() : base(1) {{ }} }}",
    };

    [Theory]
    [MemberData(nameof(Conflicts))]
    public void ConflictingMemberIsReportedAtItselfAndTheNetworkIsNotGenerated(string markedSource, string message)
    {
        (string source, TextSpan expected) = ParseMarkup(Usings + markedSource);

        GeneratorRun run = GeneratorHarness.Run(source, additionalTexts: [InMemoryAdditionalText.Model("/project/net.ngw", NetFile)]);

        Diagnostic diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("NG0025", diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal(message, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(source.Substring(expected.Start, expected.Length), source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
        Assert.Equal(expected, diagnostic.Location.SourceSpan);
        Assert.Empty(run.GeneratedSources);
    }

    [Theory]
    [MemberData(nameof(NoConflicts))]
    public void MemberThatCompilesBesideTheGeneratedOnesIsNoConflict(string source)
    {
        GeneratorRun run = GeneratorHarness.Run(Usings + source, additionalTexts: [InMemoryAdditionalText.Model("/project/net.ngw", NetFile)]);

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Single(run.GeneratedSources);
        Assert.Empty(run.CompilationProblems);
    }

    /// <summary><see cref="Conflicts"/> but those with design §1c's batch members, which are reserved but not emitted yet (<c>GeneratedMember.Pending</c>).</summary>
    public static TheoryData<string, string> EmittedConflicts
    {
        get
        {
            var rows = new TheoryData<string, string>();
            foreach (object[] row in Conflicts.Where(row => !((string)row[1]).Contains("Batch", StringComparison.Ordinal)))
            {
                rows.Add((string)row[0], (string)row[1]);
            }

            return rows;
        }
    }

    [Theory]
    [MemberData(nameof(EmittedConflicts))]
    public void WithoutTheCheckEachConflictWouldBreakTheGeneratedFile(string markedSource, string message)
    {
        // What NG0025 prevents: the code NetGen would have generated (emitted from the plan the pipeline made before the
        // check) compiled beside the declaration has errors in the generated file (warnings for the hidden members of a
        // base class, errors under TreatWarningsAsErrors).
        (string source, _) = ParseMarkup(Usings + markedSource);
        GeneratorRun run = GeneratorHarness.Run(source, additionalTexts: [InMemoryAdditionalText.Model("/project/net.ngw", NetFile)]);
        Planning.NetworkPlan plan = Assert.Single(run.Result.Results.Single().TrackedSteps[TrackingNames.NetworkPlans].SelectMany(step => step.Outputs).Select(output => output.Value).OfType<Planning.NetworkPlan>());
        SyntaxTree generated = Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(Emitting.NetworkEmitter.Emit(plan), GeneratorHarness.ParseOptions, "Generated.g.cs");

        // (An interface member implemented explicitly twice is reported at the type, CS8646, not in the generated file.)
        Diagnostic[] inGenerated = run.OutputCompilation.AddSyntaxTrees(generated).GetDiagnostics()
            .Where(d => d.Severity >= DiagnosticSeverity.Warning && (d.Location.SourceTree == generated || d.Id == "CS8646"))
            .ToArray();
        Assert.True(inGenerated.Length > 0, $"No error in the generated file for ({message}):\n{source}\n{string.Join("\n", run.OutputCompilation.AddSyntaxTrees(generated).GetDiagnostics())}");
        Assert.Equal(message.Contains(" inherits ", StringComparison.Ordinal), inGenerated.All(d => d.Severity == DiagnosticSeverity.Warning));
    }

    [Fact]
    public void ConflictsDependOnTheModelFileForOnnxNetworks()
    {
        // The same Step method conflicts when the file holds a sequence network, and is no conflict for a dense one.
        const string Source = Usings + "[OnnxNetwork(\"model.onnx\")] public static partial class Model { public static void Step(ref State state, ReadOnlySpan<float> features, Span<float> output) { } public struct State { } }";
        byte[] sequence = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", "sequence", "gru_out.onnx"));
        byte[] dense = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", "onnx", "relu_sigmoid.onnx"));

        GeneratorRun fromSequence = GeneratorHarness.Run(Source, additionalTexts: [InMemoryAdditionalText.Model("/project/model.onnx", sequence)]);
        GeneratorRun fromDense = GeneratorHarness.Run(Source, additionalTexts: [InMemoryAdditionalText.Model("/project/model.onnx", dense)]);

        Assert.Equal(["NG0025", "NG0025"], fromSequence.GeneratorDiagnostics.Select(d => d.Id).ToArray());
        Assert.Equal(
            [
                "Network 'Model' declares the method 'Step(ref State, ReadOnlySpan<float>, Span<float>)', which NetGen generates for it too; rename or remove yours",
                "Network 'Model' declares the nested type 'State', and NetGen generates the nested type 'State' for it; rename or remove yours",
            ],
            fromSequence.GeneratorDiagnostics.Select(d => d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)).Order(StringComparer.Ordinal).ToArray());
        Assert.Empty(fromSequence.GeneratedSources);
        Assert.Empty(fromDense.GeneratorDiagnostics);
        Assert.Single(fromDense.GeneratedSources);
        Assert.Empty(fromDense.CompilationProblems);
    }

    [Fact]
    public void EveryConflictingMemberIsReported()
    {
        GeneratorRun run = GeneratorHarness.Run(Usings + $"{Dense} public partial class Net {{ public int Forward; public void Backward(ReadOnlySpan<float> a, ReadOnlySpan<float> b) {{ }} public void Backward(float[] a) {{ }} }}");

        Assert.Equal(["Backward", "Forward"], run.GeneratorDiagnostics.Select(d => d.Location.SourceTree!.ToString().Substring(d.Location.SourceSpan.Start, d.Location.SourceSpan.Length)).Order(StringComparer.Ordinal).ToArray());
        Assert.All(run.GeneratorDiagnostics, d => Assert.Equal("NG0025", d.Id));
        Assert.Empty(run.GeneratedSources);
    }

    /// <summary>A weight file for <see cref="Dense"/>'s network, 3-2(Softmax): every frozen case reads it.</summary>
    private static byte[] NetFile => WeightFileReaderTests.StandIn.Save("3-2(Softmax), MeanSquaredError", 3, new float[8], null);

    private static (string Source, TextSpan Span) ParseMarkup(string marked)
    {
        int start = marked.IndexOf("[|", StringComparison.Ordinal);
        int end = marked.IndexOf("|]", StringComparison.Ordinal);
        string source = marked.Remove(end, 2).Remove(start, 2);
        return (source, TextSpan.FromBounds(start, end - 2));
    }
}
