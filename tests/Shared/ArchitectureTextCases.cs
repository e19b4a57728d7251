using Xunit;

namespace NetGen.TestCases;

/// <summary>
/// Architecture texts that the generator (its weight-file reader, tests/NetGen.Generator.Tests) and the runtime
/// (<c>NetGen.Onnx.NetworkArchitecture.Parse</c>, tests/NetGen.Onnx.Tests) must both accept, or both reject at the same
/// position: one table, linked into both test projects, so that the two sides cannot drift apart.
/// </summary>
internal static class ArchitectureTextCases
{
    /// <summary>Canonical texts with their parameter counts; every one has its recurrent layers before its dense layers.</summary>
    public static TheoryData<string, int> Valid => new()
    {
        { "4-8(ReLU)-3(Softmax), CrossEntropy", 67 },
        { "1-1(Identity), MeanSquaredError", 2 },
        { "2-4(Tanh)-3(LeakyReLU)-2(Step)-1(Sigmoid), BinaryCrossEntropy", 38 },
        { "2147483646-1(Identity), MeanSquaredError", 2147483647 },              // the largest network
        { "6-Gru(32)-4(Softmax), CrossEntropy", (3 * 32 * (6 + 32 + 2)) + (33 * 4) },
        { "13-Lstm(64)-Lstm(64)-1(Identity), MeanSquaredError", (4 * 64 * (13 + 64 + 2)) + (4 * 64 * (64 + 64 + 2)) + 65 },
        { "3-Rnn(16,Tanh)-2(Sigmoid), BinaryCrossEntropy", (16 * (3 + 16 + 2)) + (17 * 2) },
        { "5-Rnn(7,ReLU), MeanSquaredError", 7 * (5 + 7 + 2) },                    // recurrent layers only
        { "1-Gru(1), MeanSquaredError", 3 * 1 * (1 + 1 + 2) },
        { "2-Lstm(3)-Gru(4)-Rnn(5,Tanh)-6(Softmax), CrossEntropy", (4 * 3 * 7) + (3 * 4 * 9) + (5 * 11) + (6 * 6) },
        { "4-Rnn(2,Softmax), MeanSquaredError", 2 * (4 + 2 + 2) },                 // syntax only: the activation is the validators' concern
        { "4-Lstm(23167)-1(Identity), MeanSquaredError", (4 * 23167 * (4 + 23167 + 2)) + 23168 },  // 65,000 under int.MaxValue
    };

    /// <summary>Texts that are not canonical, with the position of the first error; -1 for a network too large to address.</summary>
    public static TheoryData<string, int> Invalid => new()
    {
        // Dense layers and the frame around them.
        { "", 0 },
        { "4", 1 },
        { "4-8(ReLU)", 9 },
        { "4-8(ReLU),CrossEntropy", 10 },
        { "4-8(ReLU),  CrossEntropy", 11 },
        { " 4-8(ReLU), CrossEntropy", 0 },
        { "4-8(ReLU), CrossEntropy ", 23 },
        { "4-8(relu), CrossEntropy", 4 },
        { "4-8(4), CrossEntropy", 4 },
        { "4-8(ReLU), crossentropy", 11 },
        { "4-8, CrossEntropy", 3 },
        { "4-(ReLU), CrossEntropy", 2 },
        { "4-0(ReLU), CrossEntropy", 2 },
        { "4-08(ReLU), CrossEntropy", 2 },
        { "+4-8(ReLU), CrossEntropy", 0 },
        { "4-8(ReLU)--3(Softmax), CrossEntropy", 10 },
        { "4-8(ReLU)3(Softmax), CrossEntropy", 9 },
        { "4-99999999999(ReLU), CrossEntropy", 2 },
        { "4 - 8(ReLU), CrossEntropy", 1 },
        { "4-8(ReLU)\n, CrossEntropy", 9 },
        { "100000-100000(ReLU), MeanSquaredError", -1 },

        // Recurrent layers.
        { "4-gru(8), MeanSquaredError", 2 },                 // names are case-sensitive
        { "4-GRU(8), MeanSquaredError", 2 },
        { "4-Dense(8), MeanSquaredError", 2 },               // not a layer name
        { "4-Gru8), MeanSquaredError", 5 },
        { "4-Gru (8), MeanSquaredError", 5 },
        { "4-Gru(), MeanSquaredError", 6 },
        { "4-Gru(0), MeanSquaredError", 6 },
        { "4-Lstm(064), MeanSquaredError", 7 },
        { "4-Gru(2147483648), MeanSquaredError", 6 },
        { "4-Gru(8, MeanSquaredError", 7 },
        { "4-Gru(8,Tanh), MeanSquaredError", 7 },            // GRU and LSTM take no activation
        { "4-Lstm(8)(Tanh), MeanSquaredError", 9 },
        { "4-Rnn(16), MeanSquaredError", 8 },                // an RNN names its activation
        { "4-Rnn(16,), MeanSquaredError", 9 },
        { "4-Rnn(16, Tanh), MeanSquaredError", 9 },          // no space after the comma
        { "4-Rnn(16,tanh), MeanSquaredError", 9 },
        { "4-Rnn(16,Tanh, MeanSquaredError", 13 },
        { "4-Rnn(Tanh,16), MeanSquaredError", 6 },
        { "Gru(8)-4(ReLU), MeanSquaredError", 0 },           // the number of inputs comes first
        { "4-Gru(8)-, MeanSquaredError", 9 },
        { "4-Lstm(23168)-1(Identity), MeanSquaredError", -1 }, // one unit more than the largest valid case above
        { "4-8(ReLU)-Lstm(2147483647), MeanSquaredError", -1 }, // a layer of more than long.MaxValue parameters after another
    };

    /// <summary>The exact clause both sides report (the runtime inside its sentence), for the messages about layers.</summary>
    public static TheoryData<string, string> Messages => new()
    {
        { "2-1(Relu), MeanSquaredError", "expected an activation name (one of Identity, Step, Sigmoid, Tanh, ReLU, LeakyReLU, Softmax) at position 4, found 'R'" },
        { "4-0(ReLU), CrossEntropy", "expected a layer's number of units (a positive integer without sign or leading zeros) at position 2, found '0'" },
        { "4-8(ReLU)\n, CrossEntropy", "expected '-' and another layer, or ', ' and the loss at position 9, found U+000A" },
        { "4-Dense(8), MeanSquaredError", "expected a layer's number of units, or a recurrent layer (one of Gru, Lstm, Rnn) at position 2, found 'D'" },
        { "4-(ReLU), MeanSquaredError", "expected a layer's number of units, or a recurrent layer (one of Gru, Lstm, Rnn) at position 2, found '('" },
        { "4-Gru8), MeanSquaredError", "expected '(' after Gru at position 5, found '8'" },
        { "4-Gru(0), MeanSquaredError", "expected Gru's number of units (a positive integer without sign or leading zeros) at position 6, found '0'" },
        { "4-Lstm(8,Tanh), MeanSquaredError", "expected ')' after Lstm's number of units at position 8, found ','" },
        { "4-Rnn(16), MeanSquaredError", "expected ',' and the activation after Rnn's number of units at position 8, found ')'" },
        { "4-Rnn(16, Tanh), MeanSquaredError", "expected an activation name (one of Identity, Step, Sigmoid, Tanh, ReLU, LeakyReLU, Softmax) at position 9, found ' '" },
        { "4-Rnn(16,Tanh, MeanSquaredError", "expected ')' after Rnn's activation at position 13, found ','" },
        { "4-Lstm(23168)-1(Identity), MeanSquaredError", "the network has more than 2147483647 parameters" },
    };
}
