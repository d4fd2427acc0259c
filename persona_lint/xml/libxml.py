"""libxml2 (through lxml): the parser that builds each block's tree, and the fast validator.

**One parse per block.** :func:`parse` builds the tree of a block's strict XML; the rules
read it through the ElementTree API (``.tag``, ``.text``, ``.tail``, ``.attrib``, children),
and :func:`is_valid` validates that same tree, so no block is parsed twice. Comments and
processing instructions are left out of the tree and CDATA sections become text, as in the
tree expat builds, so ``.text`` and ``.tail`` are the same and every child is an element.

**The fast verdict.** xmlschema is the validator of record: every message persona-lint
shows comes from it. But importing xmlschema and building a schema costs about a quarter of
a second per process, and validating one block about 1.6 ms, while libxml2 answers "valid
or not" in well under a tenth of a millisecond. Nearly every block persona-lint sees is
valid, so it asks libxml2 first and calls xmlschema only for blocks libxml2 rejects, to say
why (:func:`explained`). Measured on the 1,000-file benchmark (issue 17), CPU time with and
without it: one file cold 130 ms against 600 ms, 1,000 files with ``--jobs 1`` 1.4 s against
7.1 s. A differential test (tests/unit/test_fastpath.py) proves that both validators give the
same verdict on every fixture, every persona and thousands of mutations.

libxml2 is configured so that nothing can reach out: no DTD loading, no entity resolution,
no network, no huge trees (libxml2's own limits on depth and sizes stay on), the encoding
fixed to UTF-8 whatever the text declares. The parser refuses DOCTYPEs before libxml2 sees
the text.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any
from xml.etree.ElementTree import Element

from persona_lint.xml.shape import BEHAVIOR_STAND_IN, SchemaIssue, schema_dir


@cache
def _parser() -> Any:
    """libxml2's parser, with everything that could reach out turned off."""
    from lxml import etree  # 8 ms to import: commands that parse no block never pay it

    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
        remove_comments=True,
        remove_pis=True,
        strip_cdata=True,
        collect_ids=False,
        encoding="utf-8",
    )


@cache
def _schema(name: str) -> Any:
    """The compiled XSD ``name`` (from the package's schema folder)."""
    from lxml import etree  # 8 ms to import: commands that parse no block never pay it

    with open(schema_dir() / name, "rb") as handle:
        document = etree.parse(handle, _parser())
    return etree.XMLSchema(document)


def preload() -> None:
    """Load both schemas now (before worker processes fork, so that they share them)."""
    try:
        _schema("persona.xsd")
        _schema("behavior.xsd")
    except Exception:  # pragma: no cover - is_valid then answers None and xmlschema decides
        pass


def parse(strict_xml: str) -> Element | None:
    """libxml2's tree of ``strict_xml`` (lxml elements), or None if libxml2 rejects it."""
    from lxml import etree  # 8 ms to import: commands that parse no block never pay it

    try:
        root: Element = etree.fromstring(strict_xml.encode("utf-8"), _parser())
    except etree.XMLSyntaxError:
        return None
    return root


@cache
def _deeper_than(depth: int) -> Any:
    """An XPath that is true when an element stands more than ``depth`` levels deep."""
    from lxml import etree  # 8 ms to import: commands that parse no block never pay it

    return etree.XPath("boolean(" + "/*" * (depth + 1) + ")")


def deeper_than(root: Element, depth: int) -> bool:
    """Whether an element of libxml2's tree ``root`` is nested deeper than ``depth`` levels.

    Asked of libxml2 itself: a walk in Python would make an object of every element.
    """
    return bool(_deeper_than(depth)(root))


def _is_libxml_tree(root: object) -> bool:
    """Whether ``root`` is an element of a tree libxml2 built (not one of xml.etree)."""
    return not isinstance(root, Element)


def is_valid(block: str | Element, schema: str, *, behavior: bool = False) -> bool | None:
    """Whether libxml2 finds the block valid; None when it cannot tell (then ask xmlschema).

    ``block`` is the tree :func:`parse` built (validated in place), or the block rewritten as
    strict XML (see :mod:`persona_lint.xml.dialect`), parsed here; an ``xml.etree`` tree
    (from expat) gets None. ``behavior``: validate the root's content through the schema's
    stand-in root element.
    """
    if isinstance(block, str) and "xmlns" in block:
        # libxml2 reads namespace declarations (xsi:* hints among them) differently from
        # xmlschema; such blocks are rare, so the validator of record decides them (the
        # parser never gives libxml2 a block that declares a namespace).
        return None
    root = parse(block) if isinstance(block, str) else block
    if root is None or not _is_libxml_tree(root):
        return None
    if not behavior:
        return bool(_schema(schema).validate(root))
    name = root.tag
    root.tag = BEHAVIOR_STAND_IN
    try:
        return bool(_schema(schema).validate(root))
    finally:
        root.tag = name


def explained(validate: Callable[[Element], list[SchemaIssue]], root: Element) -> list[SchemaIssue]:
    """The issues ``validate`` (xmlschema) finds in ``root``, at the elements of ``root``.

    xmlschema reads an ``xml.etree`` tree, the kind it was written and tested for: a tree
    libxml2 built is copied into one (only invalid blocks come here), and each issue is
    moved back to the element it was copied from.
    """
    if not _is_libxml_tree(root):
        return validate(root)
    copy, originals = as_etree(root)
    return [issue._replace(element=originals[issue.element]) for issue in validate(copy)]


@cache
def _every_attribute() -> Any:
    """An XPath that selects every attribute of an element, in document order."""
    from lxml import etree  # 8 ms to import: commands that parse no block never pay it

    return etree.XPath("@*")


def attributes(element: Element) -> dict[str, str]:
    """The attributes of an element (of either tree), in time linear in their number.

    lxml looks each attribute's value up by its name, so ``dict(element.attrib)`` takes
    time quadratic in their number (8 s for the 50,000 attributes a 1 MiB file holds);
    libxml2's XPath hands out every attribute node in one pass (0.06 s).
    """
    if not _is_libxml_tree(element):
        return dict(element.attrib)
    return {value.attrname: str(value) for value in _every_attribute()(element)}


def as_etree(root: Element) -> tuple[Element, dict[Element, Element]]:
    """An ``xml.etree`` copy of ``root``, and each copied element's original."""
    copy = Element(root.tag, attributes(root))
    copy.text, copy.tail = root.text, None
    originals = {copy: root}
    pending = [(root, copy)]
    while pending:
        original, copied = pending.pop()
        for child in original:
            element = Element(child.tag, attributes(child))
            element.text, element.tail = child.text, child.tail
            copied.append(element)
            originals[element] = child
            pending.append((child, element))
    return copy, originals
