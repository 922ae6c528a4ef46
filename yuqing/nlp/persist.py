"""Saving and loading models: skops files (no arbitrary code runs on load) plus a manifest.

``models/<name>.skops`` holds the fitted pipeline; ``models/<name>.json`` its manifest: library
versions, training data (name, rows, sha256), metrics and the training date. Loading checks the
manifest's library versions against the running ones and refuses a mismatch with a
:class:`~yuqing.errors.ModelError`; sklearn's ``InconsistentVersionWarning`` is an error too.
"""

from __future__ import annotations

import json
import os
import platform
import warnings
import zipfile
from datetime import datetime, timezone
from importlib.metadata import version
from pathlib import Path

from ..errors import ModelError
from .data import REPO_ROOT

MODELS_DIR = REPO_ROOT / "models"
#: Libraries whose (major.minor) version must match between training and loading.
PINNED = ("scikit-learn", "numpy", "scipy", "skops")
#: Recorded in the manifest for information (jieba's dictionary changes segmentation).
RECORDED = (*PINNED, "jieba", "rjieba")
#: Types outside sklearn/numpy/scipy that a yuqing model may contain.
TRUSTED_PREFIXES = ("yuqing.nlp.",)
_SAFE_PREFIXES = ("sklearn.", "numpy.", "scipy.", "builtins.")


def default_models_dir() -> Path:
    """``$YUQING_MODELS_DIR`` or the repository's ``models/``."""
    env = os.environ.get("YUQING_MODELS_DIR")
    return Path(env) if env else MODELS_DIR


def library_versions() -> dict[str, str]:
    out = {name: version(name) for name in RECORDED}
    out["python"] = platform.python_version()
    return out


def _minor(v: str) -> str:
    return ".".join(v.split(".")[:2])


def check_versions(manifest: dict, name: str, current: dict[str, str] | None = None) -> None:
    """Raise :class:`ModelError` when a pinned library's major.minor differs from the manifest's."""
    current = current or library_versions()
    saved = manifest.get("libraries", {})
    for lib in PINNED:
        if _minor(saved.get(lib, "?")) != _minor(current[lib]):
            raise ModelError(f"model {name!r} was built with {lib} {saved.get(lib, '?')}, this system has "
                             f"{current[lib]}: retrain with `yuqing train`")


def save_model(name: str, model, manifest: dict, models_dir: Path | None = None) -> Path:
    """Write ``<name>.skops`` and ``<name>.json``; returns the model path."""
    import skops.io as sio

    folder = models_dir or default_models_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.skops"
    sio.dump(model, path, compression=zipfile.ZIP_DEFLATED, compresslevel=6)
    full = {"name": name, "file": path.name, "trained_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "libraries": library_versions(), **manifest, "size_bytes": path.stat().st_size}
    (folder / f"{name}.json").write_text(json.dumps(full, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
                                         encoding="utf-8")
    return path


def read_manifest(name: str, models_dir: Path | None = None) -> dict:
    p = (models_dir or default_models_dir()) / f"{name}.json"
    if not p.exists():
        raise ModelError(f"no trained {name} model in {p.parent}: run `yuqing train`")
    try:
        return json.loads(p.read_text(encoding="utf-8"))
    except json.JSONDecodeError:
        raise ModelError(f"{p} is damaged: retrain with `yuqing train`") from None


def load_model(name: str, models_dir: Path | None = None):
    """The fitted model ``name`` after the manifest's version check; returns ``(model, manifest)``."""
    import skops.io as sio
    from sklearn.exceptions import InconsistentVersionWarning

    manifest = read_manifest(name, models_dir)
    check_versions(manifest, name)
    path = (models_dir or default_models_dir()) / manifest.get("file", f"{name}.skops")
    if not path.exists():
        raise ModelError(f"model file missing: {path}: retrain with `yuqing train`")
    try:
        untrusted = sio.get_untrusted_types(file=path)
    except Exception as exc:  # noqa: BLE001 - not a skops file, whatever the parser says
        raise ModelError(f"model {path.name} cannot be read ({type(exc).__name__}): retrain with "
                         "`yuqing train`") from None
    unknown = [t for t in untrusted if not t.startswith(TRUSTED_PREFIXES + _SAFE_PREFIXES)]
    if unknown:
        raise ModelError(f"model {path.name} contains unexpected types ({', '.join(unknown[:3])}): retrain with "
                         "`yuqing train`")
    with warnings.catch_warnings():
        warnings.simplefilter("error", InconsistentVersionWarning)
        try:
            model = sio.load(path, trusted=untrusted)
        except InconsistentVersionWarning as exc:
            raise ModelError(f"model {path.name}: built with scikit-learn {exc.original_sklearn_version}: retrain "
                             "with `yuqing train`") from None
        except Exception as exc:  # noqa: BLE001 - a damaged file, whatever the parser says
            raise ModelError(f"model {path.name} cannot be read ({type(exc).__name__}): retrain with "
                             "`yuqing train`") from None
    return model, manifest
