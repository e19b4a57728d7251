// Sequence networks (recurrent layers first, design §1b) whose Forward, Backward and Step the recurrent tests check.
// Names spell the architecture: Q{features}_{kind}{units}_..._{dense units}{activation}_{loss}. The comment on each gives
// the code shapes of its recurrent products (input, recurrent: U = unrolled scalar, S = unrolled SIMD, L = loop,
// C = input by columns).
namespace NetGen.Tests.Recurrent;

/// <summary>The networks declared in this file, for xunit theories.</summary>
public static class SequenceNetworks
{
    public static readonly Type[] All =
    [
        typeof(Q1_Gru1_1Identity_Mse), typeof(Q3_Gru4_2Softmax_Ce), typeof(Q6_Gru32_4Softmax_Ce), typeof(Q5_Lstm3_1Sigmoid_Bce),
        typeof(Q13_Lstm64_1Identity_Mse), typeof(Q4_RnnTanh8_3Tanh_Mse), typeof(Q2_RnnReLU5_2Identity_Mse),
        typeof(Q4_Gru6_Gru5_3Softmax_Ce), typeof(Q3_Lstm7_Gru4_2Sigmoid_Bce), typeof(Q5_RnnReLU6_Lstm9_8ReLU_2Identity_Mse),
        typeof(Q8_Gru17_Lstm16_RnnTanh3_3Softmax_Ce), typeof(Q7_Gru40_12Tanh_5Softmax_Ce), typeof(Q2_RnnTanh136_1Sigmoid_Bce),
        typeof(Q136_Gru2_1Identity_Mse),
    ];
}

[Network(1)] // U, U: the smallest sequence network
[Gru(1)]
[Dense(1)]
public partial class Q1_Gru1_1Identity_Mse { }

[Network(3, Loss = Loss.CrossEntropy)] // U, U
[Gru(4)]
[Dense(2, Activation.Softmax)]
public partial class Q3_Gru4_2Softmax_Ce { }

[Network(6, Loss = Loss.CrossEntropy)] // C, S: the gesture network of the design document
[Gru(32)]
[Dense(4, Activation.Softmax)]
public partial class Q6_Gru32_4Softmax_Ce { }

[Network(5, Loss = Loss.BinaryCrossEntropy)] // U, U
[Lstm(3)]
[Dense(1, Activation.Sigmoid)]
public partial class Q5_Lstm3_1Sigmoid_Bce { }

[Network(13)] // C, S
[Lstm(64)]
[Dense(1)]
public partial class Q13_Lstm64_1Identity_Mse { }

[Network(4)] // U, S
[Rnn(8)]
[Dense(3, Activation.Tanh)]
public partial class Q4_RnnTanh8_3Tanh_Mse { }

[Network(2)] // U, U
[Rnn(5, Activation.ReLU)]
[Dense(2)]
public partial class Q2_RnnReLU5_2Identity_Mse { }

[Network(4, Loss = Loss.CrossEntropy)]
[Gru(6)]
[Gru(5)]
[Dense(3, Activation.Softmax)]
public partial class Q4_Gru6_Gru5_3Softmax_Ce { }

[Network(3, Loss = Loss.BinaryCrossEntropy)]
[Lstm(7)]
[Gru(4)]
[Dense(2, Activation.Sigmoid)]
public partial class Q3_Lstm7_Gru4_2Sigmoid_Bce { }

[Network(5)]
[Rnn(6, Activation.ReLU)]
[Lstm(9)]
[Dense(8, Activation.ReLU)]
[Dense(2)]
public partial class Q5_RnnReLU6_Lstm9_8ReLU_2Identity_Mse { }

[Network(8, Loss = Loss.CrossEntropy, MaxSteps = 60)] // C, S; C, S; U, U
[Gru(17)]
[Lstm(16)]
[Rnn(3)]
[Dense(3, Activation.Softmax)]
public partial class Q8_Gru17_Lstm16_RnnTanh3_3Softmax_Ce { }

[Network(7, Loss = Loss.CrossEntropy)] // C, S
[Gru(40)]
[Dense(12, Activation.Tanh)]
[Dense(5, Activation.Softmax)]
public partial class Q7_Gru40_12Tanh_5Softmax_Ce { }

[Network(2, Loss = Loss.BinaryCrossEntropy)] // L, L: a recurrent product too wide to hold its input in registers
[Rnn(136)]
[Dense(1, Activation.Sigmoid)]
public partial class Q2_RnnTanh136_1Sigmoid_Bce { }

[Network(136)] // L, U: an input too wide to hold in registers, and a multiple of a vector
[Gru(2)]
[Dense(1)]
public partial class Q136_Gru2_1Identity_Mse { }
