"""Reads the records of an offline W&B run (run-<id>.wandb), for the tracking test.

Offline, wandb-core writes only this transaction log (config.yaml and wandb-summary.json appear
when a run is synced), and the wandb package no longer ships a Python reader for it. The file is a
LevelDB-style log: a 7-byte header (":W&B", magic 0xBEE1, version 0), then 32 KiB blocks of
chunks, each with a 7-byte header (CRC32, little-endian length, type: 1 full, 2 first, 3 middle,
4 last); a chunk never straddles a block, and a block tail shorter than a header is padding.
Each whole record is a wandb.proto Record message.
"""
from __future__ import annotations

import json
import struct
from pathlib import Path
from typing import Any, Iterator

BLOCK = 32 * 1024
HEADER = 7
FULL, FIRST, MIDDLE, LAST = 1, 2, 3, 4


def records(path: Path) -> Iterator[Any]:
    from wandb.proto import wandb_internal_pb2 as pb

    data = Path(path).read_bytes()
    assert data[:4] == b":W&B" and struct.unpack("<H", data[4:6])[0] == 0xBEE1, "not a .wandb file"
    pos, pending = HEADER, b""
    while pos + HEADER <= len(data):
        left_in_block = BLOCK - pos % BLOCK
        if left_in_block < HEADER:  # padding at the end of a block
            pos += left_in_block
            continue
        _crc, length, kind = struct.unpack("<IHB", data[pos:pos + HEADER])
        chunk = data[pos + HEADER:pos + HEADER + length]
        pos += HEADER + length
        if kind in (FULL, FIRST):
            pending = chunk
        elif kind in (MIDDLE, LAST):
            pending += chunk
        else:
            break  # zeros: the writer stopped here
        if kind in (FULL, LAST):
            record = pb.Record()
            record.ParseFromString(pending)
            yield record


def run_contents(path: Path) -> dict[str, Any]:
    """The run's ids, merged config and summary (JSON values) and exit code, from its records."""
    out: dict[str, Any] = {"runs": [], "config": {}, "summary": {}, "history_rows": 0,
                           "exit_code": None}
    for record in records(path):
        kind = record.WhichOneof("record_type")
        if kind == "run":
            out["runs"].append(record.run.run_id)
            for item in record.run.config.update:
                out["config"][item.key] = json.loads(item.value_json)
        elif kind == "config":
            for item in record.config.update:
                out["config"][item.key] = json.loads(item.value_json)
        elif kind == "summary":
            for item in record.summary.update:
                key = item.key or "/".join(item.nested_key)
                out["summary"][key] = json.loads(item.value_json)
        elif kind == "history":
            out["history_rows"] += 1
        elif kind == "exit":
            out["exit_code"] = record.exit.exit_code
    return out
