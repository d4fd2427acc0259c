"""The persona document: its Markdown blocks, tables, XML blocks and persona names."""
