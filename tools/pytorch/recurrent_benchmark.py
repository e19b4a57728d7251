#!/usr/bin/python3
"""PyTorch side of the sequence-network benchmarks (issue 12; docs/benchmarks.md, "Recurrent layers").

For each network that `--recurrent-export` of tests/NetGen.Benchmarks wrote (gru32: GRU(32) over 50 steps of 6
features, Dense(4, Softmax), cross-entropy; lstm64: LSTM(64) over 100 steps of 13 features, Dense(1), MSE), this
script builds the same network in PyTorch (nn.GRU / nn.LSTM + nn.Linear) with NetGen's parameters (PyTorch's
state_dict order is NetGen's Parameters order), checks that PyTorch computes NetGen's forward output and NetGen's loss
and gradients on the same sequence, and then

  --onnx DIR   exports it to DIR/NAME.onnx with torch.onnx.export (opset 14; input 'input' of shape
               [steps, 1, features], output 'output' [1, outputs], the softmax included), for ONNX Runtime in the
               C# benchmarks (which embed tests/NetGen.Benchmarks/Onnx/models/*.onnx and check them against NetGen);
  --time       times PyTorch on one thread, batch 1: Forward under torch.no_grad() on the benchmark's sequence, and a
               training step (zero_grad, forward, loss, backward, SGD step with lr 0.01) cycling through the 8
               training sequences, as the C# Train_* benchmarks do. Each is warmed up, then measured in ROUNDS rounds
               of about 0.2 s each; the median, minimum and quartiles of the per-call time over the rounds are printed.

Usage (from the repository root; Debian's python3-torch, 1.13):

    dotnet run -c Release --project tests/NetGen.Benchmarks -- --recurrent-export /tmp/recurrent
    /usr/bin/python3 tools/pytorch/recurrent_benchmark.py /tmp/recurrent --onnx tests/NetGen.Benchmarks/Onnx/models
    /usr/bin/python3 tools/pytorch/recurrent_benchmark.py /tmp/recurrent --time
"""

import argparse
import json
import os
import statistics
import sys

import torch
from torch import nn

from benchmark_common import floats, measure, print_header

ROUNDS = 25
ROUND_SECONDS = 0.2
WARMUP_SECONDS = 2.0


class SequenceNet(nn.Module):
    """One recurrent layer (seq-first input [steps, batch, features]), then dense layers on its last hidden state."""

    def __init__(self, spec):
        super().__init__()
        kind = {"gru": nn.GRU, "lstm": nn.LSTM}[spec["kind"]]
        self.rnn = kind(spec["inputs"], spec["units"])
        self.dense = nn.ModuleList(nn.Linear(layer["inputs"], layer["units"]) for layer in spec["dense"])
        self.activations = [layer["activation"] for layer in spec["dense"]]
        self.is_lstm = spec["kind"] == "lstm"

    def logits(self, x):
        _, state = self.rnn(x)
        h = (state[0] if self.is_lstm else state)[-1]  # the last layer's hidden state after the last step
        for i, layer in enumerate(self.dense):
            h = layer(h)
            if i < len(self.dense) - 1 or self.activations[i] != "Softmax":
                h = activate(h, self.activations[i])
        return h

    def forward(self, x):
        z = self.logits(x)
        return torch.softmax(z, dim=-1) if self.activations[-1] == "Softmax" else z


def activate(z, activation):
    return {
        "Identity": lambda v: v,
        "Sigmoid": torch.sigmoid,
        "Tanh": torch.tanh,
        "ReLU": torch.relu,
    }[activation](z)


def load(path):
    with open(path) as f:
        spec = json.load(f)
    model = SequenceNet(spec)
    parameters = floats(spec["parameters"])
    offset = 0
    with torch.no_grad():
        for name, p in model.named_parameters():  # state_dict order: weight_ih, weight_hh, bias_ih, bias_hh, then W, b
            n = p.numel()
            p.copy_(parameters[offset:offset + n].view_as(p))
            offset += n
    if offset != parameters.numel():
        sys.exit(f"{path}: PyTorch's model has {offset} parameters, NetGen's {parameters.numel()}")
    steps, inputs = spec["steps"], spec["inputs"]
    spec["x"] = floats(spec["sequence"]).view(steps, 1, inputs)
    spec["train_x"] = [floats(s).view(steps, 1, inputs) for s in spec["training_sequences"]]
    spec["train_t"] = [floats(t).view(1, -1) for t in spec["training_targets"]]
    return spec, model


def loss_of(spec, model, x, t):
    z = model.logits(x)
    if spec["loss"] == "CrossEntropy":
        return nn.functional.cross_entropy(z, t)  # probability targets, on the logits (log-sum-exp)
    if spec["loss"] == "MeanSquaredError":
        return nn.functional.mse_loss(z, t)
    raise ValueError(spec["loss"])


def relative(expected, actual):
    """NetGen's benchmark verification measure: |a - e| / (|e| + 0.01 max|e|), its largest value."""
    expected, actual = expected.double(), actual.double()
    scale = expected.abs().max()
    return ((actual - expected).abs() / (expected.abs() + 0.01 * scale)).max().item()


def check(spec, model):
    with torch.no_grad():
        y = model(spec["x"]).view(-1)
    forward = relative(floats(spec["netgen_output"]), y)
    model.zero_grad()
    loss = loss_of(spec, model, spec["train_x"][0], spec["train_t"][0])
    loss.backward()
    gradients = torch.cat([p.grad.view(-1) for p in model.parameters()])
    loss_difference = relative(floats(spec["netgen_loss"]), loss.detach().view(-1))
    gradient_difference = relative(floats(spec["netgen_gradients"]), gradients)
    model.zero_grad()
    print(f"# {spec['name']} ({spec['architecture']}, {spec['steps']} steps): PyTorch against NetGen, largest relative "
          f"differences: Forward {forward:.1e}, loss {loss_difference:.1e}, gradients {gradient_difference:.1e}")
    if forward > 1e-5 or loss_difference > 1e-5 or gradient_difference > 1e-4:
        sys.exit(f"{spec['name']}: PyTorch does not compute NetGen's numbers; nothing was exported or timed")


def export(spec, model, directory):
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, spec["name"] + ".onnx")
    model.eval()
    torch.onnx.export(model, (spec["x"],), path, input_names=["input"], output_names=["output"], opset_version=14,
                      do_constant_folding=True)
    print(f"# wrote {path} ({os.path.getsize(path)} bytes)")


def report(name, what, n, rounds):
    q = statistics.quantiles(rounds, n=4)
    print(f"{name:8} {what:8} median {statistics.median(rounds) / 1000:10.2f} us   min {min(rounds) / 1000:10.2f} us   "
          f"quartiles {q[0] / 1000:.2f}-{q[2] / 1000:.2f} us   ({ROUNDS} rounds of {n} calls)")


def time_model(spec, model):
    x = spec["x"]
    model.eval()  # no dropout or batch norm here: eval and train mode compute the same

    def forward():
        with torch.no_grad():
            model(x)

    optimizer = torch.optim.SGD(model.parameters(), lr=spec["learning_rate"])
    sample = [0]

    def train():
        k = sample[0] = (sample[0] + 1) & 7
        optimizer.zero_grad()
        loss = loss_of(spec, model, spec["train_x"][k], spec["train_t"][k])
        loss.backward()
        optimizer.step()

    report(spec["name"], "Forward", *measure(forward, ROUNDS, ROUND_SECONDS, WARMUP_SECONDS))
    report(spec["name"], "Train", *measure(train, ROUNDS, ROUND_SECONDS, WARMUP_SECONDS))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", help="where --recurrent-export wrote NAME.json")
    parser.add_argument("--onnx", metavar="DIR", help="export NAME.onnx to DIR")
    parser.add_argument("--time", action="store_true", help="time Forward and a training step")
    parser.add_argument("--networks", nargs="*", default=["gru32", "lstm64"])
    args = parser.parse_args()
    print_header()
    for name in args.networks:
        spec, model = load(os.path.join(args.directory, name + ".json"))
        check(spec, model)
        if args.onnx:
            export(spec, model, args.onnx)
        if args.time:
            time_model(spec, model)


if __name__ == "__main__":
    main()
