using System.Linq;
using System.Text;
using NetGen.Generator.Model;
using NetGen.Generator.WeightFiles;
using NetGen.Shared;
using NetGen.TestCases;

namespace NetGen.Generator.Tests;

/// <summary>
/// The shared architecture-text grammar (src/Shared/ArchitectureText.cs) as the generator uses it: the table of
/// tests/Shared/ArchitectureTextCases.cs, which tests/NetGen.Onnx.Tests runs against the runtime's parser, through the
/// parser and through weight files; and the recurrent tokens, which the generator reads but does not build yet.
/// </summary>
public sealed class ArchitectureTextTests
{
    private const string Canonical = "(the canonical form is inputs-units(Activation)-..., Loss, e.g. \"4-8(ReLU)-3(Softmax), CrossEntropy\")";

    [Theory]
    [MemberData(nameof(ArchitectureTextCases.Valid), MemberType = typeof(ArchitectureTextCases))]
    public void ValidTextsParseWithTheirParameterCountAndWriteBackUnchanged(string text, int parameters)
    {
        Assert.True(ArchitectureText.TryParse(text, out ParsedArchitecture? parsed, out string? error), error);
        Assert.Equal(parameters, parsed.ParameterCount);
        Assert.Equal(parameters, parsed.Layers.Sum(l => l.ParameterCount));

        var written = new StringBuilder().Append(parsed.Inputs);
        int previous = parsed.Inputs;
        foreach (ArchitectureLayer layer in parsed.Layers)
        {
            Assert.Equal(previous, layer.Inputs);
            Assert.True(layer.Kind is LayerKind.Dense or LayerKind.Rnn || layer.Activation == Activation.Identity);
            ArchitectureText.AppendLayer(written, layer.Kind, layer.Units, layer.Activation);
            previous = layer.Units;
        }

        Assert.Equal(text, ArchitectureText.AppendLoss(written, parsed.Loss).ToString());
    }

    [Theory]
    [MemberData(nameof(ArchitectureTextCases.Valid), MemberType = typeof(ArchitectureTextCases))]
    public void ValidTextsInWeightFilesAreRead(string text, int parameters)
    {
        if (parameters > 100_000)
        {
            return; // the largest networks are parsed above; their weight files would take gigabytes
        }

        Assert.True(ArchitectureText.TryParse(text, out ParsedArchitecture? parsed, out _));
        byte[] file = WeightFileReaderTests.StandIn.Save(text, parsed.Inputs, new float[parameters], null);

        ImportedNetwork result = WeightFileReader.Read(file);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(ArchitectureMapping.Describe(result.Inputs, result.Layers, result.Loss!.Value), text);
        Assert.Equal(parameters, result.Layers.Sum(layer => layer.ParameterCount));
    }

    [Theory]
    [MemberData(nameof(ArchitectureTextCases.Invalid), MemberType = typeof(ArchitectureTextCases))]
    public void InvalidTextsAreRefusedAtTheirPosition(string text, int position)
    {
        Assert.False(ArchitectureText.TryParse(text, out ParsedArchitecture? parsed, out string? error));
        Assert.Null(parsed);
        if (position >= 0)
        {
            Assert.StartsWith("expected ", error, StringComparison.Ordinal);
            Assert.Contains($" at position {position}, found ", error, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal("the network has more than 2147483647 parameters", error);
        }

        ImportedNetwork result = WeightFileReader.Read(WeightFileReaderTests.StandIn.Save(text, 1, [], null));
        Assert.True(result.IsCorrupt);
        Assert.Equal($"the file's architecture text {ArchitectureText.Quote(text)} is invalid: {error} {Canonical}", result.Error);
    }

    [Theory]
    [MemberData(nameof(ArchitectureTextCases.Messages), MemberType = typeof(ArchitectureTextCases))]
    public void MessagesNameWhatWasExpectedAndFound(string text, string clause)
    {
        Assert.False(ArchitectureText.TryParse(text, out _, out string? error));
        Assert.Equal(clause, error);
    }

    [Fact]
    public void RecurrentLayersGetTheirInputsAndPyTorchParameterCounts()
    {
        Assert.True(ArchitectureText.TryParse("6-Gru(32)-Lstm(8)-Rnn(4,ReLU)-3(Softmax), CrossEntropy", out ParsedArchitecture? parsed, out string? error), error);

        Assert.Equal(
            [
                new ArchitectureLayer(LayerKind.Gru, 6, 32, Activation.Identity),
                new ArchitectureLayer(LayerKind.Lstm, 32, 8, Activation.Identity),
                new ArchitectureLayer(LayerKind.Rnn, 8, 4, Activation.ReLU),
                new ArchitectureLayer(LayerKind.Dense, 4, 3, Activation.Softmax),
            ],
            parsed.Layers);

        // weight_ih [G*H, I] + weight_hh [G*H, H] + bias_ih [G*H] + bias_hh [G*H].
        Assert.Equal([3 * 32 * (6 + 32 + 2), 4 * 8 * (32 + 8 + 2), 4 * (8 + 4 + 2), 5 * 3], parsed.Layers.Select(l => l.ParameterCount));
        Assert.Equal(new[] { "Gru(32)", "Lstm(8)", "Rnn(4,ReLU)", "3(Softmax)" }, parsed.Layers.Select(ArchitectureText.Token));
    }

    [Fact]
    public void TheGrammarLeavesLayerOrderAndActivationsToTheValidators()
    {
        // Dense before recurrent, Softmax in the middle, an RNN with Sigmoid: all syntactically canonical.
        Assert.True(ArchitectureText.TryParse("4-8(Softmax)-Gru(3)-Rnn(2,Sigmoid), MeanSquaredError", out ParsedArchitecture? parsed, out string? error), error);
        Assert.Equal([LayerKind.Dense, LayerKind.Gru, LayerKind.Rnn], parsed.Layers.Select(l => l.Kind));
    }

    [Fact]
    public void ParameterCountsSaturateInsteadOfOverflowing()
    {
        Assert.Equal(long.MaxValue, ArchitectureText.ParameterCount(LayerKind.Lstm, int.MaxValue, int.MaxValue));
        Assert.Equal(long.MaxValue, ArchitectureText.ParameterCount(LayerKind.Gru, int.MaxValue, int.MaxValue));
        Assert.Equal((long)int.MaxValue * ((2L * int.MaxValue) + 2), ArchitectureText.ParameterCount(LayerKind.Rnn, int.MaxValue, int.MaxValue));
        Assert.Equal(((long)int.MaxValue + 1) * int.MaxValue, ArchitectureText.ParameterCount(LayerKind.Dense, int.MaxValue, int.MaxValue));

        // Many huge recurrent layers: the running count stops growing once too large.
        string text = "2147483647" + string.Concat(Enumerable.Repeat("-Lstm(2147483647)", 40)) + ", MeanSquaredError";
        Assert.False(ArchitectureText.TryParse(text, out _, out string? error));
        Assert.Equal("the network has more than 2147483647 parameters", error);
    }
}
