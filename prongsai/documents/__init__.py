"""Official documents: builders make a format-neutral model, renderers write DOCX, PDF and HTML."""
