using System.IO;
using System.Linq;
using System.Text.Json;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Tests.Infrastructure;

namespace NetGen.Generator.Tests;

/// <summary>
/// Real PyTorch models NetGen must refuse (exported by tools/pytorch/export_mlp.py, the <c>unsupported_*</c> models):
/// each, declared as <c>[OnnxNetwork("models/NAME.onnx")]</c>, gives exactly one NG0019 on the path argument, with
/// the reader's reason word for word, and no generated source. The reasons are pinned as the reader words them today;
/// some do not name the operator that is really unsupported (the Constant cases) or no node at all (hidden Softmax).
/// </summary>
public sealed class UnsupportedGraphTests
{
    private static readonly string Directory_ = Path.Combine(AppContext.BaseDirectory, "TestData", "onnx");

    /// <summary>Model name, the op_type of its nodes as the export's JSON records them, and the reader's reason.</summary>
    public static TheoryData<string, string, string> Refused => new()
    {
        // nn.Conv2d front end on a [batch, 1, 4, 4] image.
        { "unsupported_conv2d", "Conv Relu Flatten Gemm",
            "node '/0/Conv' uses operator 'Conv', which NetGen cannot import" },
        // Residual block out(x + relu(inner(x))): the input is used twice, the branches join in Add.
        { "unsupported_residual", "Gemm Relu Add Gemm",
            "node '/Add' adds two computed values ('input' and '/Relu_output_0'), as a residual (skip) connection does; NetGen imports a single chain of layers" },
        // Residual block out(x @ W + x): the skip connection is added where MatMul+Add's bias would be.
        { "unsupported_matmul_residual", "MatMul Add Gemm",
            "node '/Add' adds two computed values ('/MatMul_output_0' and 'input'), as a residual (skip) connection does; NetGen imports a single chain of layers" },
        // cat(a(x), b(x)): two dense layers side by side.
        { "unsupported_branches", "Gemm Gemm Concat",
            "node '/b/Gemm' (operator 'Gemm') does not take the previous node's output '/a/Gemm_output_0'; NetGen imports a single chain of layers" },
        // nn.ReLU then nn.Sigmoid.
        { "unsupported_relu_sigmoid", "Gemm Relu Sigmoid Gemm",
            "node '/2/Sigmoid': operator 'Sigmoid' follows another activation (ReLU); NetGen has one activation per layer" },
        // nn.Softmax(dim=1) on the hidden layer.
        { "unsupported_hidden_softmax", "Gemm Softmax Gemm",
            "node '/1/Softmax': Softmax on layer 1 of 2; NetGen allows Softmax only on the last layer" },
        // x.unsqueeze(1) after a Linear: the reader steps over the Constant that holds Unsqueeze's axes.
        { "unsupported_unsqueeze", "Gemm Constant Unsqueeze Flatten Gemm",
            "node '/1/Unsqueeze' uses operator 'Unsqueeze', which NetGen cannot import" },
        // x * 2 after a Linear: the reader steps over the Constant 2.
        { "unsupported_times_two", "Gemm Constant Mul Gemm",
            "node '/1/Mul' uses operator 'Mul', which NetGen cannot import" },
        // nn.GELU: PyTorch 1.13 writes x * 0.5 * (1 + erf(x / sqrt 2)); the message says it is GELU.
        { "unsupported_gelu", "Gemm Constant Div Erf Constant Add Mul Constant Mul Gemm",
            "node '/1/Div' uses operator 'Div', which NetGen cannot import; with the graph's Erf node, this is how PyTorch exports GELU, an activation NetGen does not have" },
        // nn.ELU.
        { "unsupported_elu", "Gemm Elu Gemm",
            "node '/1/Elu' uses operator 'Elu', which NetGen cannot import" },
        // torch.exp after a Linear (the older negative case, also in ModelFileDiagnosticTests and OnnxReaderTests).
        { "unsupported_exp", "Gemm Exp Gemm",
            "node '/1/Exp' uses operator 'Exp', which NetGen cannot import" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void RefusedModelReportsOneNG0019OnThePathNamingNodeAndOperator(string name, string ops, string reason)
    {
        _ = ops;
        string path = $"models/{name}.onnx";
        string literal = $"\"{path}\"";
        string source = $"using NetGen;\n[OnnxNetwork({literal})] public static partial class Imported {{ }}\n";
        AdditionalText file = InMemoryAdditionalText.Model("/project/" + path, File.ReadAllBytes(Path.Combine(Directory_, name + ".onnx")));

        GeneratorRun run = GeneratorHarness.Run(source, additionalTexts: [file]);

        Diagnostic diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("NG0019", diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal($"Model file '{path}' is not a network NetGen can import: {reason}", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(diagnostic.Location.IsInSource);
        Assert.Equal(source.IndexOf(literal, StringComparison.Ordinal), diagnostic.Location.SourceSpan.Start);
        Assert.Equal(literal, source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
        Assert.Empty(run.GeneratedSources);
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public void ExportRecordsTheOperatorsTheReasonIsAbout(string name, string ops, string reason)
    {
        _ = reason;
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory_, name + ".json")));

        Assert.Equal(name, json.RootElement.GetProperty("name").GetString());
        Assert.Equal(ops, string.Join(" ", json.RootElement.GetProperty("ops").EnumerateArray().Select(o => o.GetString())));
    }
}
