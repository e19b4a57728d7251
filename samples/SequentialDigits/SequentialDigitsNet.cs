namespace NetGen.Samples.SequentialDigits;

/// <summary>
/// An 8x8 image of a handwritten digit read as a sequence, one row of 8 pixels per step, by a GRU of 32 units whose
/// final hidden state feeds 10 digit probabilities (softmax), trained with cross-entropy: 4,362 parameters.
/// </summary>
[Network(8, Loss = Loss.CrossEntropy, MaxSteps = 8)]
[Gru(32)]
[Dense(10, Activation.Softmax)]
public sealed partial class SequentialDigitsNet { }
