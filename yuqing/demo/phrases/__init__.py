"""Hand-written sentence pools for the demo story lines, one module per story line.

Sentences may hold slots (``{who}``, ``{team}``, ``{mine}``, ``{n}``, ``{phone}``, ``{dish}`` …)
that :mod:`yuqing.demo.textgen` fills. Everything here is invented for the demo.
"""
