using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using NetGen.Generator.Tests.Infrastructure;

namespace NetGen.Generator.Tests;

/// <summary>
/// One case per diagnostic: its ID, its exact message, and its location, marked in the source with <c>[|…|]</c>.
/// Every bad declaration must produce its diagnostic and no generated file.
/// </summary>
public sealed class DiagnosticTests
{
    public static TheoryData<string, string, string> Cases => new()
    {
        {
            "NG0001",
            "[Network(2)] [Dense(1)] public class [|Plain|] { }",
            "'Plain' has [Network] but is not declared partial, so NetGen cannot add its members; add the 'partial' modifier"
        },
        {
            "NG0002",
            "[[|Network(2)|]] public partial class Empty { }",
            "Network 'Empty' has no [Dense] layers; add at least one [Dense(units, activation)] attribute, the last one being the output layer"
        },
        {
            "NG0003",
            "[Network([|0|])] [Dense(1)] public partial class NoInputs { }",
            "Network 'NoInputs' declares 0 inputs; a network needs at least 1 input"
        },
        {
            "NG0004",
            "[Network(2)] [Dense(4)] [Dense(units: [|-3|], activation: Activation.Tanh)] public partial class NegativeUnits { }",
            "Layer 2 of 'NegativeUnits' declares -3 units; a layer needs at least 1 unit"
        },
        {
            "NG0005",
            "[Network(2)] [Dense(3, [|Activation.Softmax|])] [Dense(1)] public partial class EarlySoftmax { }",
            "Layer 1 of 'EarlySoftmax' uses Softmax, which is only allowed on the output layer; use ReLU, Tanh or Sigmoid for hidden layers"
        },
        {
            "NG0006",
            "[Network(2, Loss = [|Loss.CrossEntropy|])] [Dense(2, Activation.Sigmoid)] public partial class WrongHead { }",
            "Loss.CrossEntropy of 'WrongHead' needs an output layer with Activation.Softmax, but the last layer uses Activation.Sigmoid"
        },
        {
            "NG0006",
            "[Network(2, Loss = [|Loss.BinaryCrossEntropy|])] [Dense(2, Activation.Softmax)] public partial class WrongBinaryHead { }",
            "Loss.BinaryCrossEntropy of 'WrongBinaryHead' needs an output layer with Activation.Sigmoid, but the last layer uses Activation.Softmax"
        },
        {
            "NG0007",
            "[Network(2)] [Dense(3)] public partial class Split { }\n[[|Dense(1)|]] public partial class Split { }",
            "This [Dense] layer of 'Split' is on a different partial declaration than its [Network] attribute; declare all layers on the declaration that has [Network] so that their order is defined"
        },
        {
            "NG0008",
            "[Network(2)] [Dense(1)] public partial class [|Generic|]<T> { }",
            "'Generic' is generic or nested in a generic type; declare the network on a non-generic class"
        },
        {
            "NG0009",
            "public class Outer { [Network(2)] [Dense(1)] public partial class [|Inner|] { } }",
            "'Inner' is nested in 'Outer', which is not partial; make 'Outer' partial so that NetGen can extend the nested network"
        },
        {
            "NG0010",
            "[[|Network(5000)|]] [Dense(5000)] public partial class TooManyParameters { }",
            "Network 'TooManyParameters' is too large: 25,005,000 parameters exceed the limit of 16,777,216"
        },
        {
            "NG0010",
            "[[|Network(2)|]] [Dense(40000)] [Dense(1)] public partial class TooWide { }",
            "Network 'TooWide' is too large: its activations and gradients need 80,002 floats of stack per sample, more than the limit of 65,536; use narrower layers"
        },
        {
            "NG0011",
            "[Network(2)] [Dense(1, [|(Activation)42|])] public partial class UnknownActivation { }",
            "42 is not a defined Activation value"
        },
        {
            "NG0011",
            "[Network(2, Loss = [|(Loss)7|])] [Dense(1)] public partial class UnknownLoss { }",
            "7 is not a defined Loss value"
        },
        {
            "NG0012",
            "[Network(2)] [Dense(1)] public static partial class [|Static|] { }",
            "'Static' is static; a trainable network holds its weights in instance fields, so declare it as a non-static partial class (only a frozen network, from [WeightsFile] or [OnnxNetwork], may be static)"
        },
        {
            "NG0014",
            "[[|Dense(3)|]] public partial class Orphan { }",
            "'Orphan' has [Dense] layers but no [Network(inputs)] attribute, so no network is generated; add [Network(inputs)]"
        },
        {
            "NG0014",
            "[[|Lstm(3)|]] [Dense(1)] public partial class OrphanSequence { }",
            "'OrphanSequence' has [Lstm] layers but no [Network(inputs)] attribute, so no network is generated; add [Network(inputs)]"
        },
        {
            "NG0002",
            "[[|Network(2)|]] [Gru(4)] public partial class OnlyRecurrent { }",
            "Network 'OnlyRecurrent' has no [Dense] layers; add at least one [Dense(units, activation)] attribute, the last one being the output layer"
        },
        {
            "NG0004",
            "[Network(2)] [Gru([|0|])] [Dense(1)] public partial class EmptyGru { }",
            "Layer 1 of 'EmptyGru' declares 0 units; a layer needs at least 1 unit"
        },
        {
            "NG0022",
            "[Network(6)] [Dense(16, Activation.ReLU)] [[|Gru(8)|]] [Dense(1)] public partial class LateGru { }",
            "Layer 2 of 'LateGru' is a Gru layer after the dense layer 1; recurrent layers read the sequence and come first, and the [Dense] layers after them read the last hidden state, so move it before the [Dense] layers"
        },
        {
            "NG0023",
            "[Network(3)] [Rnn(8, [|Activation.Sigmoid|])] [Dense(1)] public partial class SigmoidRnn { }",
            "Layer 1 of 'SigmoidRnn' is an [Rnn] layer with Activation.Sigmoid; an Elman RNN's nonlinearity is Activation.Tanh or Activation.ReLU, as in PyTorch's nn.RNN"
        },
        {
            "NG0024",
            "[Network(3, MaxSteps = [|0|])] [Lstm(4)] [Dense(1)] public partial class NoSteps { }",
            "Sequence network 'NoSteps' declares MaxSteps = 0; Backward needs room for at least 1 step"
        },
        {
            "NG0010",
            "[Network(3, MaxSteps = [|2000000|])] [Lstm(64)] [Dense(1)] public partial class EndlessSequence { }",
            "Network 'EndlessSequence' is too large: backpropagation through 2,000,000 steps keeps 640 floats per step, more than the workspace limit of 268,435,456 floats; lower MaxSteps or use narrower layers"
        },
        {
            "NG0006",
            "[Network(2, Loss = [|Loss.CrossEntropy|])] [Gru(3)] [Dense(2, Activation.Sigmoid)] public partial class WrongSequenceHead { }",
            "Loss.CrossEntropy of 'WrongSequenceHead' needs an output layer with Activation.Softmax, but the last layer uses Activation.Sigmoid"
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void BadDeclarationReportsOneDiagnosticAtTheOffendingSyntax(string id, string markedSource, string message)
    {
        (string source, TextSpan expectedSpan) = ParseMarkup("using NetGen;\n" + markedSource);

        GeneratorRun run = GeneratorHarness.Run(source);

        Diagnostic diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal(message, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(diagnostic.Location.IsInSource, "The diagnostic must point into the source.");
        Assert.Equal(source.Substring(expectedSpan.Start, expectedSpan.Length), source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
        Assert.Equal(expectedSpan, diagnostic.Location.SourceSpan);
        Assert.StartsWith("https://", diagnostic.Descriptor.HelpLinkUri, StringComparison.Ordinal);
        Assert.EndsWith("#" + id.ToLowerInvariant(), diagnostic.Descriptor.HelpLinkUri, StringComparison.Ordinal);
        Assert.Empty(run.GeneratedSources);
    }

    [Fact]
    public void OldLanguageVersionGetsOneDiagnosticSayingWhatToChange()
    {
        // C# 10 cannot implement the static abstract members of NetGen's INetwork for .NET 8 (C# 11 gets the portable code).
        (string source, TextSpan expectedSpan) = ParseMarkup("using NetGen;\n[[|Network(2)|]] [Dense(1)] public partial class Old { }");

        GeneratorRun run = GeneratorHarness.Run(source, new CSharpParseOptions(LanguageVersion.CSharp10));

        Diagnostic diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("NG0013", diagnostic.Id);
        Assert.Equal(
            "NetGen cannot generate a network this compilation can compile: it has C# 10.0, and the NetGen runtime it references (for .NET 8 or later) declares INetwork's sizes as static abstract members, which need C# 11 or later; use LangVersion 11 or later",
            diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(expectedSpan, diagnostic.Location.SourceSpan);
        Assert.Empty(run.GeneratedSources);
    }

    [Fact]
    public void EveryProblemOfOneDeclarationIsReportedTogether()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using NetGen;
            [Network(0, Loss = Loss.CrossEntropy)]
            [Dense(0, Activation.Softmax)]
            [Dense(2, Activation.Tanh)]
            public partial class ManyMistakes { }
            """);

        Assert.Equal(["NG0003", "NG0004", "NG0005", "NG0006"], run.GeneratorDiagnostics.Select(d => d.Id).OrderBy(id => id).ToArray());
        Assert.Empty(run.GeneratedSources);
    }

    [Fact]
    public void LocationsAreRealSourceLocationsSoPragmasAndEditorConfigApply()
    {
        // A diagnostic located with Location.Create(path, span, lineSpan) is an external location the compiler's
        // #pragma and editorconfig handling ignore; NetGen rebuilds locations from the consumer's own syntax tree.
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation("using NetGen;\n[Network(2)] [Dense(1)] public class NotPartial { }");

        GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out _, out var diagnostics);

        Diagnostic reported = Assert.Single(diagnostics);
        Assert.Equal(LocationKind.SourceFile, reported.Location.Kind);
        Assert.Same(compilation.SyntaxTrees.Single(), reported.Location.SourceTree);
    }

    [Fact]
    public void EveryDiagnosticIsDocumentedAndReleaseTracked()
    {
        string root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "NetGen.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("NetGen.sln not found above the test's directory.");
        }

        string docs = File.ReadAllText(Path.Combine(root, "docs", "diagnostics.md"));
        string releases = File.ReadAllText(Path.Combine(root, "generator", "NetGen.Generator", "Diagnostics", "AnalyzerReleases.Unshipped.md"));
        DiagnosticDescriptor[] descriptors = typeof(NetworkGenerator).Assembly.GetType("NetGen.Generator.Diagnostics.DiagnosticDescriptors")!
            .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .Select(field => field.GetValue(null)).OfType<DiagnosticDescriptor>().ToArray();

        Assert.Equal(descriptors.Length, descriptors.Select(d => d.Id).Distinct().Count());
        Assert.All(descriptors, d =>
        {
            string title = d.Title.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Assert.Contains($"| [{d.Id}](#{d.Id.ToLowerInvariant()}) | {title} |", docs, StringComparison.Ordinal);
            Assert.Contains($"\n## {d.Id}\n\n**{title}**\n", docs, StringComparison.Ordinal);
            Assert.Contains($"{d.Id} | NetGen | Error | {title}", releases, StringComparison.Ordinal);
        });
    }

    private static (string Source, TextSpan Span) ParseMarkup(string marked)
    {
        int start = marked.IndexOf("[|", StringComparison.Ordinal);
        int end = marked.IndexOf("|]", StringComparison.Ordinal);
        string source = marked.Remove(end, 2).Remove(start, 2);
        return (source, TextSpan.FromBounds(start, end - 2));
    }
}
