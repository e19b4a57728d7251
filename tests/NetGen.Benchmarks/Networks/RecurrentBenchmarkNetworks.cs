namespace NetGen.Benchmarks.Networks;

// The two sequence networks of issue 12's benchmark (design §1b). Each one is declared twice: with NetGen's attributes
// (the generated class is what is measured) and as a RecurrentSpec (RecurrentSpec.Gru32 / .Lstm64), which the naive
// implementation is built from. RecurrentBenchmarks.Setup checks that the two agree before anything is timed.

/// <summary>GRU(32) over steps of 6 features, then Dense(4, Softmax), cross-entropy: the gesture network of the design.</summary>
[Network(6, Loss = Loss.CrossEntropy)]
[Gru(32)]
[Dense(4, Activation.Softmax)]
public sealed partial class Gru32Net { }

/// <summary>LSTM(64) over steps of 13 features, then Dense(1), mean squared error.</summary>
[Network(13)]
[Lstm(64)]
[Dense(1)]
public sealed partial class Lstm64Net { }
