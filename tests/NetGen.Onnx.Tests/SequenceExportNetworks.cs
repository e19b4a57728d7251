namespace NetGen.Onnx.Tests;

// Sequence networks exported in SequenceExportTests: each recurrent kind (GRU, LSTM, RNN with Tanh and with ReLU), one
// layer and stacked (each kind after each other kind), each loss's output head (CrossEntropy + Softmax,
// BinaryCrossEntropy + Sigmoid, MeanSquaredError + Identity or another activation), no dense hidden layer and several,
// and layers wide enough to be emitted as loops over the SIMD kernels.

/// <summary>The design's gesture network, smaller: GRU then a Softmax head.</summary>
[Network(3, Loss = Loss.CrossEntropy)]
[Gru(5)]
[Dense(4, Activation.Softmax)]
public partial class OnnxGruNet { }

/// <summary>LSTM, regression head.</summary>
[Network(4)]
[Lstm(6)]
[Dense(2)]
public partial class OnnxLstmNet { }

/// <summary>Elman RNN with Tanh, one Sigmoid output, binary cross-entropy.</summary>
[Network(2, Loss = Loss.BinaryCrossEntropy)]
[Rnn(7, Activation.Tanh)]
[Dense(1, Activation.Sigmoid)]
public partial class OnnxRnnTanhNet { }

/// <summary>Elman RNN with ReLU, a ReLU hidden layer, a LeakyReLU output.</summary>
[Network(3)]
[Rnn(5, Activation.ReLU)]
[Dense(4, Activation.ReLU)]
[Dense(2, Activation.LeakyReLU)]
public partial class OnnxRnnReluNet { }

/// <summary>Every kind stacked: GRU, LSTM, RNN (ReLU), RNN (Tanh), GRU; Tanh and Softmax dense layers.</summary>
[Network(3, Loss = Loss.CrossEntropy)]
[Gru(6)]
[Lstm(5)]
[Rnn(4, Activation.ReLU)]
[Rnn(6, Activation.Tanh)]
[Gru(3)]
[Dense(4, Activation.Tanh)]
[Dense(3, Activation.Softmax)]
public partial class OnnxStackedNet { }

/// <summary>Two LSTMs, then a GRU (LSTM after GRU is in OnnxStackedNet); Step output.</summary>
[Network(2)]
[Lstm(3)]
[Lstm(4)]
[Gru(2)]
[Dense(2, Activation.Step)]
public partial class OnnxLstmLstmGruNet { }

/// <summary>Wide layers (SIMD products and kernel loops): 16 features, GRU(40), LSTM(33), 10 Softmax outputs.</summary>
[Network(16, Loss = Loss.CrossEntropy)]
[Gru(40)]
[Lstm(33)]
[Dense(10, Activation.Softmax)]
public partial class OnnxWideSequenceNet { }

/// <summary>GRU after GRU, RNN after GRU, LSTM after RNN; a MeanSquaredError head on a Tanh layer.</summary>
[Network(3)]
[Gru(4)]
[Gru(3)]
[Rnn(5, Activation.Tanh)]
[Lstm(3)]
[Dense(2, Activation.Tanh)]
public partial class OnnxGruGruRnnLstmNet { }
