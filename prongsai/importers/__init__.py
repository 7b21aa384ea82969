"""Import of legacy ITA reports (text, DOCX, PDF, scans) into reviewable interchange drafts.

extract/   file -> text lines (chosen by content, not by extension)
recognise/ text lines -> fields with source lines and confidence
evaluate   drafts against hand-annotated ground truth (field-level precision/recall/F1)
"""

from prongsai.importers.errors import ImportFailure

__all__ = ["ImportFailure"]
