"""The machine a build ran on, for model cards."""
from __future__ import annotations

from pathlib import Path


def machine(device: str = "cpu") -> str:
    """The machine the weights were built on, for the card."""
    import platform

    import torch

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    if device.startswith("cuda"):
        return f"{torch.cuda.get_device_name(device)} (host {cpu}), torch {torch.__version__}"
    n = torch.get_num_threads()
    return f"{cpu}, torch {torch.__version__}, {n} thread{'' if n == 1 else 's'}"
