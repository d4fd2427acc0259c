"""The I/O edge of a run: reading files within limits, walking folders, decoding, writing."""
