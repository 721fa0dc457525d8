"""The embedding model ships inside its package: it loads and embeds with the network off,
and its vectors are what search by meaning stores (unit length, the model's dimension)."""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from engine.embedding import DIM, from_bytes, to_bytes
from ingest.embedder import E5Embedder, openmp_runtimes

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


def test_the_catch_up_embeds_on_one_core_and_a_query_on_two() -> None:
    # The model's engine runs each call on an OpenMP team; the bot's background catch-up
    # must leave a core to its replies, a query may take both. Asked in the calling thread,
    # of every OpenMP runtime loaded (the engine's among them), after each call.
    model = E5Embedder(query_threads=2, passage_threads=1)

    def team_after(call: object) -> set[int]:
        assert callable(call)
        call()
        return {runtime.omp_get_max_threads() for runtime in openmp_runtimes()}

    with ThreadPoolExecutor(1) as catch_up, ThreadPoolExecutor(1) as queries:
        assert catch_up.submit(
            team_after, lambda: model.passages(["Minister resigns"])
        ).result() == {1}
        assert queries.submit(team_after, lambda: model.query("resignation")).result() == {2}
        assert catch_up.submit(team_after, lambda: model.passages(["Chip profits"])).result() == {1}
