"""The embedding model ships inside its package: it loads and embeds with the network off,
and its vectors are what search by meaning stores (unit length, the model's dimension)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np

from engine.embedding import DIM, from_bytes, to_bytes

ROOT = Path(__file__).resolve().parents[2]

# Every way out of the process fails: a socket cannot even be created, names do not resolve.
OFFLINE = """
import json, socket

def refuse(*args, **kwargs):
    raise OSError("network is off in this test")

socket.socket = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse

from ingest.embedder import E5Embedder

model = E5Embedder()
model.load()
query = model.query("Rücktritt des Premierministers")
passages = model.passages(["Prime minister resigns", "Chip maker posts record profits"])
print(json.dumps({"dim": len(query), "similar": [float(x) for x in passages @ query]}))
"""


def test_the_model_loads_and_embeds_with_the_network_off() -> None:
    done = subprocess.run(
        [sys.executable, "-c", OFFLINE], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["dim"] == DIM
    resigns, chips = found["similar"]
    assert resigns > chips  # the German query is nearer the English report of the same news


def test_a_stored_vector_reads_back_as_the_vector_it_was() -> None:
    vector = np.random.default_rng(7).normal(size=DIM).astype(np.float32)
    vector /= np.linalg.norm(vector)
    again = from_bytes(to_bytes(vector))
    assert len(to_bytes(vector)) == 2 * DIM  # float16
    assert float(again @ vector) > 0.9999
