extern alias runtime;

using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Tests.Infrastructure;

namespace NetGen.Generator.Tests;

/// <summary>
/// Networks from model files: frozen and trainable types from ONNX models and NetGen weight files compile without a
/// warning, keep the file's weights bit for bit, and look as reviewed (snapshots).
/// </summary>
public sealed class ModelFileImportTests
{
    private static byte[] Onnx(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", "onnx", name + ".onnx"));

    [Fact]
    public void FrozenAndTrainableNetworksFromFilesCompileWithZeroWarnings()
    {
        GeneratorRun run = GeneratorHarness.Run(
            """
            using NetGen;

            namespace Consumer.Models
            {
                [OnnxNetwork("models/relu_sigmoid.onnx")] public static partial class FrozenOnnx { }

                [OnnxNetwork("models/flatten_tanh_softmax.onnx", Frozen = false, Loss = Loss.CrossEntropy)] internal sealed partial class TunedOnnx { }

                [OnnxNetwork("models/batchnorm_relu.onnx")] public partial class FrozenInstanceType { }

                [Network(1)] [Dense(1)] [WeightsFile("models/one.ngw")] public static partial class FrozenNgw { }

                [Network(1, Loss = Loss.MeanSquaredError)] [Dense(1)] [WeightsFile("models/one.ngw", Frozen = false)] public partial record TunedNgw;

                [OnnxNetwork("models/one.ngw")] public static partial class NgwWithoutDeclaredLayers { }

                public static partial class Outer
                {
                    [OnnxNetwork("models/matmul_add.onnx")] internal static partial class Nested { }
                }
            }
            """,
            additionalTexts:
            [
                InMemoryAdditionalText.Model("/project/models/relu_sigmoid.onnx", Onnx("relu_sigmoid")),
                InMemoryAdditionalText.Model("/project/models/flatten_tanh_softmax.onnx", Onnx("flatten_tanh_softmax")),
                InMemoryAdditionalText.Model("/project/models/batchnorm_relu.onnx", Onnx("batchnorm_relu")),
                InMemoryAdditionalText.Model("/project/models/matmul_add.onnx", Onnx("matmul_add")),
                InMemoryAdditionalText.Model("/project/models/one.ngw", WeightFileReaderTests.Example),
            ]);

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Equal(7, run.GeneratedSources.Count);
        Assert.Empty(run.CompilationProblems);
        Assert.Contains("public const string Architecture = \"1-1(Identity), MeanSquaredError\";", run.GeneratedText("Consumer.Models.NgwWithoutDeclaredLayers.g.cs"), StringComparison.Ordinal);
        Assert.Contains("0x3F000000, 0xBE800000,", run.GeneratedText("Consumer.Models.FrozenNgw.g.cs"), StringComparison.Ordinal); // 0.5, -0.25
    }

    [Fact]
    public void FrozenNetworkFromOnnx()
    {
        GeneratorRun run = GeneratorHarness.Run(
            "using NetGen;\nnamespace Demo;\n[OnnxNetwork(\"models/relu_sigmoid.onnx\")]\npublic static partial class Frozen { }\n",
            additionalTexts: [InMemoryAdditionalText.Model("/project/models/relu_sigmoid.onnx", Onnx("relu_sigmoid"))]);

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationProblems);
        Snapshot.Verify(run.GeneratedText("Demo.Frozen.g.cs"), "FrozenFromOnnx");
    }

    [Fact]
    public void TrainableNetworkStartingFromAWeightFile()
    {
        GeneratorRun run = GeneratorHarness.Run(
            "using NetGen;\nnamespace Demo;\n[Network(1)] [Dense(1)]\n[WeightsFile(\"one.ngw\", Frozen = false)]\npublic partial class Tuned { }\n",
            additionalTexts: [InMemoryAdditionalText.Model("C:\\project\\one.ngw", WeightFileReaderTests.Example)]);

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationProblems);
        Snapshot.Verify(run.GeneratedText("Demo.Tuned.g.cs"), "TunedFromWeightFile");
    }

    [Fact]
    public void PathsMatchByTrailingSegmentsWithEitherSeparatorAndCaseAsFallback()
    {
        const string Source = """
            using NetGen;
            [OnnxNetwork("./Models/Net.onnx")] public static partial class A { }
            [OnnxNetwork("models\\net.onnx")] public static partial class B { }
            [OnnxNetwork("../project/models/net.onnx")] public static partial class C { }
            [OnnxNetwork("C:\\project\\models\\net.onnx")] public static partial class D { }
            """;

        GeneratorRun run = GeneratorHarness.Run(Source, additionalTexts: [InMemoryAdditionalText.Model("C:\\project\\models\\net.onnx", Onnx("relu_sigmoid"))]);

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Equal(4, run.GeneratedSources.Count);
    }

    [Fact]
    public void ANameIsNotMatchedInsideAnotherFileName()
    {
        GeneratorRun run = GeneratorHarness.Run(
            "using NetGen;\n[OnnxNetwork(\"net.onnx\")] public static partial class A { }",
            additionalTexts: [InMemoryAdditionalText.Model("/project/mynet.onnx", Onnx("relu_sigmoid"))]);

        Assert.Equal("NG0015", Assert.Single(run.GeneratorDiagnostics).Id);
    }

    [Theory]
    [InlineData("/unity/Assets/Models/one_ngw.NetGen.Generator.additionalfile", true)]
    [InlineData("/unity/Assets/Models/one_ngw.netgen.generator.additionalfile", false)] // Unity's suffix is case-sensitive
    [InlineData("/unity/Assets/Models/one_ngw.Other.additionalfile", false)]
    public void UnityAdditionalFilesWithTheGeneratorsNameCarryModelFiles(string unityPath, bool read)
    {
        // What the Unity package's editor script writes next to Assets/Models/one.ngw (ModelFileEncoding), as Unity hands
        // it to the generator: an additional file named Filename.[Analyzer Name].additionalfile, in the portable code.
        string text = runtime::NetGen.Serialization.ModelFileEncoding.Encode("Assets/Models/one.ngw", WeightFileReaderTests.Example);
        Assert.Equal("one_ngw.NetGen.Generator.additionalfile", runtime::NetGen.Serialization.ModelFileEncoding.UnityFileName("one.ngw"));

        GeneratorRun run = GeneratorHarness.Run(
            "using NetGen;\n[Network(1)] [Dense(1)] [WeightsFile(\"Models/one.ngw\")] public static partial class FromUnity { }",
            new Microsoft.CodeAnalysis.CSharp.CSharpParseOptions(Microsoft.CodeAnalysis.CSharp.LanguageVersion.CSharp11),
            additionalTexts: [new InMemoryAdditionalText(unityPath, text)]);

        if (read)
        {
            Assert.Empty(run.GeneratorDiagnostics);
            Assert.Contains("//   portable code,", Assert.Single(run.GeneratedSources).SourceText.ToString(), StringComparison.Ordinal);
            Assert.Empty(run.CompilationProblems);
        }
        else
        {
            Assert.Equal("NG0015", Assert.Single(run.GeneratorDiagnostics).Id);
        }
    }
}
