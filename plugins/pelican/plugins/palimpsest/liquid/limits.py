"""python-liquid's resource limits, set from :class:`~..limits.Limits` and explained when reached.

python-liquid bounds the iterations of nested loops (multiplied), the bytes one template or
capture writes and the size of assigned variables; it reads the bounds from class attributes.
Its loop bound holds for one loop nest at a time, so many loops just under it would still run for
minutes: :class:`CountingContext` adds up every loop of one render as well.
"""

from __future__ import annotations

from liquid import BoundTemplate, Environment, RenderContext
from liquid.exceptions import LocalNamespaceLimitError, LoopIterationLimitError, OutputStreamLimitError, ResourceLimitError

from ..limits import SETTINGS

__all__ = ["CountingContext", "CountingTemplate", "limit_error"]


class CountingContext(RenderContext):
    """A render context counting the iterations of all loops of one render (includes too)."""

    iterations = 0  # on the render's first context, which every copy leads back to

    def raise_for_loop_limit(self, length: int = 1) -> None:
        root: RenderContext = self
        while root.parent_context is not None:
            root = root.parent_context
        bound = self.env.loop_iteration_limit
        if isinstance(root, CountingContext) and bound:
            root.iterations += length
            if root.iterations > bound:
                raise LoopIterationLimitError("loop iteration limit reached", token=None)
        super().raise_for_loop_limit(length)


class CountingTemplate(BoundTemplate):
    """A template rendered with a :class:`CountingContext`."""

    context_class = CountingContext


# What each limit error says, python-liquid's attribute holding the bound, and our Limits field.
_MESSAGES: dict[type[ResourceLimitError], tuple[str, str, str]] = {
    LoopIterationLimitError: ("loops would run more than {} times", "loop_iteration_limit", "liquid_loop"),
    OutputStreamLimitError: ("output is larger than {} bytes", "output_stream_limit", "liquid_output"),
    LocalNamespaceLimitError: ("assigned variables hold more than {} bytes", "local_namespace_limit", "liquid_locals"),
}


def limit_error(err: ResourceLimitError, environment: Environment) -> ResourceLimitError:
    """*err* saying which limit was reached and the setting that raises it."""
    found = _MESSAGES.get(type(err))
    if found is None:  # nesting and include depth: python-liquid's own words are clear
        return err
    text, attribute, field = found
    bound = getattr(environment, attribute)
    return type(err)(f"{text.format(bound)} (set {SETTINGS[field]} to allow more)", token=err.token)
