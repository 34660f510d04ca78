"""What the HTML standard says about elements, as the modules that read HTML need it."""

VOID_ELEMENTS = frozenset(["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"])
