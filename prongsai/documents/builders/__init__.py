"""Builders: an interchange document in, a format-neutral document model out."""
