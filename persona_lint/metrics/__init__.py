"""Success metrics: what a ``<metric>`` says, read as subject, comparator and threshold.

A metric names what is measured (the *subject*), how it is compared, and the target
(the *threshold*, with an optional *unit*), followed by *qualifiers*::

    API response time   <            200         ms     for 95% of requests
    subject             comparator   threshold   unit   qualifier (percentile 95)

Before anything else the text is normalised: the entities ``&lt;`` ``&gt;`` ``&amp;``
``&le;`` ``&ge;`` ``&quot;`` ``&apos;`` and character references (``&#10;``) are
unescaped, in case the text still has them, and every run of whitespace becomes one
space. Every position reported is an offset into this normalised text.

Forms
-----
The forms are tried in this order; the first that applies wins.

1. **A comparison symbol**: ``<`` ``<=`` ``>`` ``>=`` ``=`` ``≤`` ``≥``. A text that
   contains a comparison symbol must contain exactly one, directly followed by a threshold
   (or by ``BASELINE by THRESHOLD``); anything else is a ``malformed-comparison``
   (``API latency << 200ms``, ``Latency < ms``, ``Latency <= > 5ms``, ``Latency <``)::

       SUBJECT OP THRESHOLD [UNIT] TAIL        Error rate < 0.1% for production traffic
       SUBJECT OP BASELINE by THRESHOLD TAIL   Cost per query < baseline by 25%
       OP THRESHOLD [UNIT] LEAD                < 15 minute incident response time

2. **A comparison in words**, found before any number and directly followed by a
   threshold: ``within`` (kept as its own comparator), ``under`` ``below`` ``less than``
   ``fewer than`` (``<``), ``at most`` ``up to`` ``no more than`` (``<=``), ``over``
   ``above`` ``more than`` ``greater than`` (``>``), ``at least`` ``no less than``
   ``no fewer than`` (``>=``), ``exactly`` (``=``). The same three shapes as above:
   ``Patch deployment within 48 hours``, ``At least 99.9% uptime``. A comparison word
   without a threshold is plain text: ``Memory usage within iOS recommendations``.

3. **Relative**: a threshold followed by a comparative, then ``than BASELINE`` or
   nothing: ``Development velocity 2x faster than native``, ``Build 3x faster``.
   Comparatives: ``faster`` ``slower`` ``higher`` ``lower`` ``more`` ``less`` ``fewer``
   ``better`` ``cheaper`` ``smaller`` ``larger``. A ``than`` with nothing after it is a
   ``malformed-comparison``.

4. **A stated target** (comparator ``implied``: the subject says which direction is
   good)::

       SUBJECT: THRESHOLD [UNIT] TAIL          Security vulnerability score: zero high-severity
       THRESHOLD [UNIT] LEAD                   99.99% infrastructure availability
       SUBJECT (THRESHOLD [UNIT]) TAIL         Smooth performance on low-end devices (60 FPS)
       SUBJECT THRESHOLD [UNIT] TAIL           Checks passing on 100% of audited routes

5. **No measurable threshold**: anything else (``Performance benchmarks met``,
   ``Support for two regions``). The subject is the whole text; comparator, threshold,
   unit, qualifiers, percentile and baseline are empty.

Thresholds
----------
* *number*: ``200``, ``0.1``, ``.5``, ``1,000``, ``-5``, ``10k`` / ``1.5M`` (thousands,
  millions), ``$4`` (the currency is the unit).
* *ratio*: ``4.0/5.0``, ``4.5/5``: the value is ``4.0``, the scale ``5.0``.
* *multiplier*: ``2x``, ``1.5×``.
* *word*: ``zero`` to ``twelve``, ``hundred``, ``thousand``, ``none``, and ``no`` as the
  first word (``No single point of failure``). Number words count only at the start of
  the text, after a comparison or after ``:``; elsewhere they are ordinary words.

Units
-----
Attached (``200ms``) or as the next word (``15 minutes``), case-insensitive, plurals
accepted; the canonical form is on the left:

* ``μs`` ``ms`` ``s``: ``µs``, ``microsecond``; ``msec``, ``millisecond``; ``sec``,
  ``second``.
* ``minute`` ``hour`` ``day`` ``week`` ``month`` ``quarter`` ``year``: also ``min``,
  ``h``/``hr``, ``d``, ``wk``, ``yr``; ``business day`` (also ``working day``).
* ``%`` (also ``percent``), ``KB`` ``MB`` ``GB`` ``TB``, ``FPS``, ``req/s`` (``rps``,
  ``requests/sec``), ``$`` ``€`` ``£`` (written before the number).
* rates ``/s`` ``/minute`` ``/hour`` ``/day`` ``/week`` ``/month`` ``/quarter``
  ``/year``: ``10/day``, ``10 deployments/day`` (the counted noun is dropped) and, after
  a number without a unit, ``0 per quarter``.

Subject, lead, tail and qualifiers
----------------------------------
The SUBJECT is the text before the comparison, without a trailing ``:`` ``,`` ``;``. A
LEAD, after a threshold that opens the text, is a subject up to the first qualifier word
or punctuation mark (``,`` ``;`` ``.``). A TAIL is split into qualifiers:

* a qualifier word starts a new qualifier that runs to the next qualifier word: ``for``
  ``with`` ``without`` ``on`` ``per`` ``in`` ``at`` ``over`` ``across`` ``during``
  ``within`` ``under`` ``after`` ``before`` ``from`` ``by`` ``via`` ``when`` ``while``
  ``until`` ``excluding`` ``including`` ``vs`` ``vs.`` ``versus``;
* outside such a phrase, the markers ``average`` ``avg`` ``mean`` ``median`` ``target``
  ``goal`` ``peak`` ``maximum`` ``minimum`` and percentiles ``p95`` ``p99.9`` are
  qualifiers of their own; other words form a qualifier up to the next boundary
  (``> 98% user coverage``);
* ``,`` ``;`` and ``.`` (at the end of the text or standing alone) end a qualifier and
  are dropped.

A percentile in the subject (``Response time p95 < 200ms``) moves to the front of the
qualifiers. The *percentile* is taken from the first qualifier that has one: ``p95``,
``for 95% of requests``, ``at the 75th percentile``. The *baseline* comes from
``than BASELINE``, ``OP BASELINE by THRESHOLD``, or else from a ``vs BASELINE``
qualifier (which stays a qualifier).

Value checks
------------
:func:`check_value` reports ``percentage-range`` (a percentile, or a percentage that is
not relative to a baseline, outside 0-100: ``Coverage > 120%``), ``score-scale`` (a ratio
above its scale or below zero, or a scale that is not positive: ``Satisfaction > 6/5``)
and ``negative-value`` (a negative duration, size, rate, frame rate or multiplier:
``Latency < -5ms``). A unitless number may be negative (``Net promoter score > -10``).

:func:`contradicts` tells whether two metrics on the same subject cannot both hold
(``Error rate < 0.1%`` and ``Error rate > 5%``). Subjects are compared ignoring case and
whitespace. It compares only metrics with the same percentile whose qualifiers are a
subset one of the other, converts between units of one kind (``200ms`` against ``1 s``,
``10/day`` against ``7/week``) and never compares different kinds (months against days,
ratios with different scales). ``within`` counts as ``<=``; a stated target counts as
``=`` when it is zero (``Zero high-severity vulnerabilities``) and is otherwise not
compared; metrics with a baseline or a comparative are never compared.
"""

from persona_lint.metrics.check import check_value, contradicts, subject_key
from persona_lint.metrics.format import format_metric
from persona_lint.metrics.model import Comparator, Metric, MetricProblem, Threshold
from persona_lint.metrics.parse import parse_metric
from persona_lint.metrics.tokens import normalise

__all__ = [
    "Comparator",
    "Metric",
    "MetricProblem",
    "Threshold",
    "check_value",
    "contradicts",
    "format_metric",
    "normalise",
    "parse_metric",
    "subject_key",
]
