using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NetGen.Generator.Tests.Infrastructure;

namespace NetGen.Generator.Tests;

/// <summary>
/// Compilations for .NET Standard 2.0 and 2.1 that load the generator but cannot compile any network: .NET Standard 2.0
/// has no <c>Span&lt;T&gt;</c>, and a .NET Standard 2.1 project that does not reference the NetGen runtime has no
/// <c>INetwork</c>. The generator reports one NG0013 at each <c>[Network]</c> attribute and writes no code, rather than
/// code that fails to compile. The reference assemblies are NETStandard.Library 2.0.3's and NETStandard.Library.Ref
/// 2.1.0's, copied next to the tests; the consumer declares NetGen's attribute and enum types itself, as a project that
/// only loads the generator would. (With the runtime's .NET Standard 2.1 build referenced, the portable code compiles:
/// <see cref="PortableEmissionTests"/>.)
/// </summary>
public sealed class TargetFrameworkTests
{
    private const string NetGenTypes = """
        namespace NetGen
        {
            public enum Activation { Identity = 0, Step = 1, Sigmoid = 2, Tanh = 3, ReLU = 4, LeakyReLU = 5, Softmax = 6 }

            public enum Loss { MeanSquaredError = 0, BinaryCrossEntropy = 1, CrossEntropy = 2 }

            [System.AttributeUsage(System.AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
            public sealed class NetworkAttribute : System.Attribute
            {
                public NetworkAttribute(int inputs) { Inputs = inputs; }
                public int Inputs { get; }
                public Loss Loss { get; set; }
            }

            [System.AttributeUsage(System.AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
            public sealed class DenseAttribute : System.Attribute
            {
                public DenseAttribute(int units, Activation activation = Activation.Identity) { Units = units; Activation = activation; }
                public int Units { get; }
                public Activation Activation { get; }
            }
        }

        """;

    private const string Networks = """
        namespace Game
        {
            [NetGen.Network(4, Loss = NetGen.Loss.CrossEntropy)]
            [NetGen.Dense(8, NetGen.Activation.ReLU)]
            [NetGen.Dense(3, NetGen.Activation.Softmax)]
            public partial class Policy { }

            [NetGen.Network(2)]
            [NetGen.Dense(1)]
            public partial class Value { }
        }
        """;

    public static TheoryData<string, LanguageVersion, string> Cases => new()
    {
        { "netstandard2.0", LanguageVersion.Latest, "it has no System.Span<T>; target .NET Standard 2.1, .NET Core 2.1 or later" },
        { "netstandard2.1", LanguageVersion.Latest, NoRuntime },
        { "netstandard2.1", LanguageVersion.CSharp9, NoRuntime },
    };

    private const string NoRuntime = "it does not reference the NetGen runtime library (NetGen.dll, which declares NetGen.INetwork); add the NetGen package, or in Unity the NetGen package's Runtime folder";

    [Theory]
    [MemberData(nameof(Cases))]
    public void NetStandardCompilationGetsOneNG0013PerNetworkAndNoGeneratedCode(string framework, LanguageVersion languageVersion, string missing)
    {
        string source = NetGenTypes + Networks;
        var parseOptions = new CSharpParseOptions(languageVersion);

        GeneratorRun run = GeneratorHarness.Run(source, parseOptions, ReferenceAssemblies(framework));

        Assert.Empty(run.GeneratedSources);
        Assert.Empty(run.CompilationProblems); // the consumer's own code compiles: nothing but NG0013 to fix
        Assert.Equal(2, run.GeneratorDiagnostics.Length);
        string[] attributes = ["NetGen.Network(4, Loss = NetGen.Loss.CrossEntropy)", "NetGen.Network(2)"];
        foreach ((Diagnostic diagnostic, string attribute) in run.GeneratorDiagnostics.OrderBy(d => d.Location.SourceSpan.Start).Zip(attributes))
        {
            Assert.Equal("NG0013", diagnostic.Id);
            Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
            Assert.Equal(
                "NetGen cannot generate a network this compilation can compile: " + missing,
                diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(attribute, source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
        }
    }

    [Fact]
    public void TheSameNetworksAreGeneratedAndCompileWhenTheCompilationHasInlineArray()
    {
        // Control: the same networks against the running .NET and the NetGen runtime (whose types they then use) get
        // no diagnostic, and both are generated and compile.
        GeneratorRun run = GeneratorHarness.Run(Networks);

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Equal(2, run.GeneratedSources.Count);
        Assert.Empty(run.CompilationProblems);
    }

    private static IEnumerable<MetadataReference> ReferenceAssemblies(string framework)
    {
        string directory = Path.Combine(AppContext.BaseDirectory, "ReferenceAssemblies", framework);
        string[] files = Directory.GetFiles(directory, "*.dll");
        Assert.Contains(files, f => Path.GetFileName(f) == "netstandard.dll");
        return files.Select(f => (MetadataReference)MetadataReference.CreateFromFile(f));
    }
}
