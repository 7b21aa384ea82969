"""Renderers: the document model to DOCX, PDF and HTML. They know nothing of the ITA."""
