"""The guideline knowledge base and the offline "may I post this?" answer engine.

- ``knowledge.loader``: the YAML files under ``knowledge/guidelines/``, validated with file and line
- ``knowledge.engine``: retrieval (``knowledge.retrieval``) plus detectors (``knowledge.detectors``) -> ``Answer``
- ``knowledge.service``: the engine in a running bot, reloaded when the files change
- ``knowledge.llm``: the optional language model, composing answers from what retrieval found, post-checked

It imports nothing of ``bot``, ``handlers`` or ``storage``: what the ask capability stores of the
answers (``handlers/ask/records.py``) and its command line (``handlers/ask/cli.py``: ``kb check``,
``kb gaps``, ``ask``, ``eval``) are the capability's.

Importing this package does no work; the engine is built when first asked for.
"""

from knowledge.model import TOPICS, VERDICTS, Answer, Citation, Guideline, KnowledgeBase, Signal

__all__ = ["TOPICS", "VERDICTS", "Answer", "Citation", "Guideline", "KnowledgeBase", "Signal"]
