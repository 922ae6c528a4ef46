"""Bundled demo data: a fictional union and eight weeks of invented worker posts.

``yuqing.demo.generate.generate_demo(out_dir, end=…, seed=…)`` writes a demo ``yuqing.toml``,
WeChat group exports (MemoTrace CSV, PyWxDump JSON), official-account articles with comments
and a static Discuz!-style forum, and returns a :class:`~yuqing.demo.generate.DemoManifest`.
Story lines: wage arrears at 东峪煤矿 peaking in week 7, a canteen complaint wave at 北岭煤矿
in weeks 3–4, steady skills-contest talk, and ordinary chatter. Everything is invented.
"""
