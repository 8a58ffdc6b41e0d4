"""What a draft reveals by itself, whatever guideline its words happen to match.

Retrieval finds the guideline a question is about; detectors look at the text
for the things that make a post risky even when the question sounds harmless
("Can I share this? 'Sales up 40%, numbers out next week'"). Each finding is
named for what it shows (knowledge.findings, the registry of every finding and
its kind); its verdict and topic are the knowledge base's: the guideline that
governs it decides, and a finding no guideline governs is a "check". Both
languages are always checked: drafts are often in a different language than
the question around them.

The package, by concern:

- ``scan``: ``Detectors`` and ``DetectorConfig``, the reading of a text in named steps;
- ``news``, ``people``, ``voice``, ``conduct``: the pattern tables, one module per family of findings;
- ``clauses``: condensing a paste, clauses, negation;
- ``context``: a match read in context (negated, or in a harmless sense of its words);
- ``scope``: whether a message is about posting at all (``outside``);
- ``rx``: how the patterns are compiled.
"""

from knowledge.detectors.clauses import in_spans, negated_spans, split_clauses, unnegated
from knowledge.detectors.rx import any_of
from knowledge.detectors.scan import DetectorConfig, Detectors
from knowledge.detectors.scope import about_posting, outside

__all__ = [
    "DetectorConfig",
    "Detectors",
    "about_posting",
    "any_of",
    "in_spans",
    "negated_spans",
    "outside",
    "split_clauses",
    "unnegated",
]
