"""Team schemas: XSD 1.0 files whose global elements declare a team's own sections.

A team that adds persona-specific sections (``<release_checklist>``) to its personas
declares them as global elements of its own XSD files (the ``schemas`` setting). The
built-in schemas leave those sections open (a lax wildcard in ``persona_context``'s tail,
``BehaviorType`` in the behaviour block); a section whose name a team schema declares is
validated against that declaration, with libxml2's fast verdict first and xmlschema's
issues only when libxml2 rejects it, as for the built-in schemas.

A pull request writes team schemas, so :func:`check_team_schema` accepts only what both
validators read the same way and nothing that reaches out: no DOCTYPE, no
``include``/``import``/``redefine``/``override`` (every schema is a file listed in the
configuration), no ``targetNamespace`` (persona sections have none), no ``pattern`` facet
(xmlschema matches patterns with Python's backtracking regular expressions, whose time a
pattern such as ``(a|a)*b`` makes exponential), and no redefinition of a built-in element.
Both validators must then compile it. Every refusal names the line of the schema file.
"""

from __future__ import annotations

from functools import cache
from typing import Any, NamedTuple
from xml.etree import ElementTree
from xml.etree.ElementTree import Element

from persona_lint.xml.libxml import as_etree
from persona_lint.xml.schema import schema_from_bytes, validate_tree
from persona_lint.xml.shape import (
    BEHAVIOR_STAND_IN,
    CORE_SECTIONS,
    LAST_SECTION,
    SchemaIssue,
    behavior_sections,
    schema_dir,
)

XSD = "{http://www.w3.org/2001/XMLSchema}"
# Schema components that would read another file (or a URL).
_REFERENCES = ("include", "import", "redefine", "override")


class TeamSchemaError(Exception):
    """A team schema persona-lint refuses: what is wrong, and the 1-based line (if known)."""

    def __init__(self, message: str, line: int | None = None) -> None:
        """Keep the message and the line of the schema file it is about."""
        super().__init__(message)
        self.message = message
        self.line = line


@cache
def built_in_elements() -> frozenset[str]:
    """The element names the built-in schemas own: their global elements, the core sections."""
    persona = ElementTree.fromstring((schema_dir() / "persona.xsd").read_bytes())
    names = {element.get("name", "") for element in persona.findall(f"{XSD}element")}
    return frozenset(
        names
        | set(behavior_sections().known)
        | set(CORE_SECTIONS)
        | {LAST_SECTION, BEHAVIOR_STAND_IN}
    )


def check_team_schema(data: bytes) -> tuple[tuple[str, int], ...]:
    """The sections a team schema declares, each with its line; or TeamSchemaError.

    Compiles the schema with libxml2, which gives the verdict on every section (once per
    content and process), so that a schema it refuses is refused at once, as a
    configuration error. xmlschema compiles it only to explain a section libxml2 rejects
    (:func:`validate_section`): compiling it on every run cost 0.35 s of a 0.5 s run.
    """
    from lxml import etree  # 40 ms to import: only configurations with team schemas pay it

    try:
        document = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise TeamSchemaError(f"not well-formed XML: {exc.msg}", exc.lineno) from None
    if document.getroottree().docinfo.doctype:
        raise TeamSchemaError("a DOCTYPE is not allowed in a team schema", 1)
    if document.tag != f"{XSD}schema":
        raise TeamSchemaError(f"not an XSD schema (root {document.tag!r})", document.sourceline)
    if document.get("targetNamespace") is not None:
        raise TeamSchemaError(
            "targetNamespace is not allowed: persona sections have no namespace",
            document.sourceline,
        )
    for element in document.iter(etree.Element):
        _refuse_reference(element)
    declared = tuple(
        (element.get("name", ""), element.sourceline or 1)
        for element in document.iterchildren(f"{XSD}element")
    )
    if not declared:
        raise TeamSchemaError("declares no global element (no team section)", document.sourceline)
    for name, line in declared:
        if name in built_in_elements():
            raise TeamSchemaError(f"redefines the built-in element <{name}>", line)
    _compile(data)
    return declared


def _refuse_reference(element: Any) -> None:
    """Refuse a component that reads another file or a URL, and a pattern facet."""
    tag = element.tag
    if not isinstance(tag, str) or not tag.startswith(XSD):
        return
    kind = tag[len(XSD) :]
    if kind in _REFERENCES:
        location = element.get("schemaLocation") or element.get("namespace") or ""
        what = "a URL" if "://" in location or location.startswith("urn:") else "another file"
        raise TeamSchemaError(
            f"xs:{kind} of {what} is not allowed (list every team schema in 'schemas')",
            element.sourceline,
        )
    if kind == "pattern":
        raise TeamSchemaError(
            "xs:pattern is not allowed in a team schema (its regular expression could take "
            "exponential time); use xs:enumeration or xs:maxLength",
            element.sourceline,
        )


def _compile(data: bytes) -> None:
    """Compile the schema with libxml2; TeamSchemaError if it refuses."""
    from lxml import etree  # see check_team_schema

    try:
        _libxml_schema(data)
    except etree.XMLSchemaParseError as exc:
        entry = exc.error_log.last_error if exc.error_log else None
        message = entry.message if entry is not None else str(exc)
        raise TeamSchemaError(f"invalid XSD: {message}", entry.line if entry else None) from None


@cache
def _parser() -> Any:
    """libxml2's parser for team schemas: no DTD, no entities, no network, no huge trees."""
    from lxml import etree  # see check_team_schema

    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


@cache
def _libxml_schema(data: bytes) -> Any:
    """libxml2's compiled schema of a team schema's bytes (once per content and process)."""
    from lxml import etree  # see check_team_schema

    return etree.XMLSchema(etree.fromstring(data, _parser()))


@cache
def xmlschema_schema(data: bytes) -> Any:
    """The xmlschema schema of a team schema's bytes, reading nothing else."""
    return schema_from_bytes(data)


class TeamVerdict(NamedTuple):
    """What validating one section against a team schema found."""

    valid: bool
    issues: tuple[SchemaIssue, ...]


def libxml_verdict(data: bytes, section: Element) -> bool | None:
    """libxml2's verdict on ``section`` (an element tree); None when it cannot tell."""
    from lxml import etree  # see check_team_schema

    detached = Element(section.tag, section.attrib)
    detached.text = section.text
    detached.extend(list(section))
    text = ElementTree.tostring(detached, encoding="unicode")
    if "xmlns" in text:
        return None  # namespaces: the validator of record decides (as xml.libxml does)
    try:
        return bool(_libxml_schema(data).validate(etree.fromstring(text, _parser())))
    except etree.XMLSyntaxError:  # pragma: no cover - a tree we built serialises well
        return None


def validate_section(data: bytes, section: Element) -> TeamVerdict:
    """Validate one section against the team schema ``data`` that declares its name.

    libxml2 answers first; xmlschema says why only when libxml2 rejects the section (or
    cannot tell). An error xmlschema reports but cannot word is one issue at the section.
    """
    tree, originals = as_etree(section)  # libxml2 builds the documents' trees (xml.libxml)
    if libxml_verdict(data, tree):
        return TeamVerdict(True, ())
    try:
        schema = xmlschema_schema(data)
    except Exception as exc:  # xmlschema's parse errors have no common base but Exception
        # libxml2 compiled the schema when the configuration was read, and rejected (or
        # could not judge) this section: it is not valid, in libxml2's word alone.
        reason = getattr(exc, "message", None) or str(exc).split("\n", 1)[0]
        message = f"<{section.tag}> does not match its declaration (xmlschema: {reason})"
        return TeamVerdict(False, (SchemaIssue("PL217", section, message),))
    issues = [i._replace(element=originals[i.element]) for i in validate_tree(schema, tree)]
    if issues:
        return TeamVerdict(False, tuple(issues))
    if schema.is_valid(tree, use_location_hints=False):
        return TeamVerdict(True, ())
    message = f"<{section.tag}> does not match its declaration"
    return TeamVerdict(False, (SchemaIssue("PL217", section, message),))
