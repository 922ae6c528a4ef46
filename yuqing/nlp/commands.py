"""CLI commands of this package: ``analyze``, ``train``, ``classify``, ``eval`` (``register(group)`` adds them)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..context import AppContext, pass_app, progress, summary
from ..errors import ModelError


@click.command()
@click.option("--batch", default=2000, show_default=True, help="每批分析的帖子数。")
@click.option("--redo", is_flag=True,
              help="用当前模型重新分析所有已存帖子并重建事件（重新训练或升级模型后使用；议题保留其帖子）。")
@pass_app
def analyze(app: AppContext, batch: int, redo: bool) -> None:
    """分析新帖子：情感、话题、风险、关键词，并归入事件。"""
    from ..storage import PostQuery
    from .analyzer import Analyzer, run_analyze

    store = app.store
    analyzer = Analyzer(app.config.models_dir)  # models first: broken ones must not leave the store un-analysed
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
@pass_app
def train(app: AppContext, model: str, no_store: bool, export_only: bool) -> None:
    """训练模型（情感、话题、风险），连同模型说明写入 models/。"""
    from .train import train as run_train

    models_dir = app.config.models_dir
    if export_only:
        from .persist import export_saved, training_folder

        folder = training_folder(models_dir)
        names = ["sentiment", "topic", "risk"] if model == "all" else [model]
        for name in names:
            entry = export_saved(name, folder)
            click.echo(f"{name}: {entry['file']}（sha256 {entry['sha256'][:12]}）", err=True)
        summary(f"已重新导出 {len(names)} 个模型的推理文件（未重新训练）")
        return
    labels = [] if no_store else _labels(app)
    out = run_train(model, labels, models_dir, log=lambda line: click.echo(line, err=True))
    summary(f"已训练 {'、'.join(k for k in out if k != 'keywords')}；模型和模型说明已写入 "
            f"{training_folder(models_dir)}（用了 {len(labels)} 条人工更正）")


def _labels(app: AppContext) -> list[dict]:
    """Staff corrections from the configured store (none when there is no store yet)."""
    if not app.config.db_path.exists():
        return []
    return app.store.list_labels()


@click.command()
@click.argument("file", required=False, type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--batch", default=1000, show_default=True, help="每批分类的条数。")
@pass_app
def classify(app: AppContext, file: str | None, batch: int) -> None:
    """对文件或标准输入中的 JSON Lines（{"id", "text"}）分类；每行输入输出一行 JSON。"""
    from ..decoding import decode_text
    from .analyzer import Analyzer
    from .classify import classify_lines

    if file and file != "-" and not Path(file).exists():
        raise ModelError(f"找不到文件：{file}")
    analyzer = Analyzer(app.config.models_dir)
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
@pass_app
def eval_(app: AppContext, file: str, field_name: str, as_json: bool) -> None:
    """在有标注的 CSV/JSONL（text + 标签）上评估模型：准确率、macro-F1、各类报告和混淆矩阵。"""
    from .analyzer import Analyzer
    from .data import read_labelled
    from .decide import positive_vs_negative
    from .evaluate import format_report, metrics

    ds = read_labelled(Path(file), field_name)
    results = Analyzer(app.config.models_dir).analyze_texts(ds.texts)
    binary = field_name == "sentiment" and set(ds.labels) <= {"positive", "negative"}
    if binary:  # a two-class file: the positive-vs-negative call, as in the benchmarks
        pred = [positive_vs_negative(r["sentiment_scores"]) for r in results]
    else:
        pred = [r[field_name] for r in results]
    m = metrics(ds.labels, pred)
    if as_json:
        click.echo(json.dumps(m, ensure_ascii=False))
    else:
        click.echo(format_report(m, f"{field_name} 模型在 {ds.name} 上{'（二分类）' if binary else ''}"))


def register(group: click.Group) -> None:
    for cmd in (analyze, train, classify, eval_):
        group.add_command(cmd)
