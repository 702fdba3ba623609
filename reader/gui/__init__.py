"""The Qt layer. The only package that may import PySide6."""
