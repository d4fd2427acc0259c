"""``persona-lint new NAME``: a complete persona skeleton in the canonical layout.

The name gives everything that must agree (rules PL401-PL407): the title ``# NAME
Persona``, ``persona_identity/name``, the ``active`` slug, the behaviour block's root
``<slug_with_underscores_behavior>``, the Usage line's ``--persona slug`` and the file name
``slug.md``. The version table says ``0.1.0``, today, ``draft``.

Everything a person has to write is a ``{placeholder}`` in braces, which rule PL901
reports: the skeleton lints with no error and with exactly one PL901 warning per
placeholder, and once every placeholder is replaced with real text it lints clean. Two
values are real from the start because the schema only allows a fixed set:
``experience_level`` (``Senior``; also Junior, Intermediate, Staff, Lead, Principal,
Expert) and the first gate, which starts with "Security" to meet the default gate policy
(PL502).
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

from persona_lint.document.persona import behavior_root, slugify
from persona_lint.errors import RunError
from persona_lint.rules.version import render_table

# An XML name (ASCII letters, digits, "_" after the first), for the behaviour root.
_XML_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class ScaffoldError(RunError):
    """The persona cannot be created (exit code 2)."""


def slug_for(name: str) -> str:
    """The slug of a persona name, or ScaffoldError when the name cannot be used."""
    clean = " ".join(name.split())
    if not clean or any(char in clean for char in "<>{}&|`\\"):
        raise ScaffoldError(
            f"cannot use {name!r} as a persona name: use words, digits, spaces, '-', '.', "
            "'/' or '+'"
        )
    if clean.endswith(" Persona") or clean == "Persona":
        raise ScaffoldError(f"leave 'Persona' out of the name: the title adds it ({name!r})")
    slug = slugify(clean)
    if not slug or not _XML_NAME.match(behavior_root(slug)):
        raise ScaffoldError(
            f"cannot use {name!r} as a persona name: its slug {slug!r} must start with a "
            "letter (it names the behaviour block's root element)"
        )
    return slug


def skeleton(name: str, today: datetime.date) -> str:
    """The text of a new persona named ``name`` (words separated by one space)."""
    name = " ".join(name.split())
    slug = slug_for(name)
    root = behavior_root(slug)
    section = slug.replace("-", "_") + "_framework"
    table = "\n".join(
        render_table(("version", "last_updated", "status"), ("0.1.0", today.isoformat(), "draft"))
    )
    rule = "─" * 80
    return f"""{table}

# {name} Persona

{rule}

```xml
<persona_context active="{slug}">

  <persona_identity>
    <name>{name}</name>
    <expertise_domain>{{expertise domain}}</expertise_domain>
    <experience_level>Senior</experience_level>
    <perspective>{{perspective in one sentence}}</perspective>
  </persona_identity>

  <thinking_framework>
    <primary_lens>{{primary lens}}</primary_lens>
    <decision_priorities>
      1. {{first priority}}
      2. {{second priority}}
      3. {{third priority}}
    </decision_priorities>
    <problem_solving_method>
      {{first step}} → {{second step}} → {{third step}}
    </problem_solving_method>
    <trade_off_preferences>
      {{trade-off preference}}
    </trade_off_preferences>
  </thinking_framework>

  <quality_standards>
    <mandatory_gates>
      <gate>Security review of {{what must be secure}}</gate>
      <gate>{{second mandatory gate}}</gate>
    </mandatory_gates>
    <success_metrics>
      <metric>{{first measurable metric}}</metric>
      <metric>{{second measurable metric}}</metric>
    </success_metrics>
    <risk_tolerance>
      {{risk tolerance}}
    </risk_tolerance>
    <validation_approach>
      {{first validation}} → {{second validation}} → {{third validation}}
    </validation_approach>
  </quality_standards>

  <tool_preferences>
    <primary_tools>
      <tool>{{first tool}}</tool>
      <tool>{{second tool}}</tool>
    </primary_tools>
    <analysis_methods>
      <method>{{first analysis method}}</method>
      <method>{{second analysis method}}</method>
    </analysis_methods>
    <automation_focus>
      <focus>{{first automation focus}}</focus>
      <focus>{{second automation focus}}</focus>
    </automation_focus>
    <documentation_style>
      {{documentation style}}
    </documentation_style>
  </tool_preferences>

  <collaboration_patterns>
    <communication_style>
      {{communication style}}
    </communication_style>
    <knowledge_sharing>
      {{knowledge sharing}}
    </knowledge_sharing>
    <conflict_resolution>
      {{conflict resolution}}
    </conflict_resolution>
    <mentoring_approach>
      {{mentoring approach}}
    </mentoring_approach>
  </collaboration_patterns>

  <domain_knowledge>
    <core_expertise>
      <expertise>{{first core expertise}}</expertise>
      <expertise>{{second core expertise}}</expertise>
    </core_expertise>
    <adjacent_domains>
      <domain>{{first adjacent domain}}</domain>
      <domain>{{second adjacent domain}}</domain>
    </adjacent_domains>
    <blind_spots>
      <limitation>{{first blind spot}}</limitation>
      <limitation>{{second blind spot}}</limitation>
    </blind_spots>
    <learning_priorities>
      <priority>{{first learning priority}}</priority>
      <priority>{{second learning priority}}</priority>
    </learning_priorities>
  </domain_knowledge>

  <{section}>
    <process>
      <step>1. {{first process step}}</step>
      <step>2. {{second process step}}</step>
      <step>3. {{third process step}}</step>
    </process>
  </{section}>

  <error_handling_philosophy>
    <principle>{{error handling principle}}</principle>
    <approach>
      {{error handling approach}}
    </approach>
    <escalation>
      {{first escalation stage}} → {{second escalation stage}} → {{third escalation stage}}
    </escalation>
  </error_handling_philosophy>

</persona_context>
```

{rule}

## Behavioral Characteristics

```xml
<{root}>

  <development_approach>
    <always_start_with>{{what to start with}}</always_start_with>
    <default_thinking>{{default thinking}}</default_thinking>
    <decision_criteria>{{decision criteria}}</decision_criteria>
    <pattern_preference>{{pattern preference}}</pattern_preference>
  </development_approach>

  <quality_obsessions>
    <obsession>{{first quality obsession}}</obsession>
    <obsession>{{second quality obsession}}</obsession>
  </quality_obsessions>

  <communication_patterns>
    <in_documentation>{{how to write documentation}}</in_documentation>
  </communication_patterns>

  <problem_solving_style>
    <approach>{{problem solving approach}}</approach>
    <tools>{{problem solving tools}}</tools>
    <validation>{{problem solving validation}}</validation>
    <iteration>{{iteration style}}</iteration>
  </problem_solving_style>

</{root}>
```

{rule}

**Usage**: {{when to apply this persona}}, or explicitly via `--persona {slug}`.
"""


def write_new(target: Path, text: str) -> Path:
    """Write ``text`` to ``target`` (creating its folder); never overwrites a file."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except FileExistsError:
        raise ScaffoldError(f"{target} already exists; not overwritten") from None
    except OSError as exc:
        raise ScaffoldError(f"cannot write {target}: {exc.strerror or exc}") from None
    return target
