// Networks whose Backward is checked against finite differences (GradientCheckTests) and reused by the other
// behaviour tests. Names spell the architecture: N{inputs}_{units}{activation}_..._{loss}.
//
// The comment on each network gives each layer's multiply-adds and the code shape the planner gives it (U = unrolled
// scalar, S = unrolled SIMD, L = loop over the kernels), read from the generated files' headers. Together they cover
// every shape and every pair of neighbouring shapes; NetGen.Generator.Tests' ShapeCoverageTests plans this file
// with the real generator and fails if a threshold change leaves a shape or a pair untested.
namespace NetGen.Tests;

/// <summary>The networks declared in this file, for xunit theories.</summary>
public static class GradientCheckNetworks
{
    /// <summary>The networks below without a Step layer: finite differences apply.</summary>
    public static readonly Type[] Differentiable =
    [
        typeof(N3_4Tanh_200Sigmoid_2Identity_Mse), typeof(N96_60Tanh_7ReLU_1Identity_Mse),
        typeof(N1_1Identity_Mse), typeof(N3_2Sigmoid_Mse), typeof(N5_3Tanh_Mse), typeof(N4_3ReLU_Mse), typeof(N4_3LeakyReLU_Mse),
        typeof(N3_4Softmax_Mse), typeof(N6_1Sigmoid_Bce), typeof(N5_3Softmax_Ce), typeof(N16_8Identity_Mse), typeof(N43_3Tanh_Mse),
        typeof(N129_1Identity_Mse), typeof(N9_17Sigmoid_Mse), typeof(N40_5ReLU_Mse), typeof(N17_17LeakyReLU_Mse), typeof(N33_9Softmax_Mse),
        typeof(N257_1Sigmoid_Bce), typeof(N300_10Softmax_Ce),
        typeof(N2_4Sigmoid_1Sigmoid_Bce), typeof(N3_5Tanh_2Identity_Mse), typeof(N4_6ReLU_3Softmax_Ce), typeof(N4_6LeakyReLU_2Tanh_Mse),
        typeof(N3_4Identity_2ReLU_Mse), typeof(N5_7Tanh_3Softmax_Mse), typeof(N8_16Tanh_17Softmax_Ce), typeof(N17_17ReLU_3Sigmoid_Bce),
        typeof(N64_33Sigmoid_9LeakyReLU_Mse), typeof(N1_300Tanh_1Identity_Mse), typeof(N300_257LeakyReLU_10Softmax_Ce),
        typeof(N5_7Tanh_6Sigmoid_4Softmax_Ce), typeof(N6_16Sigmoid_17Tanh_2Identity_Mse), typeof(N150_1LeakyReLU_100Tanh_3Sigmoid_Bce),
        typeof(N20_20Identity_7ReLU_1Tanh_Mse),
        typeof(N8_16Tanh_8LeakyReLU_16Sigmoid_8Softmax_Ce), typeof(N9_15ReLU_8Tanh_16Identity_1Sigmoid_Bce),
        typeof(N257_17Tanh_33ReLU_300Sigmoid_5Identity_Mse), typeof(N8_16Tanh_8Sigmoid_16LeakyReLU_8Tanh_16Identity_Mse),
    ];

    /// <summary>The networks below with a Step layer.</summary>
    public static readonly Type[] WithStep =
    [
        typeof(S3_1Step_Mse), typeof(S5_3Step_Mse), typeof(S200_1Step_Mse), typeof(S3_4Step_2Identity_Mse), typeof(S20_17Step_9Identity_Mse),
    ];

    public static readonly Type[] All = [.. Differentiable, .. WithStep];
}

// ---- One layer: every output activation with MSE, plus BCE and CE heads, unrolled and loop-shaped ----

[Network(1)] // 1 U, the smallest network there is
[Dense(1)]
public partial class N1_1Identity_Mse { }

[Network(3)] // 6 U
[Dense(2, Activation.Sigmoid)]
public partial class N3_2Sigmoid_Mse { }

[Network(5)] // 15 U
[Dense(3, Activation.Tanh)]
public partial class N5_3Tanh_Mse { }

[Network(4)] // 12 U
[Dense(3, Activation.ReLU)]
public partial class N4_3ReLU_Mse { }

[Network(4)] // 12 U
[Dense(3, Activation.LeakyReLU)]
public partial class N4_3LeakyReLU_Mse { }

[Network(3)] // 12 U, softmax Jacobian through MSE
[Dense(4, Activation.Softmax)]
public partial class N3_4Softmax_Mse { }

[Network(6, Loss = Loss.BinaryCrossEntropy)] // 6 U
[Dense(1, Activation.Sigmoid)]
public partial class N6_1Sigmoid_Bce { }

[Network(5, Loss = Loss.CrossEntropy)] // 15 U
[Dense(3, Activation.Softmax)]
public partial class N5_3Softmax_Ce { }

[Network(16)] // 128 S
[Dense(8)]
public partial class N16_8Identity_Mse { }

[Network(43)] // 129 S
[Dense(3, Activation.Tanh)]
public partial class N43_3Tanh_Mse { }

[Network(129)] // 129 S
[Dense(1)]
public partial class N129_1Identity_Mse { }

[Network(9)] // 153 S
[Dense(17, Activation.Sigmoid)]
public partial class N9_17Sigmoid_Mse { }

[Network(40)] // 200 S
[Dense(5, Activation.ReLU)]
public partial class N40_5ReLU_Mse { }

[Network(17)] // 289 S
[Dense(17, Activation.LeakyReLU)]
public partial class N17_17LeakyReLU_Mse { }

[Network(33)] // 297 S, softmax Jacobian over spans
[Dense(9, Activation.Softmax)]
public partial class N33_9Softmax_Mse { }

[Network(257, Loss = Loss.BinaryCrossEntropy)] // 257 L
[Dense(1, Activation.Sigmoid)]
public partial class N257_1Sigmoid_Bce { }

[Network(300, Loss = Loss.CrossEntropy)] // 3000 L
[Dense(10, Activation.Softmax)]
public partial class N300_10Softmax_Ce { }

// ---- Two layers: every hidden activation, every shape pair ----

[Network(2, Loss = Loss.BinaryCrossEntropy)] // 8 U | 4 U
[Dense(4, Activation.Sigmoid)]
[Dense(1, Activation.Sigmoid)]
public partial class N2_4Sigmoid_1Sigmoid_Bce { }

[Network(3)] // 15 U | 10 U
[Dense(5, Activation.Tanh)]
[Dense(2)]
public partial class N3_5Tanh_2Identity_Mse { }

[Network(4, Loss = Loss.CrossEntropy)] // 24 U | 18 U
[Dense(6, Activation.ReLU)]
[Dense(3, Activation.Softmax)]
public partial class N4_6ReLU_3Softmax_Ce { }

[Network(4)] // 24 U | 12 U
[Dense(6, Activation.LeakyReLU)]
[Dense(2, Activation.Tanh)]
public partial class N4_6LeakyReLU_2Tanh_Mse { }

[Network(3)] // 12 U | 8 U
[Dense(4)]
[Dense(2, Activation.ReLU)]
public partial class N3_4Identity_2ReLU_Mse { }

[Network(5)] // 35 U | 21 U
[Dense(7, Activation.Tanh)]
[Dense(3, Activation.Softmax)]
public partial class N5_7Tanh_3Softmax_Mse { }

[Network(8, Loss = Loss.CrossEntropy)] // 128 U | 272 S
[Dense(16, Activation.Tanh)]
[Dense(17, Activation.Softmax)]
public partial class N8_16Tanh_17Softmax_Ce { }

[Network(17, Loss = Loss.BinaryCrossEntropy)] // 289 S | 51 S
[Dense(17, Activation.ReLU)]
[Dense(3, Activation.Sigmoid)]
public partial class N17_17ReLU_3Sigmoid_Bce { }

[Network(64)] // 2112 S | 297 S
[Dense(33, Activation.Sigmoid)]
[Dense(9, Activation.LeakyReLU)]
public partial class N64_33Sigmoid_9LeakyReLU_Mse { }

[Network(1)] // 300 L | 300 L, one input fanned out to 300 units
[Dense(300, Activation.Tanh)]
[Dense(1)]
public partial class N1_300Tanh_1Identity_Mse { }

[Network(300, Loss = Loss.CrossEntropy)] // 77100 L | 2570 L
[Dense(257, Activation.LeakyReLU)]
[Dense(10, Activation.Softmax)]
public partial class N300_257LeakyReLU_10Softmax_Ce { }

// ---- Three layers ----

[Network(5, Loss = Loss.CrossEntropy)] // 35 U | 42 U | 24 U
[Dense(7, Activation.Tanh)]
[Dense(6, Activation.Sigmoid)]
[Dense(4, Activation.Softmax)]
public partial class N5_7Tanh_6Sigmoid_4Softmax_Ce { }

[Network(6)] // 96 U | 272 S | 34 S
[Dense(16, Activation.Sigmoid)]
[Dense(17, Activation.Tanh)]
[Dense(2)]
public partial class N6_16Sigmoid_17Tanh_2Identity_Mse { }

[Network(150, Loss = Loss.BinaryCrossEntropy)] // 150 L | 100 U | 300 S, a one-unit bottleneck
[Dense(1, Activation.LeakyReLU)]
[Dense(100, Activation.Tanh)]
[Dense(3, Activation.Sigmoid)]
public partial class N150_1LeakyReLU_100Tanh_3Sigmoid_Bce { }

[Network(20)] // 400 S | 140 S | 7 U
[Dense(20)]
[Dense(7, Activation.ReLU)]
[Dense(1, Activation.Tanh)]
public partial class N20_20Identity_7ReLU_1Tanh_Mse { }

// ---- Four and five layers ----

[Network(8, Loss = Loss.CrossEntropy)] // 128 U | 128 S | 128 S | 128 S
[Dense(16, Activation.Tanh)]
[Dense(8, Activation.LeakyReLU)]
[Dense(16, Activation.Sigmoid)]
[Dense(8, Activation.Softmax)]
public partial class N8_16Tanh_8LeakyReLU_16Sigmoid_8Softmax_Ce { }

[Network(9, Loss = Loss.BinaryCrossEntropy)] // 135 S | 120 U | 128 U | 16 S
[Dense(15, Activation.ReLU)]
[Dense(8, Activation.Tanh)]
[Dense(16)]
[Dense(1, Activation.Sigmoid)]
public partial class N9_15ReLU_8Tanh_16Identity_1Sigmoid_Bce { }

[Network(257)] // 4369 L | 561 S | 9900 S | 1500 L
[Dense(17, Activation.Tanh)]
[Dense(33, Activation.ReLU)]
[Dense(300, Activation.Sigmoid)]
[Dense(5)]
public partial class N257_17Tanh_33ReLU_300Sigmoid_5Identity_Mse { }

[Network(8)] // 128 U | 128 S | 128 S | 128 S | 128 S
[Dense(16, Activation.Tanh)]
[Dense(8, Activation.Sigmoid)]
[Dense(16, Activation.LeakyReLU)]
[Dense(8, Activation.Tanh)]
[Dense(16)]
public partial class N8_16Tanh_8Sigmoid_16LeakyReLU_8Tanh_16Identity_Mse { }

// ---- Step: not differentiable, checked against the perceptron rule and the straight-through derivative ----

[Network(3)] // 3 U
[Dense(1, Activation.Step)]
public partial class S3_1Step_Mse { }

[Network(5)] // 15 U
[Dense(3, Activation.Step)]
public partial class S5_3Step_Mse { }

[Network(200)] // 200 L
[Dense(1, Activation.Step)]
public partial class S200_1Step_Mse { }

[Network(3)] // 12 U | 8 U
[Dense(4, Activation.Step)]
[Dense(2)]
public partial class S3_4Step_2Identity_Mse { }

[Network(20)] // 340 S | 153 S
[Dense(17, Activation.Step)]
[Dense(9)]
public partial class S20_17Step_9Identity_Mse { }

[Network(3)] // 12 U | 800 L | 400 S: scalar then loop (4 inputs are too few for SIMD, 800 multiply-adds too many to unroll)
[Dense(4, Activation.Tanh)]
[Dense(200, Activation.Sigmoid)]
[Dense(2)]
public partial class N3_4Tanh_200Sigmoid_2Identity_Mse { }

[Network(96)] // 5760 S | 420 L | 7 U: loop then scalar (96 -> 60 spends 720 of the 768-statement budget, 60 -> 7 needs 77 more, 7 -> 1 fits in 21)
[Dense(60, Activation.Tanh)]
[Dense(7, Activation.ReLU)]
[Dense(1)]
public partial class N96_60Tanh_7ReLU_1Identity_Mse { }
