"""Linting: the pure core, what follows the rules, the result cache, and one whole run."""
