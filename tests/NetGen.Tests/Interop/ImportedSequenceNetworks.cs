namespace NetGen.Tests.Interop;

// Sequence networks built at compile time from PyTorch 1.13's ONNX exports and weight files of nn.GRU, nn.LSTM and
// nn.RNN models (tools/pytorch/export_sequence.py, in tests/NetGen.Generator.Tests/TestData/sequence).

[OnnxNetwork("TestData/sequence/gru_out.onnx")]
public static partial class FrozenGruOut { }

[OnnxNetwork("TestData/sequence/lstm_seqfirst_h.onnx")]
public static partial class FrozenLstmSeqFirst { }

[OnnxNetwork("TestData/sequence/rnn_tanh_h.onnx")]
public static partial class FrozenRnnTanh { }

[OnnxNetwork("TestData/sequence/rnn_relu_out.onnx")]
public static partial class FrozenRnnRelu { }

[OnnxNetwork("TestData/sequence/gru_two_layers_h.onnx")]
public static partial class FrozenGruTwoLayers { }

[OnnxNetwork("TestData/sequence/lstm_two_layers_nofold.onnx")]
public static partial class FrozenLstmTwoLayersUnfolded { }

[OnnxNetwork("TestData/sequence/gru_lstm_modules.onnx")]
public static partial class FrozenGruLstmModules { }

[OnnxNetwork("TestData/sequence/gru_slice_nofold.onnx")]
public static partial class FrozenGruSliceUnfolded { }

[OnnxNetwork("TestData/sequence/rnn_relu_two_layers_slice.onnx")]
public static partial class FrozenRnnReluTwoLayers { }

[OnnxNetwork("TestData/sequence/lstm_gru_modules_h_nofold.onnx")]
public static partial class FrozenLstmGruGru { }

/// <summary>Trainable, from the file's weights: GRU then LSTM, a Softmax head.</summary>
[OnnxNetwork("TestData/sequence/gru_lstm_modules.onnx", Frozen = false, Loss = Loss.CrossEntropy, MaxSteps = 16)]
public partial class TunedGruLstmModules { }

/// <summary>Trainable, from the file's weights: an LSTM exported with batch_first=False.</summary>
[OnnxNetwork("TestData/sequence/lstm_seqfirst_h.onnx", Frozen = false)]
public partial class TunedLstmSeqFirst { }

/// <summary>The declared counterpart of gru_out, for its weight file (save_ngw), loaded at run time.</summary>
[Network(3, Loss = Loss.CrossEntropy)]
[Gru(5)]
[Dense(4, Activation.Softmax)]
public partial class TorchGruOut { }

/// <summary>The declared counterpart of lstm_gru_modules_h_nofold, for its weight file.</summary>
[Network(2, Loss = Loss.BinaryCrossEntropy)]
[Lstm(3)]
[Gru(4)]
[Gru(4)]
[Dense(1, Activation.Sigmoid)]
public partial class TorchLstmGruGru { }

/// <summary>The declared counterpart of rnn_relu_out, for its weight file.</summary>
[Network(3)]
[Rnn(5, Activation.ReLU)]
[Dense(4, Activation.ReLU)]
[Dense(2)]
public partial class TorchRnnRelu { }

/// <summary>gru_two_layers_h's weight file compiled in.</summary>
[Network(3)]
[Gru(4)]
[Gru(4)]
[Dense(3, Activation.Tanh)]
[Dense(2)]
[WeightsFile("TestData/sequence/gru_two_layers_h.ngw")]
public static partial class FrozenGruTwoLayersFromWeightFile { }

/// <summary>NetGen's own ONNX export of a seeded stacked network (NetGen.Onnx.Tests' OnnxStackedNet, seed 4), imported.</summary>
[OnnxNetwork("TestData/sequence/netgen_stacked.onnx", Loss = Loss.CrossEntropy)]
public static partial class FrozenNetGenExport { }

/// <summary>The network that export was written from.</summary>
[Network(3, Loss = Loss.CrossEntropy)]
[Gru(6)]
[Lstm(5)]
[Rnn(4, Activation.ReLU)]
[Rnn(6, Activation.Tanh)]
[Gru(3)]
[Dense(4, Activation.Tanh)]
[Dense(3, Activation.Softmax)]
public partial class NetGenExportSource { }
