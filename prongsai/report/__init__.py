"""Plain-text reports for the terminal (the documents proper live in prongsai.documents)."""
