#!/usr/bin/python3
"""Exports small PyTorch sequence models (nn.GRU, nn.LSTM, nn.RNN and a dense head) to ONNX and to NetGen's weight
format, with PyTorch's outputs for sequences of several lengths, as NetGen test data.

    /usr/bin/python3 tools/pytorch/export_sequence.py [output-directory]

The default output directory is tests/NetGen.Generator.Tests/TestData/sequence. It needs PyTorch only (Debian's
python3-torch, 1.13); the `onnx` package is not needed. For every model NAME it writes

    NAME.onnx   torch.onnx.export, opset 13, dynamic batch and steps axes (input 'input', output 'output')
    NAME.json   {"name", "features", "batch_first", "constant_folding", "ops" (the op_type of every node),
                 "sequences": [{"steps", "input" (steps x features, row-major by step), "output"}]}: PyTorch's float32
                 outputs for one sequence of each length, run one at a time (batch of 1)
    NAME.ngw    for the models NetGen can import: the same weights written by save_ngw (export_mlp.py), whose
                architecture text is the declared network's

The models are what a PyTorch user writes: one or two recurrent modules (or one with num_layers = 2), batch_first or
not, then nn.Linear layers and activations on the last step, taken as out[:, -1] (out[-1] when not batch_first),
out[:, -1:] squeezed, or h_n[-1]. The unsupported_* models are refused by NetGen's reader (NG0019), each for one
reason; tests/NetGen.Generator.Tests pins the messages. Everything is seeded; a rerun with the same PyTorch writes the
same files.
"""

import json
import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from export_mlp import op_types, save_ngw  # noqa: E402

SEED = 20261212
LENGTHS = (1, 2, 5, 9)


class SequenceModel(nn.Module):
    """Recurrent modules applied in turn, then a head on the last step.

    take: "out" for out[:, -1] (out[-1] when not batch_first), "slice" for out[:, -1:].squeeze(1), "h" for h_n[-1];
    the unsupported variants: "first" (out[:, 0]), "h0" (h_n[0], the first layer's state), "c" (an LSTM's c_n[-1]),
    "every" (the head on every step, no last step taken).
    """

    def __init__(self, recurrent, head, take="out"):
        super().__init__()
        self.recurrent = nn.ModuleList(recurrent)
        self.head = head
        self.take = take
        self.batch_first = recurrent[0].batch_first

    def forward(self, x):
        state = None
        for module in self.recurrent:
            x, state = module(x)
        h, c = state if isinstance(state, tuple) else (state, None)
        time = 1 if self.batch_first else 0
        if self.take == "out":
            last = x[:, -1, :] if self.batch_first else x[-1]
        elif self.take == "slice":
            last = (x[:, -1:, :] if self.batch_first else x[-1:]).squeeze(time)
        elif self.take == "h":
            last = h[-1]
        elif self.take == "first":
            last = x[:, 0, :] if self.batch_first else x[0]
        elif self.take == "h0":
            last = h[0]
        elif self.take == "c":
            last = c[-1]
        elif self.take == "every":
            return self.head(x)
        else:
            raise ValueError(self.take)
        return self.head(last)


class LearnedInitialState(nn.Module):
    """A GRU whose initial hidden state is a trained parameter (not zero), expanded to the batch."""

    def __init__(self, features, hidden, outputs):
        super().__init__()
        self.h0 = nn.Parameter(torch.randn(1, 1, hidden) * 0.5)
        self.gru = nn.GRU(features, hidden, batch_first=True)
        self.head = nn.Linear(hidden, outputs)
        self.batch_first = True

    def forward(self, x):
        out, _ = self.gru(x, self.h0.expand(1, x.shape[0], self.h0.shape[2]).contiguous())
        return self.head(out[:, -1, :])


def models():
    """(name, model, do_constant_folding, save_ngw loss or None). New models go at the end (one seeded stream)."""
    bf = dict(batch_first=True)
    yield "gru_out", SequenceModel([nn.GRU(3, 5, **bf)], nn.Sequential(nn.Linear(5, 4), nn.Softmax(dim=1))), \
        True, "CrossEntropy"
    yield "lstm_seqfirst_h", SequenceModel([nn.LSTM(4, 6)], nn.Sequential(nn.Linear(6, 2)), "h"), \
        True, "MeanSquaredError"
    yield "rnn_tanh_h", SequenceModel([nn.RNN(2, 7, **bf)], nn.Sequential(nn.Linear(7, 1), nn.Sigmoid()), "h"), \
        True, "BinaryCrossEntropy"
    yield "rnn_relu_out", SequenceModel(
        [nn.RNN(3, 5, nonlinearity="relu", **bf)],
        nn.Sequential(nn.Linear(5, 4), nn.ReLU(), nn.Linear(4, 2))), True, "MeanSquaredError"
    # num_layers = 2: one ONNX operator per layer, the initial state sliced per layer from one ConstantOfShape.
    yield "gru_two_layers_h", SequenceModel(
        [nn.GRU(3, 4, num_layers=2, **bf)], nn.Sequential(nn.Linear(4, 3), nn.Tanh(), nn.Linear(3, 2))), \
        True, "MeanSquaredError"
    # Without constant folding: the gates are reordered by Slice and Concat on the initializers in the graph.
    yield "lstm_two_layers_nofold", SequenceModel(
        [nn.LSTM(3, 4, num_layers=2)], nn.Sequential(nn.Linear(4, 3), nn.Softmax(dim=1))), False, "CrossEntropy"
    # Two modules stacked: GRU then LSTM, batch_first, each with its own initial-state chain and Transposes.
    yield "gru_lstm_modules", SequenceModel(
        [nn.GRU(3, 5, **bf), nn.LSTM(5, 4, **bf)], nn.Sequential(nn.Linear(4, 3), nn.Softmax(dim=1))), \
        True, "CrossEntropy"
    yield "gru_slice_nofold", SequenceModel(
        [nn.GRU(2, 3, **bf)], nn.Sequential(nn.Linear(3, 2), nn.LeakyReLU(0.01)), "slice"), False, "MeanSquaredError"
    yield "rnn_relu_two_layers_slice", SequenceModel(
        [nn.RNN(3, 4, num_layers=2, nonlinearity="relu")], nn.Sequential(nn.Linear(4, 2)), "slice"), \
        True, "MeanSquaredError"
    yield "lstm_gru_modules_h_nofold", SequenceModel(
        [nn.LSTM(2, 3), nn.GRU(3, 4, num_layers=2)], nn.Sequential(nn.Linear(4, 1), nn.Sigmoid()), "h"), \
        False, "BinaryCrossEntropy"
    # Refused, one reason each (tests/NetGen.Generator.Tests/RecurrentImportTests.cs pins the messages).
    yield "unsupported_bidirectional", SequenceModel(
        [nn.GRU(3, 4, bidirectional=True, **bf)], nn.Sequential(nn.Linear(8, 2))), True, None
    yield "unsupported_every_step", SequenceModel([nn.GRU(3, 4, **bf)], nn.Sequential(nn.Linear(4, 2)), "every"), \
        True, None
    yield "unsupported_first_step", SequenceModel([nn.LSTM(3, 4, **bf)], nn.Sequential(nn.Linear(4, 2)), "first"), \
        True, None
    yield "unsupported_first_layer_state", SequenceModel(
        [nn.GRU(3, 4, num_layers=2, **bf)], nn.Sequential(nn.Linear(4, 2)), "h0"), True, None
    yield "unsupported_cell_state", SequenceModel([nn.LSTM(3, 4, **bf)], nn.Sequential(nn.Linear(4, 2)), "c"), \
        True, None
    yield "unsupported_learned_h0", LearnedInitialState(3, 4, 2), True, None
    yield "unsupported_relu_after_gru", SequenceModel(
        [nn.GRU(3, 4, **bf)], nn.Sequential(nn.ReLU(), nn.Linear(4, 2))), True, None


def randomize(model):
    """Biases and weights a little larger than PyTorch's initialisation, so that every gate matters."""
    with torch.no_grad():
        for name, parameter in model.named_parameters():
            parameter.uniform_(-0.7, 0.7)


def export(name, model, fold, loss, directory):
    randomize(model)
    model.eval()
    features = model.recurrent[0].input_size if hasattr(model, "recurrent") else model.gru.input_size
    batch_first = model.batch_first
    sequences = []
    with torch.no_grad():
        for steps in LENGTHS:
            x = torch.randn(steps, features) * 1.5
            batch = x.unsqueeze(0) if batch_first else x.unsqueeze(1)
            y = model(batch)
            sequences.append({"steps": steps,
                              "input": [float(v) for v in x.reshape(-1).tolist()],
                              "output": [float(v) for v in y.reshape(-1).tolist()]})
    example = torch.randn(1, 4, features) if batch_first else torch.randn(4, 1, features)
    axes = {0: "batch", 1: "steps"} if batch_first else {0: "steps", 1: "batch"}
    path = os.path.join(directory, name + ".onnx")
    torch.onnx.export(model, example, path, opset_version=13, do_constant_folding=fold,
                      input_names=["input"], output_names=["output"],
                      dynamic_axes={"input": axes, "output": {0: "batch"}})
    with open(path, "rb") as f:
        ops = op_types(f.read())
    record = {"name": name, "features": features, "batch_first": batch_first, "constant_folding": fold,
              "ops": ops, "sequences": sequences}
    with open(os.path.join(directory, name + ".json"), "w") as f:
        json.dump(record, f, indent=1)
        f.write("\n")
    print("%-30s %6d bytes  %s" % (name, os.path.getsize(path), " ".join(ops)))
    if loss is not None:
        ngw_path = os.path.join(directory, name + ".ngw")
        # The description NetGen's weight file needs: the recurrent modules, then the head's modules.
        architecture = save_ngw(nn.Sequential(*model.recurrent, *model.head), features, loss, ngw_path)
        print("%-30s %6d bytes  %s" % (name + ".ngw", os.path.getsize(ngw_path), architecture))


def main():
    import warnings
    warnings.filterwarnings("ignore")  # torch.onnx's notes about batch sizes and LSTM/GRU exports
    here = os.path.dirname(os.path.abspath(__file__))
    default = os.path.join(here, "..", "..", "tests", "NetGen.Generator.Tests", "TestData", "sequence")
    directory = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else default)
    os.makedirs(directory, exist_ok=True)
    torch.manual_seed(SEED)
    print("PyTorch", torch.__version__)
    for name, model, fold, loss in models():
        export(name, model, fold, loss, directory)


if __name__ == "__main__":
    main()
