namespace NetGen.Tests;

// The sequence networks of TestData/reference/sequence_reference.json, declared exactly as make_sequence_reference.py
// builds them in PyTorch (same class name, inputs, layers, loss and MaxSteps; SequenceReferenceChecks checks the
// declarations against the file). Together they cover GRU, LSTM and both Elman RNNs (Tanh, ReLU) alone and stacked,
// one to three recurrent layers, 1 to 64 units, 1 to 13 features per step, every loss and every dense activation but
// Step in the heads, and sequences of 1 to 50 steps. tests/NetGen.Conformance links this file.

/// <summary>The design document's example: GRU(32) over 6 features per step, Softmax + CrossEntropy, soft targets.</summary>
[Network(6, Loss = Loss.CrossEntropy)]
[Gru(32)]
[Dense(4, Activation.Softmax)]
public partial class RefGruSoftmaxCrossEntropy { }

/// <summary>LSTM(16) with a multi-label Sigmoid head trained with BinaryCrossEntropy.</summary>
[Network(5, Loss = Loss.BinaryCrossEntropy)]
[Lstm(16)]
[Dense(3, Activation.Sigmoid)]
public partial class RefLstmSigmoidBce { }

/// <summary>Elman RNN with its default Tanh, and a linear regression head.</summary>
[Network(3)]
[Rnn(12)]
[Dense(2)]
public partial class RefRnnTanhIdentityMse { }

/// <summary>Elman RNN with ReLU, a LeakyReLU hidden dense layer and Tanh outputs.</summary>
[Network(4)]
[Rnn(10, Activation.ReLU)]
[Dense(6, Activation.LeakyReLU)]
[Dense(2, Activation.Tanh)]
public partial class RefRnnReluLeakyTanhMse { }

/// <summary>Stacked GRU → GRU, a ReLU hidden dense layer, Softmax outputs trained with MSE (softmax Jacobian).</summary>
[Network(2)]
[Gru(8)]
[Gru(5)]
[Dense(6, Activation.ReLU)]
[Dense(3, Activation.Softmax)]
public partial class RefGruGruReluSoftmaxMse { }

/// <summary>Stacked LSTM → GRU, Softmax + CrossEntropy with one-hot targets; its longest sample is exactly MaxSteps.</summary>
[Network(7, Loss = Loss.CrossEntropy, MaxSteps = 50)]
[Lstm(10)]
[Gru(16)]
[Dense(5, Activation.Softmax)]
public partial class RefLstmGruSoftmaxCrossEntropy { }

/// <summary>Stacked RNN(ReLU) → LSTM, Sigmoid outputs trained with MSE.</summary>
[Network(3)]
[Rnn(9, Activation.ReLU)]
[Lstm(6)]
[Dense(2, Activation.Sigmoid)]
public partial class RefRnnReluLstmSigmoidMse { }

/// <summary>Three stacked kinds, GRU → RNN(Tanh) → LSTM, a Sigmoid hidden dense layer, BinaryCrossEntropy.</summary>
[Network(4, Loss = Loss.BinaryCrossEntropy)]
[Gru(6)]
[Rnn(5, Activation.Tanh)]
[Lstm(4)]
[Dense(4, Activation.Sigmoid)]
[Dense(2, Activation.Sigmoid)]
public partial class RefGruRnnLstmSigmoidBce { }

/// <summary>One unit everywhere: one feature per step, GRU(1), one linear output.</summary>
[Network(1)]
[Gru(1)]
[Dense(1, Activation.Identity)]
public partial class RefGru1IdentityMse { }

/// <summary>LSTM(1) with a single Sigmoid output trained with BinaryCrossEntropy.</summary>
[Network(2, Loss = Loss.BinaryCrossEntropy)]
[Lstm(1)]
[Dense(1, Activation.Sigmoid)]
public partial class RefLstm1SigmoidBce { }

/// <summary>One-unit Elman layers stacked, Tanh then ReLU, and a one-unit ReLU output trained with MSE.</summary>
[Network(1)]
[Rnn(1, Activation.Tanh)]
[Rnn(1, Activation.ReLU)]
[Dense(1, Activation.ReLU)]
public partial class RefRnn1TanhRnn1ReluMse { }

/// <summary>64 units over 13 features: GRU(64), a Tanh hidden dense layer, a ten-way Softmax head with soft targets.</summary>
[Network(13, Loss = Loss.CrossEntropy)]
[Gru(64)]
[Dense(16, Activation.Tanh)]
[Dense(10, Activation.Softmax)]
public partial class RefGru64TanhSoftmaxCrossEntropy { }

/// <summary>64 ReLU Elman units over 13 features feeding an LSTM, an Identity hidden dense layer, LeakyReLU outputs.</summary>
[Network(13)]
[Rnn(64, Activation.ReLU)]
[Lstm(8)]
[Dense(4, Activation.Identity)]
[Dense(3, Activation.LeakyReLU)]
public partial class RefRnnRelu64LstmLeakyMse { }

/// <summary>Large LSTM weights (5x PyTorch's initial range) and inputs (±3): gates saturate towards 0 and 1.</summary>
[Network(3)]
[Lstm(8)]
[Dense(2, Activation.Tanh)]
public partial class RefSaturatedLstmTanhMse { }
