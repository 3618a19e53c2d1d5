"""Karabakh 2020 in Data: loaders, validation and analysis of the book's datasets."""

from .data import default_data_dir, load_all, load_table, load_tables, package_summary, validate
from .validation import DataError, Discrepancy, Issue, ValidationReport

__all__ = [
    "DataError",
    "Discrepancy",
    "Issue",
    "ValidationReport",
    "default_data_dir",
    "load_all",
    "load_table",
    "load_tables",
    "package_summary",
    "validate",
]
