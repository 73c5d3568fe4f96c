"""The old module path of ``plan2rdf.publish``, kept while cli/commands.py imports from it.

Import from ``plan2rdf.publish`` instead; delete this module once nothing imports it.
"""

from plan2rdf.publish.endpoint import Endpoint
from plan2rdf.publish.upload import publish

__all__ = ["Endpoint", "publish"]
