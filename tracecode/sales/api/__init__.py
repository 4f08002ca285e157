"""/api/sales/: projects, quotations, orders and their moves, documents, complaints.

Input is validated by the same forms as the pages (field errors are the same, 422), and
saved by the same services. A move the workflow refuses is 409 `illegal_transition`; an
edit saved over someone else's is 409 `conflict` with what they changed; what the caller
may not see is 404, what they may see but not change 403. Those refusals become the API's
one error shape in tracecode/api.py, whichever endpoint meets them.

One router; each file of this package adds the operations of one kind of record, its
shapes in schemas.py and the reading of input in input.py.
"""

from ninja import Router

router = Router(tags=["sales"])

# The operations register on `router` as their modules are read, in the documented order.
from . import projects, quotations, orders, documents, processing, complaints  # noqa: E402, F401, I001
from . import figures  # noqa: E402, F401
from . import from_quotation  # noqa: E402, F401
