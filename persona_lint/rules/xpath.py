"""XPath for rules in configuration: XPath 1.0 through elementpath, bounded by construction.

A pull request writes the configuration, so an expression must not be able to make a run
slow or large. elementpath's XPath 1.0 parser already leaves out what makes XPath 2.0 and
3.0 unbounded (``for`` over ranges, ``1 to 1e9``, sequences, inline and recursive
functions, regular expressions); on top of it, :func:`compile_xpath` refuses an expression:

- longer than :data:`MAX_LENGTH` characters, or with more than :data:`MAX_PREDICATES`
  predicates (``[...]``, each evaluated once per candidate node);
- using a variable, a namespace axis or a function outside :data:`FUNCTIONS` (``id``,
  ``lang`` and the like), or the ``following``/``preceding`` axes (each step would visit
  the whole document from every node: quadratic);
- with more than :data:`MAX_DESCENDANT_STEPS` step over any number of levels (``//``,
  ``descendant::`` down, ``ancestor::`` up): a second one would visit every node's whole
  subtree, or all its ancestors (up to the depth limit, 64) from every node;
- with, inside a predicate (evaluated once per candidate node), a step that is not
  ``child``, ``attribute`` or ``self`` (``//``, ``..``, ``ancestor::``, a sibling axis, an
  absolute path): such a predicate could look at the whole block from every node.

What is left costs, per evaluation, a small constant times the number of elements and the
length of their text: every step keeps a node set without duplicates (at most the block's
elements), the one step over any number of levels visits each element at most a depth's
number of times, and a predicate only looks below its
node. elementpath is pure Python (a few microseconds per node visited), so
:mod:`persona_lint.rules.configured` also caps the elements of a block it evaluates. The
caps are documented in docs/plugins.md and docs/security.md.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from xml.etree.ElementTree import Element

if TYPE_CHECKING:
    from elementpath import Selector

MAX_LENGTH = 256
MAX_DESCENDANT_STEPS = 1
MAX_PREDICATES = 8
# XPath 1.0 functions whose cost is linear in their arguments.
FUNCTIONS = frozenset(
    {
        "boolean",
        "ceiling",
        "concat",
        "contains",
        "count",
        "false",
        "floor",
        "last",
        "local-name",
        "name",
        "normalize-space",
        "not",
        "number",
        "position",
        "round",
        "starts-with",
        "string",
        "string-length",
        "substring",
        "substring-after",
        "substring-before",
        "sum",
        "translate",
        "true",
    }
)
# Node tests, literals, operators and the axes that go down or stay.
_PLAIN = frozenset(
    {
        "(name)",
        "(string)",
        "(integer)",
        "(decimal)",
        "(float)",
        "*",
        ".",
        "@",
        "[",
        "(",
        "/",
        "|",
        "and",
        "or",
        "=",
        "!=",
        "<",
        "<=",
        ">",
        ">=",
        "+",
        "-",
        "div",
        "mod",
        "text",
        "node",
        "comment",
        "processing-instruction",
        "child",
        "attribute",
        "self",
    }
)
# Steps that may not stand inside a predicate; those going down count against the cap.
_UPWARDS = frozenset({"..", "parent", "ancestor", "ancestor-or-self"})
_DOWNWARDS = frozenset({"//", "descendant", "descendant-or-self"})
# Steps over any number of levels: from every node of a set, a whole subtree or every
# ancestor (block size x depth: eleven ancestor steps took 2.8 s on a 5,000-element block).
_ANY_LEVELS = _DOWNWARDS | {"ancestor", "ancestor-or-self"}
_SIDEWAYS = frozenset({"following-sibling", "preceding-sibling"})


class XPathRefused(ValueError):
    """An expression persona-lint does not evaluate: its message says why."""


def compile_xpath(expression: str) -> Selector:
    """The compiled selector of ``expression``, or :class:`XPathRefused` saying why."""
    return _compile(expression)


@lru_cache(maxsize=256)
def _compile(expression: str) -> Selector:
    """:func:`compile_xpath`, memoised: each file of a run evaluates the same expressions."""
    # elementpath (about 40 ms) only for a configuration that has rules.
    from elementpath import ElementPathError, Selector, XPath1Parser

    if len(expression) > MAX_LENGTH:
        raise XPathRefused(f"longer than {MAX_LENGTH} characters")
    if not expression.strip():
        raise XPathRefused("empty")
    try:
        selector = Selector(expression, parser=XPath1Parser)
    except ElementPathError as exc:
        raise XPathRefused(_first_line(str(exc))) from None
    steps = list(_refused_or_down(selector.root_token, inside=False))
    if steps.count("[") > MAX_PREDICATES:
        raise XPathRefused(f"more than {MAX_PREDICATES} predicates ('[...]')")
    if len(steps) - steps.count("[") > MAX_DESCENDANT_STEPS:
        raise XPathRefused(
            f"more than {MAX_DESCENDANT_STEPS} step over any number of levels ('//', "
            "'descendant::', 'ancestor::')"
        )
    return selector


def _refused_or_down(token: Any, *, inside: bool) -> Iterator[str]:
    """Yield each step over any number of levels and each predicate; raise at a refused one.

    ``inside``: the token stands in a predicate.
    """
    symbol: str = token.symbol
    if symbol in _DOWNWARDS or symbol in _UPWARDS or symbol in _SIDEWAYS:
        if inside:
            raise XPathRefused(f"{symbol!r} inside a predicate ('[...]') is not evaluated")
        if symbol in _SIDEWAYS:
            raise XPathRefused(f"the axis {symbol!r} is not evaluated")
    elif symbol == "/" and len(token) == 1 and inside:
        raise XPathRefused("an absolute path inside a predicate ('[...]') is not evaluated")
    elif symbol not in _PLAIN and symbol not in FUNCTIONS:
        raise XPathRefused(f"{symbol!r} is not evaluated")
    if symbol in _ANY_LEVELS or symbol == "[":
        yield symbol
    for index, child in enumerate(token):
        yield from _refused_or_down(child, inside=inside or (symbol == "[" and index > 0))


def evaluate(selector: Selector, root: Element) -> list[Any]:
    """The items ``selector`` gives with ``root`` as the context: elements, or values."""
    found = selector.select(root)
    return list(found) if isinstance(found, list) else [found]


def _first_line(message: str) -> str:
    """The first line of elementpath's message, which may go on with the expression."""
    return message.strip().splitlines()[0] if message.strip() else "invalid XPath"
