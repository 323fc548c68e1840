"""Rouei (漏えい): Japanese data-breach incidents, each fact with its evidence."""

__version__ = "0.1.0"
