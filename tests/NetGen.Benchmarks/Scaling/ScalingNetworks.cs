namespace NetGen.Benchmarks.Scaling;

// The scaling study's networks: one hidden Tanh layer (or two, for the odd sizes), mean squared error, from 10 to
// about a million multiply-adds. Each declaration is also listed, as text, in ScalingCatalog for the cost study.
#pragma warning disable SA1649, SA1402 // several tiny declarations in one file

[Network(2)] [Dense(5, Activation.Tanh)] public partial class Scale10 { }

[Network(8)] [Dense(8, Activation.Tanh)] public partial class Scale64 { }

[Network(16)] [Dense(16, Activation.Tanh)] public partial class Scale256 { }

[Network(32)] [Dense(32, Activation.Tanh)] public partial class Scale1K { }

[Network(64)] [Dense(64, Activation.Tanh)] public partial class Scale4K { }

[Network(17)] [Dense(257, Activation.Tanh)] [Dense(5, Activation.Identity)] public partial class ScaleOdd17x257x5 { }

[Network(128)] [Dense(128, Activation.Tanh)] public partial class Scale16K { }

[Network(256)] [Dense(256, Activation.Tanh)] public partial class Scale65K { }

[Network(512)] [Dense(512, Activation.Tanh)] public partial class Scale262K { }

[Network(1024)] [Dense(1024, Activation.Tanh)] public partial class Scale1M { }
