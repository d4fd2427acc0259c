"""BM200-BM216: the ``<agent>`` block's fence, its well-formedness and its schema."""

from __future__ import annotations

from collections.abc import Iterator

from persona_lint.diagnostics import Diagnostic, Severity
from persona_lint.document.model import Document, XmlBlock, shared
from persona_lint.formats.bmad import agent_code_blocks
from persona_lint.rules.bmad.agent import agent_block
from persona_lint.rules.context import RuleContext
from persona_lint.rules.registry import finding, rule
from persona_lint.rules.xml_findings import schema_findings, syntax_findings
from persona_lint.xml.libxml import attributes, explained, is_valid
from persona_lint.xml.schema import validate_against
from persona_lint.xml.shape import SchemaIssue

E = Severity.ERROR
SCHEMA = "bmad-agent.xsd"
_SYNTAX_CODES = {"syntax": "BM201", "doctype": "BM202", "depth": "BM203"}
# The persona schema rules' codes, as the shared schema machinery reports them, and ours.
_SCHEMA_CODES = {f"PL21{digit}": f"BM21{digit}" for digit in "0123456"}


def _diagnostics(document: Document) -> list[Diagnostic]:
    return document.once(_computed)


@shared("bmad xml")
def _computed(document: Document) -> list[Diagnostic]:
    found = list(syntax_findings(document, _SYNTAX_CODES))
    block = agent_block(document)
    root = block.root if block is not None else None
    if block is not None and root is not None and not is_valid(root, SCHEMA):
        issues = explained(lambda tree: validate_against(SCHEMA, tree), root)
        found.extend(_empty_attribute(document, block, i) for i in issues if _attribute_of(i))
        others = [issue for issue in issues if not _attribute_of(issue)]
        found.extend(schema_findings(document, block, others, _SCHEMA_CODES))
    return found


def _attribute_of(issue: SchemaIssue) -> str | None:
    """The empty attribute an "is empty" issue is about (``icon=""``), if any."""
    if issue.code != "PL213":
        return None
    found = attributes(issue.element).items()  # linear, however many attributes it holds
    return next((name for name, value in found if not value.strip()), None)


def _empty_attribute(document: Document, block: XmlBlock, issue: SchemaIssue) -> Diagnostic:
    """BM213 at the empty attribute's value, said as such (not as an empty element)."""
    name = _attribute_of(issue)
    line, column = block.locate_attribute(issue.element, name or "")
    message = f"<{issue.element.tag}> attribute {name}= is empty"
    return finding("BM213", document, line, column, message)


def _only(code: str, document: Document) -> Iterator[Diagnostic]:
    return (d for d in _diagnostics(document) if d.code == code)


@rule("BM200", "agent-outside-xml-fence", E, "the <agent> block is not in an ```xml fence")
def agent_outside_xml_fence(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """The `<agent>` block stands in a fence that is not ```` ```xml ````.

    ## What it does
    Reports, at its opening fence, a code block that holds the `<agent>` element but whose
    info string is not `xml` (an installer that wrapped the whole agent file in a
    ```` ```yaml ```` fence, swallowing its own ```` ```xml ```` fence). The block is not
    checked further.

    ## Why is this bad?
    The tool that loads the agent looks for an ```` ```xml ```` block: the agent inside
    another fence is read as YAML or plain text, so its activation never runs.

    ## Example
    ````markdown
    ```yaml
    <agent id="pm.agent.yaml" name="John" title="Product Manager" icon="📋">
    ```
    ````

    ## Use instead
    ````markdown
    ```xml
    <agent id="pm.agent.yaml" name="John" title="Product Manager" icon="📋">
    ```
    ````
    """
    if agent_block(document) is not None:
        return
    for block in agent_code_blocks(document):
        if block.language != "xml":
            fence = f"a ```{block.language} fence" if block.language else "a fence with no language"
            message = f"the <agent> block is in {fence}, not ```xml"
            yield finding("BM200", document, block.fence_line, block.fence_column, message)
            return


@rule("BM201", "agent-xml-syntax", E, "the <agent> block is not well-formed")
def agent_xml_syntax(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """An ```` ```xml ```` block of an agent file is not well-formed.

    ## What it does
    Reports the first well-formedness error of each ```` ```xml ```` block, in the same
    dialect and with the same messages as PL201: a bare `&` or a `<` that cannot start
    markup is literal text, everything else (matching tags, quoted attributes, known
    entities) is strict XML.

    ## Why is this bad?
    The agent is read up to the error, or not at all: an unclosed `<step>` swallows every
    step after it.

    ## Example
    ```xml
    <step n="3">Remember: user's name is {user_name}</stepp>
    ```

    ## Use instead
    ```xml
    <step n="3">Remember: user's name is {user_name}</step>
    ```
    """
    return _only("BM201", document)


@rule("BM202", "agent-doctype", E, "a DOCTYPE or entity declaration in the <agent> block")
def agent_doctype(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """An ```` ```xml ```` block of an agent file declares a DOCTYPE or an entity.

    ## What it does
    Reports a `<!DOCTYPE` or `<!ENTITY` declaration, as PL202 does; nothing after it is read.

    ## Why is this bad?
    Entities can read other files or expand to gigabytes; an agent needs none.

    ## Example
    ```xml
    <!DOCTYPE agent [<!ENTITY x "y">]>
    ```

    ## Use instead
    ```xml
    <agent id="pm.agent.yaml" name="John" title="Product Manager" icon="📋">
    ```
    """
    return _only("BM202", document)


@rule("BM203", "agent-nesting-depth", E, "elements of the <agent> block nested too deeply")
def agent_nesting_depth(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """Elements of an agent file are nested more than 64 levels deep.

    ## What it does
    Reports the element that goes past 64 levels, as PL203 does.

    ## Why is this bad?
    Agents nest four or five levels; thousands are an attack on the parser's stack.

    ## Example
    ```xml
    <a><a><a> ... (65 levels) ... </a></a></a>
    ```

    ## Use instead
    ```xml
    <menu><item cmd="MH or fuzzy match on menu">[MH] Menu</item></menu>
    ```
    """
    return _only("BM203", document)
