from ninja import Router, Schema

from tracecode.core.api import answers

router = Router(tags=["accounts"])


class Me(Schema):
    username: str
    name: str
    email: str
    role: str


@router.get("/me", response=answers(Me), summary="The signed-in user")
def me(request):
    user = request.user
    return Me(username=user.username, name=user.get_full_name(), email=user.email, role=user.role)
