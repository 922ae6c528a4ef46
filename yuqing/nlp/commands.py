"""CLI commands of this package (added to the `yuqing` group by yuqing.cli)."""

from __future__ import annotations

import click

from ..errors import YuqingError


@click.command()
def analyze():
    """Tag new posts with sentiment, topic, risk, keywords and events."""
    raise YuqingError("analyze: not implemented yet")


@click.command()
@click.argument("model", required=False)
def train(model):
    """Train the models (sentiment, topic, risk) and write them with model cards to models/."""
    raise YuqingError("train: not implemented yet")


@click.command()
def classify():
    """Classify JSON Lines ({"id", "text"}) from a file or stdin; one JSON line out per input."""
    raise YuqingError("classify: not implemented yet")


COMMANDS = [analyze, train, classify]
