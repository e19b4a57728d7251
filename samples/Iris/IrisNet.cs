namespace NetGen.Samples.Iris;

/// <summary>
/// 4 flower measurements in, a hidden layer of 8 ReLU units, 3 class probabilities out (softmax), trained with
/// cross-entropy.
/// </summary>
[Network(4, Loss = Loss.CrossEntropy)]
[Dense(8, Activation.ReLU)]
[Dense(3, Activation.Softmax)]
public partial class IrisNet { }
