"""Labelled matters for measuring the method suggestion (see README.md)."""
