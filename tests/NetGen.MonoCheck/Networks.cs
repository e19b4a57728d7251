namespace NetGen.MonoCheck
{
    // Written in C# 9, as Unity compiles it. Together the networks reach every code shape of the portable code
    // (unrolled scalar layers, kernel calls, recurrent layers of each kind, frozen weights) and every loss.

    /// <summary>The XOR network of samples/Xor: unrolled scalar code.</summary>
    [Network(2, Loss = Loss.BinaryCrossEntropy)]
    [Dense(4, Activation.Tanh)]
    [Dense(1, Activation.Sigmoid)]
    public partial class XorNet { }

    /// <summary>The Iris network of samples/Iris.</summary>
    [Network(4, Loss = Loss.CrossEntropy)]
    [Dense(8, Activation.ReLU)]
    [Dense(3, Activation.Softmax)]
    public partial class IrisNet { }

    /// <summary>Layers wide enough for the kernels (vector code on .NET 8).</summary>
    [Network(64, Loss = Loss.CrossEntropy)]
    [Dense(32, Activation.ReLU)]
    [Dense(24, Activation.Sigmoid)]
    [Dense(10, Activation.Softmax)]
    public partial class DigitsNet { }

    /// <summary>A regression network with the other activations and mean squared error.</summary>
    [Network(20)]
    [Dense(40, Activation.LeakyReLU)]
    [Dense(12, Activation.Tanh)]
    [Dense(2, Activation.Identity)]
    public partial class RegressionNet { }

    /// <summary>A GRU over 6 features a step, classified by a softmax layer.</summary>
    [Network(6, Loss = Loss.CrossEntropy, MaxSteps = 16)]
    [Gru(8)]
    [Dense(4, Activation.Softmax)]
    public partial class GestureNet { }

    /// <summary>An LSTM under an RNN, wide enough for the kernels, and a regression head.</summary>
    [Network(5, MaxSteps = 16)]
    [Lstm(24)]
    [Rnn(16)]
    [Dense(1)]
    public partial class ForecastNet { }

    /// <summary>An RNN with ReLU (the LSTM's RNN above has Tanh) and binary cross-entropy, small enough for unrolled products.</summary>
    [Network(3, Loss = Loss.BinaryCrossEntropy, MaxSteps = 8)]
    [Rnn(4, Activation.ReLU)]
    [Dense(1, Activation.Sigmoid)]
    public partial class SwitchNet { }

    /// <summary>samples/Classify's trained Iris model, frozen: its weights compiled in as static readonly data.</summary>
    [Network(4, Loss = Loss.CrossEntropy)]
    [Dense(8, Activation.ReLU)]
    [Dense(3, Activation.Softmax)]
    [WeightsFile("Classify/iris.ngw")]
    public static partial class FrozenIris { }

    /// <summary>
    /// The same weight file as <see cref="FrozenIris"/>, as Unity hands it to the generator: the text form the Unity
    /// package's editor script writes next to <c>Assets/Models/iris.ngw</c> (Unity/Assets/Models).
    /// </summary>
    [Network(4, Loss = Loss.CrossEntropy)]
    [Dense(8, Activation.ReLU)]
    [Dense(3, Activation.Softmax)]
    [WeightsFile("Assets/Models/iris.ngw")]
    public static partial class UnityFrozenIris { }

    /// <summary>samples/PyTorchImport's PyTorch model, frozen from its ONNX file.</summary>
    [OnnxNetwork("models/iris.onnx", Loss = Loss.CrossEntropy)]
    public static partial class PyTorchIris { }
}

namespace NetGen.MonoCheck
{
    /// <summary>The benchmarks' GRU(32) over 6 features a step (docs/benchmarks.md, issue 12), timed on Mono against <see cref="NaiveGru"/>.</summary>
    [Network(6, Loss = Loss.CrossEntropy, MaxSteps = 64)]
    [Gru(32)]
    [Dense(4, Activation.Softmax)]
    public partial class Gru32Net { }
}
