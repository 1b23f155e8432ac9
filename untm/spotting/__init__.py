"""Translation spotting: which words of each other language render the query, in the memory units
a concordance shows, and a summary of those renderings with their counts.

A bilingual concordancer is opened to see how a phrase was translated; highlighting only the
query leaves the translator hunting line by line. The evidence, combined per candidate phrase
(a run of words of the other language, not starting or ending with a function word):

- **the termbase**: when the query holds a term, that concept's terms in the other language,
  found by the one term finder (``uncore.lang.terms``: inflection, longest match);
- **the memory itself**: a phrase that occurs in the units holding the query much more often
  than in the memory at large (a sample of it, ``Background``) is what the query is translated
  by; this is what finds "устойчивого развития" for "sustainable development";
- **CC-CEDICT** for Chinese against an English query: a Chinese word whose glosses are the
  query's words;
- **length and position**: a rendering takes about as much of its segment as the query of its
  own, at about the same place (which decides when a query occurs only once or twice).

Russian phrases are grouped by their lemmas (pymorphy3), so the summary says "устойчивое
развитие (38, all cases)". Everything here is pure: the caller supplies the hits, the
background and the term finder.

The package, by what each module does: ``words`` (a segment's tokens and phrases) with
``jieba_cut`` (spotting's copy of jieba's cut), ``tables`` (each segment's tokens as a cached
array), ``phrase_arrays`` (the phrases of all of a query's hits at once), ``background`` (the
memory at large), ``gloss_cover`` and ``glosses`` (the query's words' renderings), ``ranking``
(association and fit, one choice per hit) and ``renderings`` (``spot``, the entry point).
"""

from untm.spotting.background import Background
from untm.spotting.glosses import WordHits
from untm.spotting.ranking import CLOSED_MIN_HITS
from untm.spotting.renderings import MIN_SCORE, Rendering, Spotting, spot
from untm.spotting.words import Token, phrases, tokens

__all__ = [
    "CLOSED_MIN_HITS",
    "MIN_SCORE",
    "Background",
    "Rendering",
    "Spotting",
    "Token",
    "WordHits",
    "phrases",
    "spot",
    "tokens",
]
