"""Testing support, installed with ``pelican-palimpsest[testing]``: the pytest plugin that pins every
revision's HTML, the canonical HTML form, and the conformance comparison with Jekyll's output."""
