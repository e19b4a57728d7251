#!/usr/bin/python3
"""PyTorch side of the batch benchmarks (issue 13; docs/benchmarks.md, "Batches").

For each network that `--batch-export` of tests/NetGen.Benchmarks wrote (digits 64-32-10, mnist 784-128-10, deep
32-64-64-64-4: ReLU hidden layers, softmax output, cross-entropy), this script builds the same network in PyTorch
(nn.Linear layers and their activations, the softmax applied to the logits) with NetGen's parameters (NetGen's
Parameters order is PyTorch's state_dict order: per layer W [units, inputs], then b), checks that PyTorch computes
NetGen's outputs on all 256 samples and NetGen's summed loss and gradients of BackwardBatch on the first 32, and then
times PyTorch on one thread, as the C# BatchForward/BatchTrain benchmarks run:

  Forward  the 256 samples in batches of N = 1, 8, 32, 256 (pre-sliced views), each batch one model(x) under
           torch.no_grad(): the time per sample;
  Train    the 256 samples in SGD steps on batches of B = 32, 256 (zero_grad, forward, cross-entropy with the mean over
           the batch, backward, torch.optim.SGD step with lr 0.01: what Sgd.Step(net, 0.01f, B) does after
           BackwardBatch): the time per sample and per step.

Each is warmed up, then measured in ROUNDS rounds of about ROUND_SECONDS; the median, minimum and quartiles over the
rounds are printed.

Usage (from the repository root; Debian's python3-torch, 1.13):

    dotnet run -c Release --project tests/NetGen.Benchmarks -- --batch-export /tmp/batch
    /usr/bin/python3 tools/pytorch/batch_benchmark.py /tmp/batch [--networks digits mnist deep] [--check-only]
"""

import argparse
import json
import os
import statistics
import sys

import torch
from torch import nn

from benchmark_common import floats, measure, print_header

ROUNDS = 15
ROUND_SECONDS = 0.2
WARMUP_SECONDS = 1.0
FORWARD_BATCHES = [1, 8, 32, 256]
TRAIN_BATCHES = [32, 256]


ACTIVATIONS = {"Identity": nn.Identity, "ReLU": nn.ReLU, "Sigmoid": nn.Sigmoid, "Tanh": nn.Tanh}


def load(path):
    """The network as an nn.Sequential producing the logits (the softmax is the loss's), NetGen's weights copied in."""
    with open(path) as f:
        spec = json.load(f)
    modules = []
    layers = spec["layers"]
    for i, layer in enumerate(layers):
        modules.append(nn.Linear(layer["inputs"], layer["units"]))
        if i < len(layers) - 1:
            modules.append(ACTIVATIONS[layer["activation"]]())
        elif layer["activation"] != "Softmax" or spec["loss"] != "CrossEntropy":
            sys.exit(f"{path}: this script implements a softmax output with cross-entropy")
    model = nn.Sequential(*modules)
    parameters = floats(spec["parameters"])
    offset = 0
    with torch.no_grad():
        for p in model.parameters():  # per layer weight [units, inputs], then bias: NetGen's order
            n = p.numel()
            p.copy_(parameters[offset:offset + n].view_as(p))
            offset += n
    if offset != parameters.numel():
        sys.exit(f"{path}: PyTorch's model has {offset} parameters, NetGen's {parameters.numel()}")
    spec["x"] = floats(spec["inputs_data"]).view(spec["samples"], spec["inputs"])
    spec["t"] = floats(spec["targets_data"]).view(spec["samples"], spec["outputs"])
    return spec, model


def relative(expected, actual):
    """NetGen's benchmark verification measure per sample: |a - e| / (|e| + 0.01 max|e|), its largest value."""
    expected, actual = expected.double(), actual.double()
    scale = expected.abs().amax(dim=-1, keepdim=True)
    return ((actual - expected).abs() / (expected.abs() + 0.01 * scale)).max().item()


def check(spec, model):
    with torch.no_grad():
        y = torch.softmax(model(spec["x"]), dim=-1)
    forward = relative(floats(spec["netgen_outputs"]).view_as(y), y)
    b = spec["check_batch"]
    model.zero_grad()
    loss = nn.functional.cross_entropy(model(spec["x"][:b]), spec["t"][:b], reduction="sum")
    loss.backward()
    gradients = torch.cat([p.grad.view(-1) for p in model.parameters()])
    loss_difference = relative(floats(spec["netgen_loss"]), loss.detach().view(-1))
    gradient_difference = relative(floats(spec["netgen_gradients"]).view(1, -1), gradients.view(1, -1))
    model.zero_grad()
    print(f"# {spec['name']} ({spec['architecture']}): PyTorch against NetGen, largest relative differences: Forward on "
          f"{spec['samples']} samples {forward:.1e}, summed loss of {b} {loss_difference:.1e}, gradients {gradient_difference:.1e}")
    if forward > 1e-5 or loss_difference > 1e-5 or gradient_difference > 1e-4:
        sys.exit(f"{spec['name']}: PyTorch does not compute NetGen's numbers; nothing was timed")


def report(name, what, samples, n, rounds, steps=None):
    """Per-sample times of a call that runs `samples` samples (and `steps` SGD steps)."""
    per_sample = [r / samples for r in rounds]
    q = statistics.quantiles(per_sample, n=4)
    median = statistics.median(per_sample)
    step = f"   per step {median * samples / steps / 1000:9.2f} us" if steps else ""
    print(f"{name:7} {what:16} per sample median {median / 1000:8.3f} us   min {min(per_sample) / 1000:8.3f} us   "
          f"quartiles {q[0] / 1000:.3f}-{q[2] / 1000:.3f} us{step}   ({ROUNDS} rounds of {n} calls)")


def time_model(spec, model):
    x, t = spec["x"], spec["t"]
    samples = spec["samples"]
    model.eval()  # no dropout or batch norm here: eval and train mode compute the same
    for n in FORWARD_BATCHES:
        batches = [x[s:s + n] for s in range(0, samples, n)]

        def forward():
            with torch.no_grad():
                for batch in batches:
                    model(batch)

        report(spec["name"], f"Forward N={n}", samples, *measure(forward, ROUNDS, ROUND_SECONDS, WARMUP_SECONDS))

    optimizer = torch.optim.SGD(model.parameters(), lr=spec["learning_rate"])
    for b in TRAIN_BATCHES:
        batches = [(x[s:s + b], t[s:s + b]) for s in range(0, samples, b)]

        def train():
            for inputs, targets in batches:
                optimizer.zero_grad()
                loss = nn.functional.cross_entropy(model(inputs), targets)
                loss.backward()
                optimizer.step()

        report(spec["name"], f"Train B={b}", samples, *measure(train, ROUNDS, ROUND_SECONDS, WARMUP_SECONDS), steps=len(batches))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", help="where --batch-export wrote NAME.json")
    parser.add_argument("--networks", nargs="*", default=["digits", "mnist", "deep"])
    parser.add_argument("--check-only", action="store_true", help="check PyTorch against NetGen, time nothing")
    args = parser.parse_args()
    print_header()
    for name in args.networks:
        spec, model = load(os.path.join(args.directory, name + ".json"))
        check(spec, model)
        if not args.check_only:
            time_model(spec, model)


if __name__ == "__main__":
    main()
