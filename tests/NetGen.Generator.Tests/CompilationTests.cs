using System.Linq;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Model;
using NetGen.Generator.Tests.Infrastructure;

namespace NetGen.Generator.Tests;

/// <summary>Clean declarations compile without a single warning; broken ones never crash the generator.</summary>
public sealed class CompilationTests
{
    [Fact]
    public void CleanDeclarationsCompileWithZeroWarnings()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using NetGen;

            namespace Consumer.Models
            {
                [Network(3, Loss = Loss.CrossEntropy)] [Dense(4, Activation.Sigmoid)] [Dense(2, Activation.Softmax)]
                public partial class SeedNet { }

                [Network(2, Loss = Loss.BinaryCrossEntropy)] [Dense(4, Activation.Tanh)] [Dense(1, Activation.Sigmoid)]
                internal sealed partial class XorNet { }

                [Network(2)] [Dense(1, Activation.Step)]
                public partial record Perceptron;

                [Network(64, Loss = Loss.CrossEntropy)] [Dense(32, Activation.ReLU)] [Dense(10, Activation.Softmax)]
                public partial class DigitsNet { }

                [Network(17)] [Dense(257, Activation.LeakyReLU)] [Dense(5, Activation.Identity)] [Dense(3, Activation.Softmax)]
                public abstract partial class OddSizes { }

                public partial class Outer
                {
                    public partial struct Middle
                    {
                        [Network(1)] [Dense(1)] private partial class Tiny { }
                    }
                }
            }

            [Network(4, Loss = Loss.MeanSquaredError)] [Dense(8, Activation.ReLU)] [Dense(8, Activation.Tanh)] [Dense(8, Activation.Identity)] [Dense(3, Activation.Sigmoid)]
            public partial class GlobalNamespaceNet { }
            """);

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Equal(7, run.GeneratedSources.Count);
        Assert.Empty(run.CompilationProblems);
    }

    [Fact]
    public void GeneratedClassImplementsTheRuntimeInterface()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using NetGen;
            [Network(3)] [Dense(2)] public partial class Net { }
            public static class Check
            {
                public static int Inputs<T>() where T : INetwork => T.InputCount;
                public static int Use() => Inputs<Net>() + Net.OutputCount + Net.ParameterCount;
            }
            """);

        Assert.Empty(run.CompilationProblems);
    }

    [Fact]
    public void KeywordAndUnicodeNamesAreWrittenAsCSharpAndGiveValidFileNames()
    {
        // Found by RandomDeclarationTests: a keyword used as a name was emitted without its '@', and the '@' that the
        // namespace's display name keeps made AddSource throw (CS8785, every network of the compilation lost).
        GeneratorRun run = GeneratorHarness.Run("""
            using NetGen;
            namespace Models.@class.@event
            {
                [Network(2)] [Dense(1)] public partial class @class { }

                public partial record @struct
                {
                    [Network(2)] [Gru(2)] [Dense(1)] public partial class @event { }
                }

                [Network(2)] [Dense(1)] public partial class Re\u0301seau { }
                [Network(2)] [Dense(1)] public partial class Résumé { }
            }
            """);

        Assert.Null(run.Result.Results.Single().Exception);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationProblems);
        Assert.Equal(
            ["Models.class.event.Re_seau.", "Models.class.event.Résumé.g.cs", "Models.class.event.class.g.cs", "Models.class.event.struct.event.g.cs"],
            run.GeneratedSources.Select(s => s.HintName.StartsWith("Models.class.event.Re_seau.", StringComparison.Ordinal) ? "Models.class.event.Re_seau." : s.HintName).Order(StringComparer.Ordinal).ToArray());
        Assert.Matches(@"^Models\.class\.event\.Re_seau\.[0-9a-f]{8}\.g\.cs$", run.GeneratedSources.Single(s => s.HintName.Contains("seau", StringComparison.Ordinal)).HintName);
        Assert.Contains("partial class @class : global::NetGen.INetwork", run.GeneratedText("Models.class.event.class.g.cs"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[Network(\"three\")] [Dense(1)] public partial class WrongType { }")]
    [InlineData("[Network] [Dense(1)] public partial class MissingArgument { }")]
    [InlineData("[Network(2)] [Dense] public partial class DenseWithoutUnits { }")]
    [InlineData("[Network(2)] [Dense(1, 3)] public partial class IntActivation { }")]
    [InlineData("[Network(2)] [Network(3)] [Dense(1)] public partial class TwiceOnOne { }")]
    [InlineData("[Network(2)] [Dense(1)] public partial class TwiceOnTwo { }\n[Network(2)] public partial class TwiceOnTwo { }")]
    [InlineData("[Network(2)] [Dense(1)] public partial struct NotAClass { }")]
    [InlineData("[Network(2)] [Dense(1)] public partial interface NotAClassEither { }")]
    [InlineData("[Network(2)] [Dense(1)] public readonly partial record struct NotAClassRecord { }")]
    [InlineData("[Network(int.MaxValue)] [Dense(int.MaxValue)] [Dense(int.MaxValue)] public partial class Overflowing { }")]
    [InlineData("[Network(2)] [Dense(1)] public partial class")]
    [InlineData("[Network(2)] [Dense(1)] public partial class Dup { }\n[Network(2)] [Dense(1)] public partial class Dup { }")]
    [InlineData("public partial class Outer<T> { [Network(2)] [Dense(1)] public partial class Inner { } }")]
    public void MalformedInputNeverCrashesTheGeneratorAndIsNeverSilent(string declaration)
    {
        GeneratorRun run = GeneratorHarness.Run("using NetGen;\n" + declaration);

        GeneratorRunResult result = run.Result.Results.Single();
        Assert.Null(result.Exception);
        Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Id == "CS8785");
        bool compilerComplains = run.OutputCompilation.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error);
        bool netGenComplains = run.GeneratorDiagnostics.Any(d => d.Id.StartsWith("NG", StringComparison.Ordinal));
        Assert.True(compilerComplains || netGenComplains, "A bad declaration must produce an error, from the compiler or from NetGen.");
    }
}
