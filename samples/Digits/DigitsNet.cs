namespace NetGen.Samples.Digits;

/// <summary>
/// An 8x8 image of a handwritten digit in (64 pixels, 0 to 16), a hidden layer of 32 ReLU units, 10 digit
/// probabilities out (softmax), trained with cross-entropy: 2,410 parameters.
/// </summary>
[Network(64, Loss = Loss.CrossEntropy)]
[Dense(32, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public sealed partial class DigitsNet { }
