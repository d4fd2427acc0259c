"""The generated documents of the CLI benchmark: personas, and the same content as JSON and YAML.

``generate`` writes N persona documents, variants of ``personas/*.md`` renamed consistently
(name, title, ``active`` slug, behaviour root, Usage line and file name: "Backend Engineer
00042", ``backend-engineer-00042.md``), so that every file lints clean and every slug is
unique; the same N documents as JSON (an object tree built from the version table, the title,
the ``persona_context`` and behaviour XML and the Usage line), described by ``JSON_SCHEMA``;
and the same N documents as YAML. Used by bench_cli.py, bench_jobs.py and bench_stages.py.
"""

from __future__ import annotations

import json
import re
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PERSONAS = ROOT / "personas"
# Elements that hold a list even when a document has only one of them.
LIST_TAGS = frozenset(
    {
        "gate",
        "metric",
        "tool",
        "method",
        "focus",
        "expertise",
        "domain",
        "limitation",
        "priority",
        "obsession",
        "step",
    }
)

JsonValue = Any  # the JSON object trees built here: dict, list and str


# --------------------------------------------------------------------------------------
# Generating the documents
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Template:
    """One showcase persona and the identifiers a variant renames."""

    file: Path
    text: str
    name: str  # "Backend Engineer"
    slug: str  # "backend-engineer"

    @property
    def root(self) -> str:
        return behavior_root(self.slug)


def slugify(name: str) -> str:
    """The README's slug: lowercase, every run of other characters replaced by '-'."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def behavior_root(slug: str) -> str:
    return slug.replace("-", "_") + "_behavior"


def load_templates() -> list[Template]:
    templates = []
    for file in sorted(PERSONAS.glob("*.md")):
        text = file.read_text(encoding="utf-8")
        title = re.search(r"^# (.+) Persona$", text, re.MULTILINE)
        active = re.search(r'<persona_context active="([^"]+)">', text)
        if title is None or active is None:
            print(f"note: {file.name} is not in the showcase layout; not used", file=sys.stderr)
            continue
        templates.append(Template(file, text, title.group(1), active.group(1)))
    if not templates:
        raise SystemExit(f"no persona templates in {PERSONAS}")
    return templates


def variant(template: Template, number: int) -> tuple[str, str]:
    """The file name and text of variant ``number`` of ``template``."""
    name = f"{template.name} {number:05d}"
    slug = slugify(name)
    root = behavior_root(slug)
    text = template.text
    for old, new in (
        (f"# {template.name} Persona\n", f"# {name} Persona\n"),
        (f"<name>{template.name}</name>", f"<name>{name}</name>"),
        (f'<persona_context active="{template.slug}">', f'<persona_context active="{slug}">'),
        (f"<{template.root}>", f"<{root}>"),
        (f"</{template.root}>", f"</{root}>"),
        (f"--persona {template.slug}`", f"--persona {slug}`"),
    ):
        if text.count(old) != 1:
            raise SystemExit(f"{template.file.name}: expected {old!r} exactly once")
        text = text.replace(old, new)
    return f"{slug}.md", text


# The persona dialect's two relaxations (README), rewritten for xml.etree.
_BARE_AMP = re.compile(r"&(?!(?:[A-Za-z_][\w.-]*|#[0-9]+|#x[0-9A-Fa-f]+);)")
_BARE_LT = re.compile(r"<(?![A-Za-z_/!?])")


def _element(text: str) -> ET.Element:
    return ET.fromstring(_BARE_LT.sub("&lt;", _BARE_AMP.sub("&amp;", text)))


def _text(value: str | None) -> str:
    return "\n".join(line.strip() for line in (value or "").strip().splitlines())


def element_tree(element: ET.Element) -> JsonValue:
    """An element as JSON: text for a leaf; else an object of its attributes and children,
    a child's value being a list when the tag repeats (or always holds a list)."""
    children = list(element)
    if not children and not element.attrib:
        return _text(element.text)
    tree: dict[str, JsonValue] = dict(element.attrib)
    tags = [child.tag for child in children]
    for child in children:
        value = element_tree(child)
        if child.tag in LIST_TAGS or tags.count(child.tag) > 1:
            tree.setdefault(child.tag, []).append(value)
        else:
            tree[child.tag] = value
    return tree


def document_tree(text: str) -> JsonValue:
    """The content of a persona document as one JSON object."""
    table = re.search(r"^\|-.*\n\|(.*)\|\s*$", text, re.MULTILINE)
    title = re.search(r"^# (.+)$", text, re.MULTILINE)
    usage = re.search(r"^\*\*Usage\*\*: (.*)$", text, re.MULTILINE)
    blocks = re.findall(r"^```xml\n(.*?)^```", text, re.MULTILINE | re.DOTALL)
    if table is None or title is None or usage is None or len(blocks) < 2:
        raise SystemExit("a generated persona lacks its table, title, usage or XML blocks")
    version, last_updated, status = (cell.strip() for cell in table.group(1).split("|"))
    behavior = _element(blocks[1])
    return {
        "version": version,
        "last_updated": last_updated,
        "status": status,
        "title": title.group(1),
        "persona_context": element_tree(_element(blocks[0])),
        "behavior": {"root": behavior.tag, "sections": element_tree(behavior)},
        "usage": usage.group(1),
    }


def _list_of(item: JsonValue, *, unique: bool = False) -> JsonValue:
    schema = {"type": "array", "items": item, "minItems": 1}
    return {**schema, "uniqueItems": True} if unique else schema


def _object(*required: str, **properties: JsonValue) -> JsonValue:
    names = list(required) + [name for name in properties if name not in required]
    return {
        "type": "object",
        "required": list(required),
        "properties": {name: properties.get(name, {"$ref": "#/$defs/text"}) for name in names},
        "additionalProperties": False,
    }


TEXT_LIST = {"$ref": "#/$defs/text_list"}
SECTION = {"type": "object", "minProperties": 1}

# The JSON counterpart of schemas/persona.xsd and behavior.xsd, plus the checks persona-lint
# makes on the table, the slug, the behaviour root and the Usage line.
JSON_SCHEMA: JsonValue = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://example.invalid/persona.schema.json",
    "title": "Persona document (benchmark counterpart of persona-lint's XSD schemas)",
    "$defs": {
        "text": {"type": "string", "minLength": 1, "pattern": "\\S"},
        "text_list": _list_of({"$ref": "#/$defs/text"}),
    },
    "type": "object",
    "required": [
        "version",
        "last_updated",
        "status",
        "title",
        "persona_context",
        "behavior",
        "usage",
    ],
    "additionalProperties": False,
    "properties": {
        "version": {
            "type": "string",
            "pattern": r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
            r"(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$",
        },
        "last_updated": {"type": "string", "format": "date"},
        "status": {"enum": ["draft", "review", "stable", "deprecated"]},
        "title": {"type": "string", "pattern": "^\\S.* Persona$"},
        "usage": {"type": "string", "pattern": "`--persona [a-z0-9]+(-[a-z0-9]+)*`"},
        "persona_context": {
            "type": "object",
            "required": [
                "active",
                "persona_identity",
                "thinking_framework",
                "quality_standards",
                "tool_preferences",
                "collaboration_patterns",
                "domain_knowledge",
                "error_handling_philosophy",
            ],
            "minProperties": 9,  # at least one persona-specific section
            "properties": {
                "active": {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"},
                "persona_identity": _object(
                    "name",
                    "expertise_domain",
                    "experience_level",
                    "perspective",
                    experience_level={
                        "enum": [
                            "Junior",
                            "Intermediate",
                            "Senior",
                            "Staff",
                            "Lead",
                            "Principal",
                            "Expert",
                        ]
                    },
                ),
                "thinking_framework": _object(
                    "primary_lens",
                    "decision_priorities",
                    "problem_solving_method",
                    "trade_off_preferences",
                ),
                "quality_standards": _object(
                    "mandatory_gates",
                    "success_metrics",
                    "risk_tolerance",
                    "validation_approach",
                    mandatory_gates=_object(
                        "gate", gate=_list_of({"$ref": "#/$defs/text"}, unique=True)
                    ),
                    success_metrics=_object("metric", metric=TEXT_LIST),
                ),
                "tool_preferences": _object(
                    "primary_tools",
                    "analysis_methods",
                    "automation_focus",
                    "documentation_style",
                    primary_tools=_object("tool", tool=TEXT_LIST),
                    analysis_methods=_object("method", method=TEXT_LIST),
                    automation_focus=_object("focus", focus=TEXT_LIST),
                ),
                "collaboration_patterns": _object(
                    "communication_style",
                    "knowledge_sharing",
                    "conflict_resolution",
                    "mentoring_approach",
                ),
                "domain_knowledge": _object(
                    "core_expertise",
                    "adjacent_domains",
                    "blind_spots",
                    "learning_priorities",
                    core_expertise=_object("expertise", expertise=TEXT_LIST),
                    adjacent_domains=_object("domain", domain=TEXT_LIST),
                    blind_spots=_object("limitation", limitation=TEXT_LIST),
                    learning_priorities=_object("priority", priority=TEXT_LIST),
                ),
                "error_handling_philosophy": _object("principle", "approach", "escalation"),
            },
            "additionalProperties": SECTION,
        },
        "behavior": {
            "type": "object",
            "required": ["root", "sections"],
            "additionalProperties": False,
            "properties": {
                "root": {"type": "string", "pattern": "^[a-z0-9]+(_[a-z0-9]+)*_behavior$"},
                "sections": {
                    "type": "object",
                    "minProperties": 1,
                    "properties": {
                        "quality_obsessions": _object(
                            "obsession", obsession=_list_of({"$ref": "#/$defs/text"}, unique=True)
                        ),
                        "problem_solving_style": _object(
                            "approach", "tools", "validation", "iteration"
                        ),
                    },
                    "additionalProperties": SECTION,
                },
            },
        },
    },
}


def to_yaml(value: JsonValue, indent: int = 0) -> Iterator[str]:
    """Block-style YAML lines; every string double-quoted (JSON escapes are YAML escapes)."""
    pad = " " * indent
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, str):
                yield f"{pad}{key}: {json.dumps(item, ensure_ascii=False)}"
            else:
                yield f"{pad}{key}:"
                yield from to_yaml(item, indent + 2)
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, str):
                yield f"{pad}- {json.dumps(item, ensure_ascii=False)}"
            else:
                yield f"{pad}-"
                yield from to_yaml(item, indent + 2)
    else:
        yield f"{pad}{json.dumps(value, ensure_ascii=False)}"


@dataclass(frozen=True)
class Corpus:
    """One size's generated files, as paths relative to ``base``."""

    base: Path
    markdown: str  # the folder holding the persona documents
    json_files: list[str]
    yaml_files: list[str]
    first_markdown: str
    size_bytes: int


def generate(base: Path, count: int, templates: Sequence[Template]) -> Corpus:
    folders = {kind: base / kind for kind in ("md", "json", "yaml")}
    for folder in folders.values():
        folder.mkdir(parents=True)
    json_files, yaml_files, first, size = [], [], "", 0
    for number in range(count):
        file_name, text = variant(templates[number % len(templates)], number)
        stem = file_name.removesuffix(".md")
        tree = document_tree(text)
        (folders["md"] / file_name).write_text(text, encoding="utf-8")
        (folders["json"] / f"{stem}.json").write_text(
            json.dumps(tree, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        yaml_text = "---\n" + "\n".join(to_yaml(tree)) + "\n"
        (folders["yaml"] / f"{stem}.yaml").write_text(yaml_text, encoding="utf-8")
        json_files.append(f"json/{stem}.json")
        yaml_files.append(f"yaml/{stem}.yaml")
        size += len(text.encode())
        first = first or f"md/{file_name}"
    return Corpus(base, "md", json_files, yaml_files, first, size)
