"""The moves of a record's workflow as the API offers them (orders, projects, quotations,
complaints alike): which are possible now, and making one."""

from .. import services, workflow
from .schemas import MoveOut


def moves_of(record) -> list[MoveOut]:
    """The moves the record's workflow allows now, with what their guards still miss."""
    flow = workflow.of(record)
    return [
        MoveOut(
            action=move.action,
            label=str(move.label),
            to_state=move.target,
            fields=list(move.fields),
            missing=flow.missing(record, move),
        )
        for move in flow.available(record)
    ]


def move(request, record, action: str, payload):
    """Make the move: 409 `illegal_transition` when not allowed now, 422 for bad details."""
    return services.transition(
        record, action, user=request.user, data=payload.dict(exclude_unset=True)
    )
