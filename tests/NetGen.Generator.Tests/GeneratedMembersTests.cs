extern alias runtime;

using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Generator.Emitting;
using NetGen.Generator.Model;
using NetGen.Generator.Parsing;
using NetGen.Generator.Planning;
using NetGen.Generator.Tests.Infrastructure;
using NetGen.Shared;
using Standardizer = runtime::NetGen.Data.Standardizer;

namespace NetGen.Generator.Tests;

/// <summary>
/// <see cref="GeneratedMembers"/>, the one list of the members NetGen generates (which NG0025 checks the user's members
/// against), is exactly what the emitters write: for networks of every kind, the members the compiled generated code
/// declares, read as the parser reads a user's members, are the list's, and the generated code relies on no contextual
/// keyword the list does not reserve.
/// </summary>
public sealed class GeneratedMembersTests
{
    /// <summary>Contextual keywords that mean something else when a member or type of that name is in scope.</summary>
    private static readonly string[] ContextualKeywordsThatBind = ["var", "dynamic", "nint", "nuint", "nameof", "unmanaged", "notnull", "_"];

    /// <summary>Networks of every kind the emitters distinguish, and the plan features of sequence networks.</summary>
    private const string Source = """
        using NetGen;
        namespace Kinds;

        [Network(3, Loss = Loss.CrossEntropy)] [Dense(4, Activation.Sigmoid)] [Dense(2, Activation.Softmax)] public partial class SmallDense { }
        [Network(64)] [Dense(200, Activation.ReLU)] [Dense(10)] public partial class WideDense { }
        [Network(3)] [Dense(2, Activation.Softmax)] [WeightsFile("dense.ngw", Frozen = false)] public partial class TrainableFromFile { }
        [Network(3)] [Dense(2, Activation.Softmax)] [WeightsFile("standardized.ngw", Frozen = false)] public partial class TrainableStandardized { }
        [Network(3)] [Dense(2, Activation.Softmax)] [WeightsFile("dense.ngw")] public static partial class FrozenDense { }
        [Network(3)] [Dense(2, Activation.Softmax)] [WeightsFile("standardized.ngw")] public partial class FrozenStandardized { }
        [Network(6, Loss = Loss.CrossEntropy)] [Gru(32)] [Dense(4, Activation.Softmax)] public partial class Gesture { }
        [Network(3)] [Lstm(64)] [Rnn(5, Activation.ReLU)] [Dense(1)] public partial class StackedLstmRnn { }
        [Network(16)] [Rnn(16)] [Gru(2)] [Dense(1)] public partial record SmallRecurrent;
        [Network(2)] [Gru(3)] [Dense(1, Activation.Sigmoid)] [WeightsFile("gru.ngw")] public static partial class FrozenSequence { }
        [OnnxNetwork("gru.onnx", Frozen = false)] public partial class TrainableSequenceFromOnnx { }
        """;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TheCatalogueIsExactlyWhatTheEmittersWriteForEveryKindOfNetwork(bool portable)
    {
        // C# 11 gets the portable code (arrays, no vector widths) with .NET 8's INetwork.
        var parseOptions = new Microsoft.CodeAnalysis.CSharp.CSharpParseOptions(portable ? Microsoft.CodeAnalysis.CSharp.LanguageVersion.CSharp11 : Microsoft.CodeAnalysis.CSharp.LanguageVersion.Latest);
        GeneratorRun run = GeneratorHarness.Run(Source, parseOptions, additionalTexts:
        [
            InMemoryAdditionalText.Model("/project/dense.ngw", WeightFileReaderTests.StandIn.Save("3-2(Softmax), MeanSquaredError", 3, new float[8], null)),
            InMemoryAdditionalText.Model("/project/standardized.ngw", WeightFileReaderTests.StandIn.Save("3-2(Softmax), MeanSquaredError", 3, new float[8], new Standardizer([1f, 2, 3], [1f, 1, 1]))),
            InMemoryAdditionalText.Model("/project/gru.ngw", WeightFileReaderTests.StandIn.Save("2-Gru(3)-1(Sigmoid), MeanSquaredError", 2, new float[(3 * 3 * (2 + 3 + 2)) + 4], null)),
            InMemoryAdditionalText.Model("/project/gru.onnx", File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", "sequence", "gru_out.onnx"))),
        ]);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationProblems);
        NetworkPlan[] plans = run.Result.Results.Single().TrackedSteps[TrackingNames.NetworkPlans]
            .SelectMany(step => step.Outputs).Select(output => output.Value).OfType<NetworkPlan>().ToArray();
        Assert.Equal(11, plans.Length);

        // The plans reach every branch of the catalogue.
        Assert.Contains(plans, p => p.Network.IsFrozen && p.Network.IsSequence);
        Assert.Contains(plans, p => !p.Network.IsFrozen && p.Network.IsSequence && p.Network.Weights is not null);
        Assert.Contains(plans, p => p.Network.IsFrozen && p.Network.Weights!.HasStandardizer);
        Assert.Contains(plans, p => !p.Network.IsFrozen && p.Network.Weights is { HasStandardizer: true });
        Assert.Equal(!portable, plans.Any(p => p.ColumnsLength > 0)); // the portable code runs no product by columns
        LayerPlan[] recurrent = plans.SelectMany(p => p.RecurrentLayers).ToArray();
        Assert.Equal(!portable, recurrent.Any(l => l.Recurrent!.InputByColumns));
        Assert.Contains(recurrent, l => !l.Recurrent!.InputByColumns);
        Assert.All(plans, p => Assert.Equal(portable, p.Network.Target.Portable));
        Assert.Equal(!portable, recurrent.Any(l => l.Recurrent!.HiddenProduct.Shape == LayerShape.UnrolledSimd));
        Assert.Contains(recurrent, l => l.Recurrent!.HiddenProduct.Shape != LayerShape.UnrolledSimd);
        Assert.Equal([LayerKind.Gru, LayerKind.Lstm, LayerKind.Rnn], recurrent.Select(l => l.Layer.Kind).Distinct().Order());

        foreach (NetworkPlan plan in plans)
        {
            GeneratedSourceResult generated = run.GeneratedSources.Single(s => s.HintName == plan.Network.Type.HintName);
            SyntaxTree tree = run.OutputCompilation.SyntaxTrees.Single(t => t.FilePath.EndsWith(generated.HintName, StringComparison.Ordinal));
            INamedTypeSymbol type = run.OutputCompilation.GetTypeByMetadataName(plan.Network.Type.FullName)!;

            string[] emitted = type.GetMembers()
                .Where(m => !m.IsImplicitlyDeclared && m is not IMethodSymbol { AssociatedSymbol: not null } && m.DeclaringSyntaxReferences.All(r => r.SyntaxTree == tree)) // accessors belong to their property
                .Select(m => Key(UserMemberParser.Describe(m, default) ?? throw new InvalidOperationException($"{m} cannot be described")))
                .Order(StringComparer.Ordinal)
                .ToArray();
            IReadOnlyList<GeneratedMember> catalogue = GeneratedMembers.Of(plan);
            string[] listed = catalogue.Select(Key).Order(StringComparer.Ordinal).ToArray();

            Assert.True(
                listed.SequenceEqual(emitted),
                $"{plan.Network.Type.Name}: emitted but not in GeneratedMembers: [{string.Join("; ", emitted.Except(listed))}]; in GeneratedMembers but not emitted: [{string.Join("; ", listed.Except(emitted))}]");

            // Every name the network gets passes the parser's filter.
            Assert.All(catalogue, m => Assert.True(GeneratedMembers.MayBeGenerated(m.Name), m.Name));

            string[] keywords = tree.GetRoot().DescendantNodes().OfType<IdentifierNameSyntax>()
                .Select(name => name.Identifier.ValueText).Where(ContextualKeywordsThatBind.Contains).Distinct().ToArray();
            Assert.True(keywords.All(GeneratedMembers.ContextualKeywords.Contains), $"{plan.Network.Type.Name} uses {string.Join(", ", keywords)}; reserve them in GeneratedMembers.ContextualKeywords");
        }
    }

    [Fact]
    public void TheParsersFilterLetsNoOtherNamesThrough()
    {
        Assert.True(GeneratedMembers.MayBeGenerated("NetGenLayer12Hidden"));
        Assert.True(GeneratedMembers.MayBeGenerated("NetGenColumns"));
        Assert.True(GeneratedMembers.MayBeGenerated(GeneratedMembers.Constructor));
        Assert.False(GeneratedMembers.MayBeGenerated("NetGenLayer0"));
        Assert.False(GeneratedMembers.MayBeGenerated("forward"));
        Assert.False(GeneratedMembers.MayBeGenerated("Train"));
        Assert.False(GeneratedMembers.MayBeGenerated("NetGenLayer1Output"));
    }

    private static string Key(UserMember member) => $"{member.Kind} {member.Name}({string.Join(", ", member.Parameters)})";

    private static string Key(GeneratedMember member) => $"{member.Kind} {member.Name}({string.Join(", ", member.Parameters)})";
}
