"""newstrace's version, in a module of its own (as Datasette keeps it) so that any module can read
it without importing the package face, which imports the pipeline."""

__version__ = "0.1.0"
__version_info__ = tuple(__version__.split("."))
