"""What the PyTorch sides of NetGen's benchmarks share (batch_benchmark.py, recurrent_benchmark.py): one thread,
NetGen's exported floats read back exactly, the timing loop, and the header that says which PyTorch ran."""

import platform
import re
import time

import numpy as np
import torch

torch.set_num_threads(1)
torch.set_num_interop_threads(1)


def floats(hex_text):
    """NetGen writes each float as the 8 hex digits of its bits, big-endian: read back exactly those floats."""
    return torch.from_numpy(np.frombuffer(bytes.fromhex(hex_text), dtype=">f4").astype(np.float32))


def measure(function, rounds, round_seconds, warmup_seconds):
    """Warm up, then `rounds` rounds of n calls each (n sized to about `round_seconds`): per-call nanoseconds per round."""
    end = time.perf_counter() + warmup_seconds
    calls = 0
    while time.perf_counter() < end:
        function()
        calls += 1
    n = max(1, int(calls / warmup_seconds * round_seconds))
    times = []
    for _ in range(rounds):
        start = time.perf_counter_ns()
        for _ in range(n):
            function()
        times.append((time.perf_counter_ns() - start) / n)
    return n, times


def print_header():
    """PyTorch's version, threads, CPU capability and BLAS (Debian's 1.13 says `generic`), and the load average."""
    config = torch.__config__.show()
    capability = next((line.split(":", 1)[1].strip() for line in config.splitlines() if "CPU capability usage" in line), "?")
    blas = re.search(r"BLAS_INFO=([^,\s]+)", config)
    print(f"# PyTorch {torch.__version__}, Python {platform.python_version()}, {torch.get_num_threads()} thread(s), "
          f"{torch.get_num_interop_threads()} inter-op thread(s), mkldnn {torch.backends.mkldnn.is_available()}, "
          f"CPU capability {capability}, BLAS {blas.group(1) if blas else '?'}")
    try:
        with open("/proc/loadavg") as loadavg:
            print(f"# load average at start: {loadavg.read().strip()}")
    except OSError:
        pass
