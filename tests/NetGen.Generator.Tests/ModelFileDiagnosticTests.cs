using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using NetGen.Generator.Tests.Infrastructure;

namespace NetGen.Generator.Tests;

/// <summary>
/// Every way a model file can be missing, unreadable, corrupt, unsupported or mismatched, and every misuse of
/// <c>[WeightsFile]</c> and <c>[OnnxNetwork]</c>: one diagnostic with its exact message at the marked syntax
/// (<c>[|…|]</c>), and no generated file.
/// </summary>
public sealed class ModelFileDiagnosticTests
{
    private static byte[] Onnx(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", "onnx", name + ".onnx"));

    private static readonly Dictionary<string, (string Source, AdditionalText[] Files, string Id, string Message)> Cases = new()
    {
        ["not listed"] = (
            "[OnnxNetwork([|\"models/iris.onnx\"|])] public static partial class Iris { }",
            [],
            "NG0015",
            "No AdditionalFiles item matches 'models/iris.onnx'; list the file in the project, e.g. <AdditionalFiles Include=\"models/iris.onnx\" />, and give its path relative to the project directory"),
        ["listed under another folder"] = (
            "[OnnxNetwork([|\"models/iris.onnx\"|])] public static partial class Iris { }",
            [InMemoryAdditionalText.Model("/project/othermodels/iris.onnx", Onnx("relu_sigmoid"))],
            "NG0015",
            "No AdditionalFiles item matches 'models/iris.onnx'; list the file in the project, e.g. <AdditionalFiles Include=\"models/iris.onnx\" />, and give its path relative to the project directory"),
        ["empty path"] = (
            "[OnnxNetwork([|\"\"|])] public static partial class Iris { }",
            [InMemoryAdditionalText.Model("/project/iris.onnx", Onnx("relu_sigmoid"))],
            "NG0015",
            "No AdditionalFiles item matches ''; list the file in the project, e.g. <AdditionalFiles Include=\"\" />, and give its path relative to the project directory"),
        ["ambiguous"] = (
            "[OnnxNetwork([|\"iris.onnx\"|])] public static partial class Iris { }",
            [InMemoryAdditionalText.Model("/project/a/iris.onnx", Onnx("relu_sigmoid")), InMemoryAdditionalText.Model("/project/b/iris.onnx", Onnx("relu_sigmoid"))],
            "NG0016",
            "'iris.onnx' matches 2 AdditionalFiles items (/project/a/iris.onnx, /project/b/iris.onnx); give more of the path so that it names one"),
        ["missing on disk"] = (
            "[OnnxNetwork([|\"models/iris.onnx\"|])] public static partial class Iris { }",
            [InMemoryAdditionalText.Unreadable("/project/models/iris.onnx", "the file does not exist")],
            "NG0017",
            "Model file 'models/iris.onnx' cannot be read: the file does not exist"),
        ["binary item without the build step"] = (
            "[OnnxNetwork([|\"models/iris.onnx\"|])] public static partial class Iris { }",
            [new InMemoryAdditionalText("/project/models/iris.onnx", "\u0008\u0007binary")],
            "NG0017",
            "Model file 'models/iris.onnx' cannot be read: it reached the compiler as a plain AdditionalFiles item, but the compiler passes files to generators only as text, which loses a binary file's bytes. NetGen's build step (build/net8.0/NetGen.targets in the NetGen package) encodes 'iris.onnx' for the generator; reference NetGen as a package, or import that file when referencing the generator some other way"),
        ["damaged encoded copy"] = (
            "[OnnxNetwork([|\"models/iris.onnx\"|])] public static partial class Iris { }",
            [new InMemoryAdditionalText("/obj/netgen/iris.onnx.netgen", "netgen-model-file 1\npath: /project/models/iris.onnx\nbytes: 5\n\nAAAA\n")],
            "NG0017",
            "Model file 'models/iris.onnx' cannot be read: its encoded copy '/obj/netgen/iris.onnx.netgen' is damaged (it holds 3 bytes, not 5); rebuild the project"),
        ["truncated onnx"] = (
            "[OnnxNetwork([|\"models/iris.onnx\"|])] public static partial class Iris { }",
            [InMemoryAdditionalText.Model("/project/models/iris.onnx", Onnx("relu_sigmoid")[..100])],
            "NG0018",
            "Model file 'models/iris.onnx' is damaged or not a model: the file is truncated or not a valid ONNX model: *"),
        ["empty file"] = (
            "[OnnxNetwork([|\"models/iris.onnx\"|])] public static partial class Iris { }",
            [InMemoryAdditionalText.Model("/project/models/iris.onnx", [])],
            "NG0018",
            "Model file 'models/iris.onnx' is damaged or not a model: the file is empty"),
        ["unsupported operator"] = (
            "[OnnxNetwork([|\"models/exp.onnx\"|])] public static partial class Exp { }",
            [InMemoryAdditionalText.Model("/project/models/exp.onnx", Onnx("unsupported_exp"))],
            "NG0019",
            "Model file 'models/exp.onnx' is not a network NetGen can import: * uses operator 'Exp'*"),
        ["unsupported LeakyRelu slope"] = (
            "[Network(4)] [Dense(7, Activation.LeakyReLU)] [Dense(3)] [WeightsFile([|\"leaky.onnx\"|])] public static partial class Leaky { }",
            [InMemoryAdditionalText.Model("/project/leaky.onnx", Onnx("leaky_slope_02"))],
            "NG0019",
            "Model file 'leaky.onnx' is not a network NetGen can import: *LeakyRelu with alpha = 0.2; NetGen's LeakyReLU has slope 0.01 only"),
        ["corrupt weight file"] = (
            "[Network(1)] [Dense(1)] [WeightsFile([|\"one.ngw\"|])] public static partial class One { }",
            [InMemoryAdditionalText.Model("/project/one.ngw", Flipped(WeightFileReaderTests.Example, 0x41))],
            "NG0018",
            "Model file 'one.ngw' is damaged or not a model: the file is corrupt: *"),
        ["recurrent weight file for a dense declaration"] = (
            "[Network(2)] [Dense(1, Activation.Sigmoid)] [WeightsFile([|\"gru.ngw\"|])] public static partial class Gru { }",
            [InMemoryAdditionalText.Model("/project/gru.ngw", WeightFileReaderTests.StandIn.Save("2-Gru(1)-1(Sigmoid), BinaryCrossEntropy", 2, new float[(3 * 1 * (2 + 1 + 2)) + 2], null))],
            "NG0020",
            "Model file 'gru.ngw' holds the network 2-Gru(1)-1(Sigmoid), but 'Gru' declares 2-1(Sigmoid)"),
        ["weight file whose recurrent layer follows a dense one"] = (
            "[[|OnnxNetwork(\"late.ngw\")|]] public static partial class Late { }",
            [InMemoryAdditionalText.Model("/project/late.ngw", WeightFileReaderTests.StandIn.Save("2-3(Tanh)-Gru(1)-1(Identity), MeanSquaredError", 2, new float[9 + 18 + 2], null))],
            "NG0022",
            "Layer 2 of 'Late' is a Gru layer after the dense layer 1; recurrent layers read the sequence and come first, and the [Dense] layers after them read the last hidden state, so move it before the [Dense] layers"),
        ["weight file of another network"] = (
            "[Network(2)] [Dense(1)] [WeightsFile([|\"one.ngw\"|])] public static partial class Two { }",
            [InMemoryAdditionalText.Model("/project/one.ngw", WeightFileReaderTests.Example)],
            "NG0020",
            "Model file 'one.ngw' holds the network 1-1(Identity), but 'Two' declares 2-1(Identity)"),
        ["mismatched layers"] = (
            "[Network(4)] [Dense(8, Activation.ReLU)] [Dense(2, Activation.Sigmoid)] [WeightsFile([|\"models/net.onnx\"|])] public static partial class Wrong { }",
            [InMemoryAdditionalText.Model("/project/models/net.onnx", Onnx("relu_sigmoid"))],
            "NG0020",
            "Model file 'models/net.onnx' holds the network 4-8(ReLU)-3(Sigmoid), but 'Wrong' declares 4-8(ReLU)-2(Sigmoid)"),
        ["mismatched inputs"] = (
            "[Network(5)] [Dense(8, Activation.ReLU)] [Dense(3, Activation.Sigmoid)] [WeightsFile([|\"models/net.onnx\"|])] public partial class Wrong { }",
            [InMemoryAdditionalText.Model("/project/models/net.onnx", Onnx("relu_sigmoid"))],
            "NG0020",
            "Model file 'models/net.onnx' holds the network 4-8(ReLU)-3(Sigmoid), but 'Wrong' declares 5-8(ReLU)-3(Sigmoid)"),
        ["loss unsuited to the file's output layer"] = (
            "[[|OnnxNetwork(\"net.onnx\", Frozen = false, Loss = Loss.CrossEntropy)|]] public partial class Tuned { }",
            [InMemoryAdditionalText.Model("/project/net.onnx", Onnx("relu_sigmoid"))],
            "NG0006",
            "Loss.CrossEntropy of 'Tuned' needs an output layer with Activation.Softmax, but the last layer uses Activation.Sigmoid"),
        ["static but trainable"] = (
            "[OnnxNetwork(\"net.onnx\", Frozen = false)] public static partial class [|Tuned|] { }",
            [InMemoryAdditionalText.Model("/project/net.onnx", Onnx("relu_sigmoid"))],
            "NG0012",
            "'Tuned' is static; a trainable network holds its weights in instance fields, so declare it as a non-static partial class (only a frozen network, from [WeightsFile] or [OnnxNetwork], may be static)"),
        ["weights file without network"] = (
            "[[|WeightsFile(\"net.onnx\")|]] public static partial class Lonely { }",
            [InMemoryAdditionalText.Model("/project/net.onnx", Onnx("relu_sigmoid"))],
            "NG0021",
            "'Lonely' has [WeightsFile] but no [Network(inputs)] and [Dense] layers to give the weights to; declare them, or use [OnnxNetwork(path)] to take the layers from an ONNX file"),
        ["onnx network with declared layers"] = (
            "[[|OnnxNetwork(\"net.onnx\")|]] [Dense(3)] public static partial class Both { }",
            [InMemoryAdditionalText.Model("/project/net.onnx", Onnx("relu_sigmoid"))],
            "NG0021",
            "'Both' has [OnnxNetwork] together with [Network] or [Dense]; [OnnxNetwork] takes the layers from its file, so remove them, or keep them and use [WeightsFile(path)] to give the declared network the file's weights"),
    };

    private static byte[] Flipped(byte[] data, int index)
    {
        byte[] copy = (byte[])data.Clone();
        copy[index] ^= 0x01;
        return copy;
    }

    public static TheoryData<string> CaseNames => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void BadModelFileReportsOneDiagnosticAtTheOffendingSyntax(string name)
    {
        (string markedSource, AdditionalText[] files, string id, string message) = Cases[name];
        (string source, TextSpan expectedSpan) = ParseMarkup("using NetGen;\n" + markedSource);

        GeneratorRun run = GeneratorHarness.Run(source, additionalTexts: files);

        Diagnostic diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        string actual = diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(Like(actual, message), $"Expected a message like\n  {message}\nbut got\n  {actual}");
        Assert.Equal(source.Substring(expectedSpan.Start, expectedSpan.Length), source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
        Assert.Empty(run.GeneratedSources);
    }

    /// <summary>A wildcard match: <c>*</c> stands for any text (reader messages name nodes whose names PyTorch chose).</summary>
    private static bool Like(string actual, string pattern)
    {
        string[] parts = pattern.Split('*');
        if (parts.Length == 1)
        {
            return actual == pattern;
        }

        if (!actual.StartsWith(parts[0], StringComparison.Ordinal) || !actual.EndsWith(parts[^1], StringComparison.Ordinal))
        {
            return false;
        }

        int at = parts[0].Length;
        foreach (string part in parts.Skip(1).SkipLast(1))
        {
            at = actual.IndexOf(part, at, StringComparison.Ordinal);
            if (at < 0)
            {
                return false;
            }

            at += part.Length;
        }

        return at <= actual.Length - parts[^1].Length;
    }

    private static (string Source, TextSpan Span) ParseMarkup(string marked)
    {
        int start = marked.IndexOf("[|", StringComparison.Ordinal);
        int end = marked.IndexOf("|]", StringComparison.Ordinal);
        string source = marked.Remove(end, 2).Remove(start, 2);
        return (source, TextSpan.FromBounds(start, end - 2));
    }
}
