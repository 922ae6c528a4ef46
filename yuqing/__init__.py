"""yuqing — 工会职工网络舆情监测 (trade-union worker opinion monitoring)."""

__version__ = "0.1.0"
