#!/usr/bin/python3
"""Writes optim_reference.json: what torch.optim does to a fixed parameter vector under a fixed gradient sequence.

Run from anywhere with a Python that has PyTorch (Debian's python3-torch):

    /usr/bin/python3 tests/NetGen.Tests/TestData/optim/make_optim_reference.py

tests/NetGen.Tests/Training/OptimizerReferenceTests.cs replays every case with NetGen's optimizers and schedules and
compares the parameters after every step. Everything is float32 (parameters, gradients, optimizer state) and seeded,
so a rerun with the same PyTorch writes the same file. Hyperparameters are Python floats (double), as NetGen's are.
"""

import json
import os
import re

import torch

SEED = 20240607
PARAMETERS = 37  # 37 = 4·8 + 5: on every SIMD width (4, 8, 16 floats) a scalar tail remains.
STEPS = 8

# Each step's gradient has a different size, so that clipping at CLIP_NORM cuts some steps and leaves others alone.
GRADIENT_SCALES = [1.0, 0.3, 2.0, 0.5, 1.5, 0.2, 1.0, 0.7]
CLIP_NORM = 1.5

# (name, optimizer, options, max gradient norm or None, schedule or None). Names are free text; the C# test reads
# the options. Schedules: torch.optim.lr_scheduler, stepped once after every optimizer step (each step an "epoch").
CASES = [
    ("sgd", "Sgd", {"learningRate": 0.1}, None, None),
    ("sgd_weight_decay", "Sgd", {"learningRate": 0.1, "weightDecay": 0.05}, None, None),
    ("sgd_momentum", "Sgd", {"learningRate": 0.05, "momentum": 0.9}, None, None),
    ("sgd_nesterov", "Sgd", {"learningRate": 0.05, "momentum": 0.9, "nesterov": True}, None, None),
    ("sgd_momentum_weight_decay", "Sgd", {"learningRate": 0.05, "momentum": 0.8, "weightDecay": 0.01}, None, None),
    ("sgd_nesterov_weight_decay", "Sgd", {"learningRate": 0.05, "momentum": 0.7, "nesterov": True, "weightDecay": 0.02}, None, None),
    ("adam", "Adam", {"learningRate": 0.01}, None, None),
    ("adam_betas_epsilon", "Adam", {"learningRate": 0.02, "beta1": 0.8, "beta2": 0.99, "epsilon": 1e-6}, None, None),
    ("adam_weight_decay", "Adam", {"learningRate": 0.01, "weightDecay": 0.1}, None, None),
    ("adamw", "AdamW", {"learningRate": 0.01}, None, None),
    ("adamw_weight_decay", "AdamW", {"learningRate": 0.01, "weightDecay": 0.3, "beta2": 0.95}, None, None),
    ("sgd_momentum_clipped", "Sgd", {"learningRate": 0.05, "momentum": 0.9}, CLIP_NORM, None),
    ("adam_clipped", "Adam", {"learningRate": 0.01}, CLIP_NORM, None),
    ("adamw_clipped", "AdamW", {"learningRate": 0.01, "weightDecay": 0.1}, CLIP_NORM, None),
    ("sgd_constant_schedule", "Sgd", {"learningRate": 0.05, "momentum": 0.9}, None, {"kind": "Constant"}),
    ("sgd_step_schedule", "Sgd", {"learningRate": 0.1, "momentum": 0.9}, None, {"kind": "Step", "stepSize": 3, "gamma": 0.5}),
    ("sgd_exponential_schedule", "Sgd", {"learningRate": 0.1, "momentum": 0.9}, None, {"kind": "Exponential", "gamma": 0.8}),
    # Period 3 over 8 epochs: down to the minimum at epoch 3, then (as PyTorch does) back up to the start at 6.
    ("sgd_cosine_schedule", "Sgd", {"learningRate": 0.1, "momentum": 0.9}, None, {"kind": "CosineAnnealing", "period": 3, "minimum": 0.01}),
    ("adam_cosine_schedule", "Adam", {"learningRate": 0.01}, CLIP_NORM, {"kind": "CosineAnnealing", "period": 5, "minimum": 0.0}),
    ("adamw_step_schedule", "AdamW", {"learningRate": 0.01, "weightDecay": 0.2}, None, {"kind": "Step", "stepSize": 2, "gamma": 0.3}),
]

# Standalone torch.nn.utils.clip_grad_norm_ cases: (max norm, gradient step index).
CLIPPING = [(1.0, 2), (100.0, 0), (0.25, 5)]


def f32(values):
    return [float(v) for v in values.tolist()]


def make_optimizer(kind, options, parameter):
    lr = options["learningRate"]
    if kind == "Sgd":
        return torch.optim.SGD([parameter], lr=lr, momentum=options.get("momentum", 0.0),
                               nesterov=options.get("nesterov", False), weight_decay=options.get("weightDecay", 0.0),
                               foreach=False)
    betas = (options.get("beta1", 0.9), options.get("beta2", 0.999))
    eps = options.get("epsilon", 1e-8)
    if kind == "Adam":
        return torch.optim.Adam([parameter], lr=lr, betas=betas, eps=eps, weight_decay=options.get("weightDecay", 0.0),
                                foreach=False)
    if kind == "AdamW":
        return torch.optim.AdamW([parameter], lr=lr, betas=betas, eps=eps,
                                 weight_decay=options.get("weightDecay", 1e-2), foreach=False)
    raise ValueError(kind)


def make_schedule(schedule, optimizer):
    if schedule is None or schedule["kind"] == "Constant":
        return None  # a constant rate: nothing to step
    kind = schedule["kind"]
    if kind == "Step":
        return torch.optim.lr_scheduler.StepLR(optimizer, step_size=schedule["stepSize"], gamma=schedule["gamma"])
    if kind == "Exponential":
        return torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=schedule["gamma"])
    if kind == "CosineAnnealing":
        return torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=schedule["period"], eta_min=schedule["minimum"])
    raise ValueError(kind)


def run_case(initial, gradients, name, kind, options, max_norm, schedule):
    parameter = torch.nn.Parameter(initial.clone())
    optimizer = make_optimizer(kind, options, parameter)
    scheduler = make_schedule(schedule, optimizer)
    steps, learning_rates, norms = [], [], []
    for gradient in gradients:
        learning_rates.append(optimizer.param_groups[0]["lr"])
        parameter.grad = gradient.clone()
        if max_norm is not None:
            norms.append(float(torch.nn.utils.clip_grad_norm_([parameter], max_norm)))
        optimizer.step()
        optimizer.zero_grad()
        if scheduler is not None:
            scheduler.step()
        steps.append(f32(parameter.detach()))
    return {
        "name": name,
        "optimizer": kind,
        "options": options,
        "maxGradientNorm": max_norm,
        "schedule": schedule,
        "learningRates": learning_rates,
        "gradientNorms": norms if max_norm is not None else None,
        "steps": steps,
    }


def main():
    torch.manual_seed(SEED)
    torch.set_num_threads(1)
    initial = torch.empty(PARAMETERS, dtype=torch.float32).uniform_(-1.0, 1.0)
    gradients = [torch.randn(PARAMETERS, dtype=torch.float32) * (0.5 * scale) for scale in GRADIENT_SCALES]
    assert len(gradients) == STEPS

    cases = [run_case(initial, gradients, *case) for case in CASES]

    clipping = []
    for max_norm, index in CLIPPING:
        gradient = torch.nn.Parameter(torch.zeros(PARAMETERS))
        gradient.grad = gradients[index].clone()
        norm = float(torch.nn.utils.clip_grad_norm_([gradient], max_norm))
        clipping.append({"maxNorm": max_norm, "gradients": f32(gradients[index]), "norm": norm, "clipped": f32(gradient.grad)})

    result = {
        "format": "netgen-optimizer-reference/1",
        "description": "torch.optim steps on recorded gradients; see make_optim_reference.py and README.md",
        "torch": torch.__version__,
        "seed": SEED,
        "parameters": f32(initial),
        "gradients": [f32(g) for g in gradients],
        "cases": cases,
        "clipping": clipping,
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "optim_reference.json")
    text = json.dumps(result, indent=1)
    # One line per list of numbers: the file stays diffable without a line per value.
    text = re.sub(r"\[\s*(-?[0-9][^\[\]{}\"]*?)\s*\]", lambda m: "[" + re.sub(r"\s+", " ", m.group(1)) + "]", text)
    with open(path, "w", encoding="utf-8") as file:
        file.write(text + "\n")
    print(f"wrote {path}: {len(cases)} optimizer cases, {len(clipping)} clipping cases")


if __name__ == "__main__":
    main()
