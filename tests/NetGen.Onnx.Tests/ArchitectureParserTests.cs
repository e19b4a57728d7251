using System.Collections.Generic;
using System.Linq;
using NetGen.TestCases;

namespace NetGen.Onnx.Tests;

/// <summary>The strict parser of NetGen's canonical architecture text.</summary>
public sealed class ArchitectureParserTests
{
    [Fact]
    public void ParsesSizesActivationsAndLoss()
    {
        NetworkArchitecture a = NetworkArchitecture.Parse("4-8(ReLU)-3(Softmax), CrossEntropy");
        Assert.Equal(4, a.Inputs);
        Assert.Equal([new DenseLayer(8, Activation.ReLU), new DenseLayer(3, Activation.Softmax)], a.Layers);
        Assert.Equal(Loss.CrossEntropy, a.Loss);
        Assert.Equal(3, a.Outputs);
        Assert.Equal(67, a.ParameterCount);
        Assert.Equal(4, a.InputsOf(0));
        Assert.Equal(8, a.InputsOf(1));
        Assert.Equal("4-8(ReLU)-3(Softmax), CrossEntropy", a.ToString());
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("4", 1)]
    [InlineData("4-8(ReLU)", 9)]
    [InlineData("4-8(ReLU),CrossEntropy", 10)]
    [InlineData("4-8(ReLU),  CrossEntropy", 11)]
    [InlineData(" 4-8(ReLU), CrossEntropy", 0)]
    [InlineData("4-8(ReLU), CrossEntropy ", 23)]
    [InlineData("4-8(relu), CrossEntropy", 4)]
    [InlineData("4-8(Relu), CrossEntropy", 4)]
    [InlineData("4-8(4), CrossEntropy", 4)]
    [InlineData("4-8(ReLU), crossentropy", 11)]
    [InlineData("4-8(ReLU), 2", 11)]
    [InlineData("4-8, CrossEntropy", 3)]
    [InlineData("4-(ReLU), CrossEntropy", 2)]
    [InlineData("4-0(ReLU), CrossEntropy", 2)]
    [InlineData("4-08(ReLU), CrossEntropy", 2)]
    [InlineData("-4-8(ReLU), CrossEntropy", 0)]
    [InlineData("+4-8(ReLU), CrossEntropy", 0)]
    [InlineData("4-8(ReLU)--3(Softmax), CrossEntropy", 10)]
    [InlineData("4-8(ReLU)3(Softmax), CrossEntropy", 9)]
    [InlineData("4-8(ReLU-3(Softmax), CrossEntropy", 8)]
    [InlineData("4-99999999999(ReLU), CrossEntropy", 2)]
    [InlineData("4 - 8(ReLU), CrossEntropy", 1)]
    public void RejectsMalformedTextNamingThePosition(string text, int position)
    {
        FormatException e = Assert.Throws<FormatException>(() => NetworkArchitecture.Parse(text));
        Assert.Contains($"at position {position},", e.Message, StringComparison.Ordinal);
        Assert.Contains($"\"{text}\"", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NamesTheExpectedActivationsAndLosses()
    {
        FormatException activation = Assert.Throws<FormatException>(() => NetworkArchitecture.Parse("2-1(Relu), MeanSquaredError"));
        Assert.Contains("Identity, Step, Sigmoid, Tanh, ReLU, LeakyReLU, Softmax", activation.Message, StringComparison.Ordinal);
        FormatException loss = Assert.Throws<FormatException>(() => NetworkArchitecture.Parse("2-1(ReLU), MSE"));
        Assert.Contains("MeanSquaredError, BinaryCrossEntropy, CrossEntropy", loss.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RejectsNetworksTooLargeToAddress()
    {
        // The shared parser checks the size, as the generator's reader does, after the syntax.
        FormatException e = Assert.Throws<FormatException>(() => NetworkArchitecture.Parse("100000-100000(ReLU), MeanSquaredError"));
        Assert.Contains(": the network has more than 2147483647 parameters.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NullIsAnArgumentError() =>
        Assert.Throws<ArgumentNullException>(() => NetworkArchitecture.Parse(null!));

    [Fact]
    public void ConstructorValidates()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new NetworkArchitecture(0, Loss.MeanSquaredError, new DenseLayer(1, Activation.Identity)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NetworkArchitecture(1, Loss.MeanSquaredError, new DenseLayer(0, Activation.Identity)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NetworkArchitecture(1, Loss.MeanSquaredError, new DenseLayer(1, (Activation)42)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NetworkArchitecture(1, (Loss)42, new DenseLayer(1, Activation.Identity)));
        Assert.Throws<ArgumentException>(() => new NetworkArchitecture(1, Loss.MeanSquaredError));
    }

    [Theory]
    [MemberData(nameof(ArchitectureTextCases.Valid), MemberType = typeof(ArchitectureTextCases))]
    public void AcceptsWhatTheGeneratorAccepts(string text, int parameters)
    {
        NetworkArchitecture a = NetworkArchitecture.Parse(text);
        Assert.Equal(parameters, a.ParameterCount);
        Assert.Equal(text, a.ToString());
    }

    [Theory]
    [MemberData(nameof(ArchitectureTextCases.Invalid), MemberType = typeof(ArchitectureTextCases))]
    public void RejectsWhatTheGeneratorRejectsAtTheSamePosition(string text, int position)
    {
        FormatException e = Assert.Throws<FormatException>(() => NetworkArchitecture.Parse(text));
        Assert.StartsWith("Invalid NetGen architecture \"", e.Message, StringComparison.Ordinal);
        Assert.Contains(position >= 0 ? $" at position {position}, found " : ": the network has more than 2147483647 parameters.", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ArchitectureTextCases.Messages), MemberType = typeof(ArchitectureTextCases))]
    public void ReportsTheGeneratorsClause(string text, string clause)
    {
        FormatException e = Assert.Throws<FormatException>(() => NetworkArchitecture.Parse(text));
        Assert.Contains($": {clause}. The canonical form is ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void QuotesTheTextWithInvisibleCharactersEscaped()
    {
        FormatException e = Assert.Throws<FormatException>(() => NetworkArchitecture.Parse("4-8(ReLU)\n, \"CrossEntropy\""));
        Assert.StartsWith("Invalid NetGen architecture \"4-8(ReLU)\\u000A, \\\"CrossEntropy\\\"\": expected ", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParsesRecurrentLayersBeforeTheDenseLayers()
    {
        NetworkArchitecture a = NetworkArchitecture.Parse("6-Gru(32)-Lstm(16)-Rnn(8,ReLU)-4(Softmax), CrossEntropy");

        Assert.Equal(6, a.Inputs);
        Assert.Equal(
            [new RecurrentLayer(RecurrentKind.Gru, 32, Activation.Identity), new RecurrentLayer(RecurrentKind.Lstm, 16, Activation.Identity), new RecurrentLayer(RecurrentKind.Rnn, 8, Activation.ReLU)],
            a.RecurrentLayers);
        Assert.Equal([new DenseLayer(4, Activation.Softmax)], a.Layers); // Layers keeps meaning the dense layers
        Assert.Equal(4, a.Outputs);
        Assert.Equal([6, 32, 16], Enumerable.Range(0, 3).Select(a.RecurrentInputsOf));
        Assert.Equal(8, a.InputsOf(0)); // the last recurrent layer's final hidden state
        Assert.Equal((3 * 32 * 40) + (4 * 16 * 50) + (8 * 26) + (9 * 4), a.ParameterCount);
        Assert.Throws<ArgumentOutOfRangeException>(() => a.RecurrentInputsOf(3));
    }

    [Fact]
    public void ANetworkOfRecurrentLayersOnlyOutputsTheLastHiddenState()
    {
        NetworkArchitecture a = NetworkArchitecture.Parse("5-Lstm(7), MeanSquaredError");
        Assert.Empty(a.Layers);
        Assert.Equal(7, a.Outputs);
        Assert.Equal(4 * 7 * (5 + 7 + 2), a.ParameterCount);
        Assert.Throws<ArgumentOutOfRangeException>(() => a.InputsOf(0));
    }

    [Fact]
    public void RefusesARecurrentLayerAfterADenseLayer()
    {
        // Canonical syntax, which the generator's parser accepts too; this type holds recurrent layers first.
        FormatException e = Assert.Throws<FormatException>(() => NetworkArchitecture.Parse("4-8(ReLU)-Gru(3), MeanSquaredError"));
        Assert.Equal("Invalid NetGen architecture \"4-8(ReLU)-Gru(3), MeanSquaredError\": layer 2 is a Gru layer after a dense layer; recurrent layers come first.", e.Message);
    }

    [Fact]
    public void ConstructorWithRecurrentLayersValidatesAndWritesTheCanonicalText()
    {
        var a = new NetworkArchitecture(13, Loss.MeanSquaredError, [new RecurrentLayer(RecurrentKind.Lstm, 64, Activation.Identity), new RecurrentLayer(RecurrentKind.Lstm, 64, Activation.Identity)], new DenseLayer(1, Activation.Identity));
        Assert.Equal("13-Lstm(64)-Lstm(64)-1(Identity), MeanSquaredError", a.ToString());
        Assert.Equal("3-Rnn(16,Tanh), MeanSquaredError", new NetworkArchitecture(3, Loss.MeanSquaredError, [new RecurrentLayer(RecurrentKind.Rnn, 16, Activation.Tanh)]).ToString());

        // The dense-only constructor is the same as no recurrent layers.
        var dense = new NetworkArchitecture(4, Loss.CrossEntropy, new DenseLayer(8, Activation.ReLU), new DenseLayer(3, Activation.Softmax));
        Assert.Empty(dense.RecurrentLayers);
        Assert.Equal(new NetworkArchitecture(4, Loss.CrossEntropy, [], new DenseLayer(8, Activation.ReLU), new DenseLayer(3, Activation.Softmax)).ToString(), dense.ToString());

        IReadOnlyList<RecurrentLayer> none = [];
        Assert.Throws<ArgumentException>(() => new NetworkArchitecture(1, Loss.MeanSquaredError, none));
        Assert.Throws<ArgumentNullException>(() => new NetworkArchitecture(1, Loss.MeanSquaredError, null!, new DenseLayer(1, Activation.Identity)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NetworkArchitecture(1, Loss.MeanSquaredError, [new RecurrentLayer(RecurrentKind.Gru, 0, Activation.Identity)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NetworkArchitecture(1, Loss.MeanSquaredError, [new RecurrentLayer((RecurrentKind)3, 1, Activation.Identity)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NetworkArchitecture(1, Loss.MeanSquaredError, [new RecurrentLayer(RecurrentKind.Rnn, 1, (Activation)42)]));
        ArgumentException activation = Assert.Throws<ArgumentException>(() => new NetworkArchitecture(1, Loss.MeanSquaredError, [new RecurrentLayer(RecurrentKind.Gru, 1, Activation.Tanh)]));
        Assert.Contains("its activation must be Identity", activation.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new NetworkArchitecture(4, Loss.MeanSquaredError, [new RecurrentLayer(RecurrentKind.Lstm, 23168, Activation.Identity)], new DenseLayer(1, Activation.Identity)));
        Assert.Throws<ArgumentException>(() => new NetworkArchitecture(int.MaxValue, Loss.MeanSquaredError, [new RecurrentLayer(RecurrentKind.Gru, int.MaxValue, Activation.Identity)]));
    }

    [Fact]
    public void TheExporterWritesRecurrentLayersOfAnArchitecture()
    {
        // Numbers: SequenceExportTests. Here: an architecture parsed from text exports, with its recurrent operator.
        NetworkArchitecture a = NetworkArchitecture.Parse("6-Gru(4)-2(Softmax), CrossEntropy");
        byte[] model = OnnxExporter.ToBytes(a, new float[a.ParameterCount]);
        Assert.Contains(OnnxModelText.Nodes(model), node => node.OpType == "GRU");
    }
}
