"""Rule types by name (the ``type:`` of a rule file)."""

from __future__ import annotations

from .base import Match, Rule, RuleContext
from .content import EngagementRule, KeywordRule, RiskRule
from .emerging import EmergingRule
from .flatline import FlatlineRule
from .volume import FrequencyRule, NegativeRatioRule, SpikeRule

RULE_TYPES: dict[str, type[Rule]] = {
    cls.type_name: cls
    for cls in (KeywordRule, RiskRule, FrequencyRule, SpikeRule, NegativeRatioRule, EmergingRule, EngagementRule,
                FlatlineRule)
}

__all__ = ["Match", "Rule", "RuleContext", "RULE_TYPES"]
