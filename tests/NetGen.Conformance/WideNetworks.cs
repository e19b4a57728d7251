// Networks of the runner's own, beside the linked tests/NetGen.Tests networks: rows of 784 inputs (an MNIST image),
// far beyond the 16-vector limit of unrolled SIMD code, so that every layer of the first two and the first layer of
// the third are loops over the SIMD kernels (the shape of the benchmarks' MnistNet).
namespace NetGen.Conformance;

[Network(784, Loss = Loss.CrossEntropy)] // 100352 L | 1280 L
[Dense(128, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class W784_128ReLU_10Softmax_Ce { }

[Network(784, Loss = Loss.BinaryCrossEntropy)] // 784 L, one long row: the kernels' remainder-free 8- and 16-multiple path
[Dense(1, Activation.Sigmoid)]
public partial class W784_1Sigmoid_Bce { }

[Network(785)] // 2355 L | 21 U: rows of 785 leave one float after every 4-, 8- and 16-wide block
[Dense(3, Activation.Tanh)]
[Dense(7, Activation.LeakyReLU)]
public partial class W785_3Tanh_7LeakyReLU_Mse { }
