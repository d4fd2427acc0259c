"""Helpers for the hardening tests: hostile inputs made at test time, and a persona-lint
subprocess watched by an audit hook (and, where available, by strace)."""
