namespace NetGen.Samples.Sunspots;

/// <summary>
/// The recurrent forecaster: the 20 previous years read one per step (one input) by a GRU of 16 units, whose final
/// hidden state feeds one linear output, the next year's scaled sunspot number; mean squared error. 929 parameters.
/// </summary>
[Network(1, MaxSteps = SunspotsExperiment.Window)]
[Gru(16)]
[Dense(1)]
public sealed partial class SunspotGru { }

/// <summary>
/// The feed-forward forecaster: the same 20 previous years as 20 inputs, a hidden layer of 32 tanh units, one linear
/// output; mean squared error. 705 parameters.
/// </summary>
[Network(SunspotsExperiment.Window)]
[Dense(32, Activation.Tanh)]
[Dense(1)]
public sealed partial class SunspotMlp { }
