"""``persona-lint new --format bmad-agent NAME``: a BMAD agent file that lints clean.

The agent is in the latest generation's shape (an ``.agent.yaml`` id, compound menu
triggers, ``<r>`` rules, a handler for each kind of target its menu uses); what a person
writes (identity, style, principles, the menu) is left as plain sentences to replace.
"""

# ruff: noqa: E501
from __future__ import annotations

import datetime

from persona_lint.document.persona import slugify
from persona_lint.scaffold import ScaffoldError

# The template's lines are the agent file's lines, as long as BMAD writes them.
_TEMPLATE = """---
name: "{slug}"
description: "{name}"
---

You must fully embody this agent's persona and follow all activation instructions exactly as specified. NEVER break character until given an exit command.

```xml
<agent id="{slug}.agent.yaml" name="{name}" title="{name}" icon="🤖">
<activation critical="MANDATORY">
  <step n="1">Load persona from this current agent file (already in context)</step>
  <step n="2">Load and read {{project-root}}/_bmad/config.yaml now and store {{user_name}}, {{communication_language}} and {{output_folder}}</step>
  <step n="3">Show greeting using {{user_name}}, communicate in {{communication_language}}, then display numbered list of ALL menu items from menu section</step>
  <step n="4">STOP and WAIT for user input - accept number or cmd trigger or fuzzy command match</step>
  <menu-handlers>
    <handlers>
      <handler type="exec">When menu item has: exec="path/to/file.md": read fully and follow the file at that path</handler>
    </handlers>
  </menu-handlers>
  <rules>
    <r>ALWAYS communicate in {{communication_language}}</r>
    <r>Stay in character until exit selected</r>
  </rules>
</activation>
<persona>
  <role>What {name} does, in one line.</role>
  <identity>Who {name} is: background and expertise.</identity>
  <communication_style>How {name} speaks.</communication_style>
  <principles>What {name} believes and always does.</principles>
</persona>
<menu>
  <item cmd="MH or fuzzy match on menu or help">[MH] Redisplay Menu Help</item>
  <item cmd="WS or fuzzy match on workflow-start" exec="{{project-root}}/_bmad/workflows/start/workflow.md">[WS] Start the main workflow</item>
  <item cmd="DA or fuzzy match on exit, leave, goodbye or dismiss agent">[DA] Dismiss Agent</item>
</menu>
</agent>
```
"""


def agent_slug(name: str) -> str:
    """The agent's slug (its name in lowercase, runs of other characters made ``-``).

    Raises ScaffoldError for a name that cannot stand in an XML attribute or YAML string.
    """
    clean = " ".join(name.split())
    slug = slugify(clean)
    if not slug or any(char in clean for char in '<>{}&"\\`'):
        raise ScaffoldError(
            f"cannot use {name!r} as an agent name: use words, digits, spaces, '-' or '.'"
        )
    return slug


def agent_file_name(name: str) -> str:
    """``<slug>.md``, the name ``agent@id`` (``<slug>.agent.yaml``) agrees with."""
    return f"{agent_slug(name)}.md"


def agent_skeleton(name: str, today: datetime.date) -> str:
    """The text of a new BMAD agent named ``name`` (``today`` is unused: no version table)."""
    clean = " ".join(name.split())
    return _TEMPLATE.format(name=clean, slug=agent_slug(clean))
