"""CLI commands of this package (added to the `yuqing` group by yuqing.cli)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..errors import ModelError


def _app():
    from ..cli import AppContext

    return click.get_current_context().find_object(AppContext)


@click.command()
@click.option("--batch", default=2000, show_default=True, help="每批分析的帖子数。")
@click.option("--redo", is_flag=True,
              help="用当前模型重新分析所有已存帖子并重建事件（重新训练或升级模型后使用；议题保留其帖子）。")
def analyze(batch: int, redo: bool) -> None:
    """分析新帖子：情感、话题、风险、关键词，并归入事件。"""
    from ..cli import progress, summary
    from ..storage import PostQuery
    from .analyzer import Analyzer, run_analyze

    app = _app()
    store = app.store
    analyzer = Analyzer()  # load the models first: a broken models/ must not leave the store un-analysed
    _notes(analyzer)
    if redo:
        n = store.reset_analyses()
        click.echo(f"已清除 {n} 条帖子的分析结果和全部事件，用模型 {analyzer.model_version} 重新分析。")
    todo = store.count_posts(PostQuery(analyzed=False))
    with progress(length=todo, label="分析") as bar:
        result = run_analyze(store, app.config, bar.update, batch=batch, analyzer=analyzer)
    summary(result.summary())


def _notes(analyzer) -> None:
    """Tell the user (stderr) which models were loaded the slow way, and why."""
    for note in analyzer.notes:
        click.echo(f"注意：{note}", err=True)


@click.command()
@click.argument("model", required=False, default="all",
                type=click.Choice(["sentiment", "topic", "risk", "all"]))
@click.option("--no-store", is_flag=True, help="不使用数据库里的人工更正标签。")
@click.option("--export-only", is_flag=True,
              help="不重新训练，只把 models/ 里已训练的模型重新导出为快速推理文件（*.npz）。")
def train(model: str, no_store: bool, export_only: bool) -> None:
    """Train the models (sentiment, topic, risk) and write them with model cards to models/."""
    from ..cli import summary
    from .train import train as run_train

    if export_only:
        from .persist import export_saved

        names = ["sentiment", "topic", "risk"] if model == "all" else [model]
        for name in names:
            entry = export_saved(name)
            click.echo(f"{name}: {entry['file']}（sha256 {entry['sha256'][:12]}）", err=True)
        summary(f"已重新导出 {len(names)} 个模型的推理文件（未重新训练）")
        return
    labels = [] if no_store else _labels()
    out = run_train(model, labels, log=lambda line: click.echo(line, err=True))
    summary(f"trained {', '.join(k for k in out if k != 'keywords')}; models and card written to models/ "
            f"({len(labels)} staff corrections used)")


def _labels() -> list[dict]:
    """Staff corrections from the configured store (none when there is no store yet)."""
    app = _app()
    if not app.config.db_path.exists():
        return []
    return app.store.list_labels()


@click.command()
@click.argument("file", required=False, type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--batch", default=1000, show_default=True, help="每批分类的条数。")
def classify(file: str | None, batch: int) -> None:
    """Classify JSON Lines ({"id", "text"}) from a file or stdin; one JSON line out per input."""
    from ..decoding import decode_text
    from .analyzer import Analyzer
    from .classify import classify_lines

    if file and file != "-" and not Path(file).exists():
        raise ModelError(f"file not found: {file}")
    analyzer = Analyzer()
    _notes(analyzer)
    stream = click.open_file(file or "-", mode="rb")
    bad = 0
    chunk: list[str] = []  # echoed a batch at a time: click.echo writes and flushes on every call
    for line in classify_lines(analyzer, map(decode_text, stream), batch=batch):
        bad += "error" in line
        chunk.append(json.dumps(line, ensure_ascii=False))
        if len(chunk) >= batch:
            click.echo("\n".join(chunk))
            chunk.clear()
    if chunk:
        click.echo("\n".join(chunk))
    if bad:
        click.echo(f"{bad} 行无法读取（见输出中的 error 字段）", err=True)


@click.command(name="eval")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--field", "field_name", default="sentiment", show_default=True,
              type=click.Choice(["sentiment", "topic", "risk"]), help="评估哪个模型。")
@click.option("--json", "as_json", is_flag=True, help="输出机器可读的 JSON。")
def eval_(file: str, field_name: str, as_json: bool) -> None:
    """Score a model on a labelled CSV/JSONL (text + label): accuracy, macro-F1, report, confusion."""
    from .analyzer import Analyzer
    from .data import read_labelled
    from .decide import positive_vs_negative
    from .evaluate import format_report, metrics

    ds = read_labelled(Path(file), field_name)
    results = Analyzer().analyze_texts(ds.texts)
    binary = field_name == "sentiment" and set(ds.labels) <= {"positive", "negative"}
    if binary:  # a two-class file: the positive-vs-negative call, as in the benchmarks
        pred = [positive_vs_negative(r["sentiment_scores"]) for r in results]
    else:
        pred = [r[field_name] for r in results]
    m = metrics(ds.labels, pred)
    if as_json:
        click.echo(json.dumps(m, ensure_ascii=False))
    else:
        click.echo(format_report(m, f"{field_name} on {ds.name}{' (binary)' if binary else ''}"))


COMMANDS = [analyze, train, classify, eval_]
