"""Structure: validating XML blocks against the XSD schemas, in a persona author's words.

The schemas are loaded once per process from the package's own files, from bytes, with
``allow="none"`` and ``defuse="always"``: nothing they contain can make xmlschema read
another file or open the network. Documents are handed to xmlschema as element trees we
built ourselves, never as strings, so no text can be taken for a path or a URL, and
location hints are never used.
"""

from __future__ import annotations

import io
from functools import cache
from typing import Any
from xml.etree.ElementTree import Element

from persona_lint.xml.shape import (
    BEHAVIOR_STAND_IN,
    SchemaIssue,
    check_approaches,
    check_tail,
    schema_dir,
)

# More attributes on one element than this are reported, not validated (no persona element
# takes more than one or two).
MAX_ATTRIBUTES = 256
# Schema errors reported per block before validation stops: xmlschema builds a costly report
# for each (260,000 stray children took 25 s); past a hundred, a reader fixes and re-runs.
MAX_SCHEMA_ERRORS = 100
MAX_CHILDREN = 256  # child elements of one element that validation accepts to describe


def _import_xmlschema() -> Any:
    """Import xmlschema without letting it read system files.

    On import, xmlschema builds its meta-schema from its own package files through
    ``urllib.request.urlopen("file://...")``, whose file handler calls ``mimetypes``, which
    on first use reads /etc/mime.types and the like. Initialising ``mimetypes`` with no files
    first keeps the run to the files it was asked to lint (the built-in table is enough:
    nothing here needs a MIME type).
    """
    import mimetypes  # 12 ms, and needed only before xmlschema's import

    if not mimetypes.inited:
        known = mimetypes.knownfiles
        mimetypes.knownfiles = []  # read by init() when it is first called
        try:
            mimetypes.init()
        finally:
            mimetypes.knownfiles = known
    import xmlschema  # imported lazily: commands that validate nothing stay fast

    return xmlschema


def schema_from_bytes(data: bytes) -> Any:
    """An xmlschema XSD 1.0 schema built from ``data``, reading no other file, no network."""
    return _import_xmlschema().XMLSchema10(io.BytesIO(data), allow="none", defuse="always")


@cache
def _load(name: str) -> Any:
    return schema_from_bytes((schema_dir() / name).read_bytes())


def persona_schema() -> Any:
    """The xmlschema schema of ``<persona_context>`` blocks (persona.xsd), loaded once."""
    return _load("persona.xsd")


def behavior_schema() -> Any:
    """The xmlschema schema of behaviour blocks (behavior.xsd), loaded once."""
    return _load("behavior.xsd")


def validate_against(schema_name: str, root: Element) -> list[SchemaIssue]:
    """Validate ``root`` against ``schema_name`` of schemas/ (loaded once), in our words."""
    return _validate(_load(schema_name), root)


def validate_persona_context(root: Element) -> list[SchemaIssue]:
    """Validate a ``<persona_context>`` tree; then check the order of its last sections."""
    issues = _validate(persona_schema(), root)
    issues.extend(check_tail(root))
    return issues


def validate_behavior(root: Element) -> list[SchemaIssue]:
    """Validate a ``<*_behavior>`` tree; then check the shape of its approach sections.

    The tree is validated through the schema's stand-in root element: each persona's
    behaviour root has its own name.
    """
    stand_in = Element(BEHAVIOR_STAND_IN, root.attrib)
    stand_in.text = root.text
    stand_in.extend(list(root))
    issues = _validate(behavior_schema(), stand_in, root_name=f"<{root.tag}>")
    issues = [
        SchemaIssue(i.code, root if i.element is stand_in else i.element, i.message) for i in issues
    ]
    if not _crowded(root, ""):
        issues.extend(check_approaches(root))
    return issues


def validate_tree(schema: Any, root: Element) -> list[SchemaIssue]:
    """Validate ``root`` against any schema (a team schema's): its issues, capped."""
    return _validate(schema, root)


def _validate(schema: Any, root: Element, root_name: str = "") -> list[SchemaIssue]:
    """Validate ``root``; its issues, at most MAX_SCHEMA_ERRORS and a note when stopped."""
    crowded = _crowded(root, root_name)
    if crowded:
        return crowded
    issues: list[SchemaIssue] = []
    translator = _Translator(root, root_name or f"<{root.tag}>")
    for error in schema.iter_errors(root, use_location_hints=False):
        issue = translator.issue(error)
        if issue is None:
            continue
        if len(issues) == MAX_SCHEMA_ERRORS:
            message = (
                f"{translator.root_name}: validation stopped after {MAX_SCHEMA_ERRORS} "
                "schema errors; fix these and run again"
            )
            issues.append(SchemaIssue(issue.code, root, message))
            break
        issues.append(issue)
    return issues


def _crowded(root: Element, root_name: str) -> list[SchemaIssue]:
    """Elements with more attributes or children than a schema report can afford.

    xmlschema describes every attribute error with all the element's attributes, and builds
    one costly report for every stray child of an element before yielding any, so thousands
    of either cost seconds: they are reported instead, and the block is not validated.
    """
    issues: list[SchemaIssue] = []
    for element in root.iter():
        where = root_name if element is root and root_name else f"<{element.tag}>"
        if len(element.attrib) > MAX_ATTRIBUTES:
            message = (
                f"{where} has {len(element.attrib)} attributes (more than {MAX_ATTRIBUTES}); "
                "the block is not validated further"
            )
            issues.append(SchemaIssue("PL214", element, message))
        if len(element) > MAX_CHILDREN:
            message = (
                f"{where} has {len(element)} child elements (more than {MAX_CHILDREN}); "
                "the block is not validated further"
            )
            issues.append(SchemaIssue("PL211", element, message))
    return issues


def _allowed_children(group: Any) -> list[str]:
    """The names of the elements a content model (an XsdGroup) declares, in its order."""
    names = []
    try:
        for particle in group.iter_elements():
            name = getattr(particle, "name", None)
            if name and name not in names:
                names.append(name)
    except (AttributeError, TypeError):  # pragma: no cover - defensive, xmlschema internals
        return []
    return names


_XSI = "{http://www.w3.org/2001/XMLSchema-instance}"


class _Translator:
    """Turns xmlschema's errors into issues, from their structured fields.

    The error's class, its validator (the facet, attribute group or content model that
    failed) and the element say what went wrong; xmlschema's English ``reason`` is shown
    only for errors persona-lint has no words of its own for.
    """

    def __init__(self, root: Element, root_name: str) -> None:
        """Translate errors of the tree ``root``, called ``root_name`` in messages."""
        from xmlschema.validators import (  # xmlschema is imported only to validate
            XsdAttributeGroup,
            XsdEnumerationFacets,
            XsdGroup,
            XsdMinLengthFacet,
        )
        from xmlschema.validators.exceptions import XMLSchemaChildrenValidationError

        self.root = root
        self.root_name = root_name
        self.children_error = XMLSchemaChildrenValidationError
        self.min_length = XsdMinLengthFacet
        self.enumeration = XsdEnumerationFacets
        self.attribute_group = XsdAttributeGroup
        self.group = XsdGroup
        # How many attribute errors each element had so far: xmlschema reports the missing
        # required attributes first, then each attribute it does not declare, in order.
        self.attribute_errors: dict[Element, int] = {}

    def issue(self, error: Any) -> SchemaIssue | None:
        """The issue of one xmlschema error; None when another check says it better."""
        element = error.elem if isinstance(error.elem, Element) else self.root
        where = self.root_name if element is self.root else f"<{element.tag}>"
        validator = error.validator
        if isinstance(error, self.children_error):
            return _children_issue(error, element, where)
        if isinstance(validator, self.min_length):
            return SchemaIssue("PL213", element, f"{where} is empty")
        if isinstance(validator, self.attribute_group):
            return self.attribute_issue(error, validator, element, where)
        if isinstance(validator, self.group) and not validator.mixed:
            message = f"{where} holds elements, so it cannot also hold text"
            return SchemaIssue("PL216", element, message)
        if isinstance(validator, self.enumeration):
            allowed = ", ".join(str(value) for value in validator.enumeration)
            value = (element.text or "").strip()
            return SchemaIssue("PL216", element, f"{where} is {value!r}; expected one of {allowed}")
        return SchemaIssue("PL216", element, f"{where}: {error.reason or ''}")

    def attribute_issue(
        self, error: Any, group: Any, element: Element, where: str
    ) -> SchemaIssue | None:
        """A missing required attribute, or one the element's type does not declare."""
        missing = [name for name in group.iter_required() if name not in element.attrib]
        undeclared = [name for name in element.attrib if name not in group]
        count = self.attribute_errors.get(element, 0)
        self.attribute_errors[element] = count + 1
        if count < len(missing):
            return SchemaIssue(
                "PL214", element, f"{where} is missing the attribute {missing[count]}="
            )
        count -= len(missing)
        if count < len(undeclared) and not undeclared[count].startswith(_XSI):
            message = f"attribute {undeclared[count]}= is not allowed on {where}"
            return SchemaIssue("PL214", element, message)
        return SchemaIssue("PL216", element, f"{where}: {error.reason or ''}")


def _children_issue(error: Any, element: Element, where: str) -> SchemaIssue | None:
    """A child element missing, unknown or out of place (error.validator: the content model)."""
    expected = [getattr(e, "name", None) for e in (error.expected or [])]
    expected_names = [e for e in expected if e]
    if not expected_names and None in expected:
        return None  # the lax tail of persona_context: check_tail says it better
    allowed = _allowed_children(error.validator)
    child = error.invalid_child
    listing = " or ".join(f"<{n}>" for n in expected_names)
    if child is None:
        return SchemaIssue("PL210", element, f"{where} is missing {listing}")
    if child.tag not in allowed:
        choices = ", ".join(f"<{n}>" for n in allowed)
        hint = f"expected {listing}" if len(expected_names) == 1 else f"expected one of {choices}"
        return SchemaIssue("PL211", child, f"unknown element <{child.tag}> in {where}; {hint}")
    if any(n in allowed and allowed.index(n) < allowed.index(child.tag) for n in expected_names):
        return SchemaIssue("PL210", element, f"{where} is missing {listing} (before <{child.tag}>)")
    place = f"expected {listing} here" if listing else "nothing more is allowed here"
    return SchemaIssue("PL212", child, f"<{child.tag}> is out of place in {where}; {place}")
