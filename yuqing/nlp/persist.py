"""Saving and loading models: skops files (no arbitrary code runs on load), their numpy export and a manifest.

Where models live: the trained models ship inside the package (``yuqing/nlp/models/``, found with
:mod:`importlib.resources`, as jieba keeps ``analyse/idf.txt`` beside its code); retrained ones go to
the folder the config names (``[nlp] models_dir``), which is then read instead. `yuqing train`
writes to that folder, or, without one, to the package's own folder in a source checkout (that is
how the shipped models are made); an installed package's models are never overwritten
(:func:`training_folder`).

``<name>.skops`` holds the fitted pipeline; ``<name>.npz`` its compact inference form
(:mod:`yuqing.nlp.compact`: numpy arrays, exported when the model is saved); ``<name>.json``
the manifest: library versions, training data (name, rows, sha256), metrics, the training date and
the export (``inference``: its file, format and the sha256 of both files). Loading the pipeline
(:func:`load_model`) checks the manifest's library versions against the running ones and refuses a
mismatch with a :class:`~yuqing.errors.ModelError`; sklearn's ``InconsistentVersionWarning`` is an
error too. :func:`load_for_inference` (what `classify` and `analyze` use) reads the export with
numpy only when it belongs to the saved pipeline (both sha256 match) and numpy's major.minor is the
one it was written with; otherwise it falls back to the pipeline and says why.
"""

from __future__ import annotations

import hashlib
import json
import platform
import shutil
import warnings
import zipfile
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path

from ..errors import ModelError
from .data import checkout_root, sha256_of

#: The models every folder holds (each as ``.skops``, ``.npz`` and ``.json``), and the keyword table.
MODEL_NAMES = ("sentiment", "topic", "risk")
KEYWORDS_FILE = "keywords.json"
#: Libraries whose (major.minor) version must match between training and loading.
PINNED = ("scikit-learn", "numpy", "scipy", "skops")
#: Recorded in the manifest for information (jieba's dictionary changes segmentation).
RECORDED = (*PINNED, "jieba", "rjieba")
#: Types outside sklearn/numpy/scipy that a yuqing model may contain.
TRUSTED_PREFIXES = ("yuqing.nlp.",)
_SAFE_PREFIXES = ("sklearn.", "numpy.", "scipy.", "builtins.")


def packaged_models_dir() -> Path:
    """The models shipped inside yuqing: the ``yuqing.nlp.models`` package folder."""
    return Path(str(resources.files("yuqing.nlp.models")))


def default_models_dir() -> Path:
    """Where models are read when no folder is given (no ``[nlp] models_dir``): the shipped ones."""
    return packaged_models_dir()


def training_folder(configured: Path | None) -> Path:
    """The folder `yuqing train` writes to: the configured ``[nlp] models_dir``; without one, the
    package's own models folder when yuqing runs from a source checkout. An installed yuqing's
    models are never overwritten (:class:`ModelError` asking for ``models_dir``)."""
    if configured is not None:
        return configured
    if checkout_root() is None:
        raise ModelError("安装包自带的模型不能覆盖：请在配置文件 [nlp] 段设置 models_dir（或环境变量 "
                         "YUQING_NLP_MODELS_DIR），重新训练的模型写到那里")
    return packaged_models_dir()


def seed_from_package(folder: Path, keep: str) -> list[str]:
    """Copy into ``folder`` the shipped models (and keyword table) it lacks, except ``keep``, the one
    being trained: a folder that trains one model still holds all three. Returns what was copied."""
    source = packaged_models_dir()
    if folder.resolve() == source.resolve():
        return []
    folder.mkdir(parents=True, exist_ok=True)
    copied = []
    for name in MODEL_NAMES:
        if name == keep or (folder / f"{name}.json").exists():
            continue
        for suffix in (".skops", ".npz", ".json"):
            shutil.copyfile(source / f"{name}{suffix}", folder / f"{name}{suffix}")
        copied.append(name)
    if not (folder / KEYWORDS_FILE).exists():
        shutil.copyfile(source / KEYWORDS_FILE, folder / KEYWORDS_FILE)
        copied.append("keywords")
    return copied


def library_versions() -> dict[str, str]:
    from importlib.metadata import version

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
    """Write ``<name>.skops``, its export ``<name>.npz`` and the manifest ``<name>.json``; returns the
    model path."""
    import skops.io as sio

    folder = models_dir or default_models_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.skops"
    sio.dump(model, path, compression=zipfile.ZIP_DEFLATED, compresslevel=6)
    full = {"name": name, "file": path.name, "trained_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "libraries": library_versions(), **manifest, "size_bytes": path.stat().st_size,
            "inference": _export(name, model, folder)}
    _write_manifest(folder, name, full)
    return path


def _write_manifest(folder: Path, name: str, manifest: dict) -> None:
    (folder / f"{name}.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
                                         encoding="utf-8")


def _export(name: str, model, folder: Path) -> dict:
    """Write ``<name>.npz`` (the compact form of ``model``, saved as ``<name>.skops``); the manifest's
    ``inference`` entry."""
    from .compact import FORMAT, npz_bytes

    raw = npz_bytes(model)
    path = folder / f"{name}.npz"
    path.write_bytes(raw)
    return {"file": path.name, "format": FORMAT, "sha256": hashlib.sha256(raw).hexdigest(),
            "model_sha256": sha256_of(folder / f"{name}.skops")}


def export_saved(name: str, models_dir: Path | None = None) -> dict:
    """Export the saved model ``name`` again (after an upgrade of yuqing, or a missing or stale
    ``.npz``) without retraining; updates its manifest and returns the ``inference`` entry."""
    folder = models_dir or default_models_dir()
    model, manifest = load_model(name, folder)
    manifest["inference"] = _export(name, model, folder)
    _write_manifest(folder, name, manifest)
    return manifest["inference"]


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


class StaleExport(ModelError):
    """The numpy export of a model is missing, damaged or not the export of the saved pipeline."""


def load_exported(name: str, models_dir: Path | None = None, manifest: dict | None = None):
    """The numpy export of model ``name`` (:mod:`yuqing.nlp.compact`; no scikit-learn, scipy or skops
    is imported); :class:`StaleExport` when it is missing, damaged, not the export of the saved
    ``.skops`` file or written under another numpy major.minor."""
    import numpy as np

    from .compact import load_npz

    folder = models_dir or default_models_dir()
    manifest = manifest or read_manifest(name, folder)
    entry = manifest.get("inference")
    if not entry:
        raise StaleExport(f"模型 {name} 没有导出的推理文件（{name}.npz）")
    path = folder / entry.get("file", f"{name}.npz")
    if not path.exists():
        raise StaleExport(f"模型 {name} 的推理文件 {path.name} 不存在")
    raw = path.read_bytes()
    if hashlib.sha256(raw).hexdigest() != entry.get("sha256"):
        raise StaleExport(f"模型 {name} 的推理文件 {path.name} 与清单记录的不一致（已损坏或被替换）")
    skops_path = folder / manifest.get("file", f"{name}.skops")
    if not skops_path.exists() or sha256_of(skops_path) != entry.get("model_sha256"):
        raise StaleExport(f"模型 {name} 的推理文件 {path.name} 不是当前 {skops_path.name} 的导出（已过期）")
    saved = manifest.get("libraries", {}).get("numpy", "?")
    if _minor(saved) != _minor(np.__version__):
        raise StaleExport(f"模型 {name} 的推理文件由 numpy {saved} 写出，本机是 numpy {np.__version__}")
    try:
        return load_npz(raw)
    except ModelError as exc:
        raise StaleExport(f"模型 {name} 的推理文件 {path.name} 无法读取：{exc}") from None


def load_for_inference(name: str, models_dir: Path | None = None):
    """``(model, manifest, note)``: the numpy export of model ``name`` when it is usable (``note``
    None), else the skops pipeline (slower to load: scikit-learn and scipy are imported) with
    ``note`` saying why in Chinese, for the user. :class:`ModelError` when neither loads."""
    folder = models_dir or default_models_dir()
    manifest = read_manifest(name, folder)
    try:
        return load_exported(name, folder, manifest), manifest, None
    except StaleExport as exc:
        note = (f"{exc}，改用 skops 模型（启动较慢）；运行 `yuqing train --export-only` 重新导出"
                "（无需重新训练）")
    model, manifest = load_model(name, folder)
    return model, manifest, note
