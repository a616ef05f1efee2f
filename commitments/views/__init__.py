"""Public pages, one module per family of pages; urls.py maps their addresses."""
