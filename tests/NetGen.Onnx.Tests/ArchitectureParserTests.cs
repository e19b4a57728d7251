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
}
