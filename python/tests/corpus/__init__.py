"""The broken-extract corpus: the clean demo extract, one defect per case, and what must come out."""
