"""The decorator stacks every endpoint of a kind shares, so a view says only what differs.

    @blp.creates("/wishes", WishCreateSchema, WishCreatedSchema)     # POST, Idempotency-Key, 201
    @blp.lists("/wishes/mine", MineQuery, WishSchema)                # GET, query args, a page
    @blp.reads("/wishes/<int:wish_id>", WishSchema)                   # GET one
    @blp.acts("/wishes/<int:wish_id>/release", WishSchema, WishReleaseSchema)  # POST an action

Each stands for flask-smorest's own decorators, in this order: route, (idempotent), doc,
arguments, response, (paginate). `public=True` leaves out the bearer security of the docs (the
view still decides who it serves). An endpoint that fits none writes the decorators out.
"""
from .common import BEARER, QueryPage
from .common import Blueprint as PagingBlueprint
from .idempotency import IDEMPOTENCY_DOC, idempotent


class Blueprint(PagingBlueprint):
    def _stack(self, rule: str, method: str, decorators: list):
        def register(view):
            for decorator in reversed(decorators):
                view = decorator(view)
            return self.route(rule, methods=[method])(view)
        return register

    def _doc(self, public: bool, **extra):
        if not public:
            extra = {"security": BEARER, **extra}
        return self.doc(**extra) if extra else (lambda view: view)

    def creates(self, rule: str, body, response, *, status: int = 201, public: bool = False):
        """A POST that creates something; a repeated Idempotency-Key replays the first answer."""
        return self._stack(rule, "POST", [idempotent, self._doc(public, **IDEMPOTENCY_DOC),
                                          self.arguments(body), self.response(status, response)])

    def lists(self, rule: str, query, item, *, public: bool = False):
        """A GET of one page of `item`s, filtered by the `query` schema's arguments."""
        return self._stack(rule, "GET", [self._doc(public), self.arguments(query, location="query"),
                                         self.response(200, item(many=True)),
                                         self.paginate(QueryPage)])

    def reads(self, rule: str, response, *, query=None, public: bool = False):
        """A GET of one object (or of one document, e.g. a summary)."""
        args = [self.arguments(query, location="query")] if query is not None else []
        return self._stack(rule, "GET", [self._doc(public), *args, self.response(200, response)])

    def acts(self, rule: str, response, body=None, *, status: int = 200):
        """A POST that acts on an object (a transition), answering with the object."""
        args = [self.arguments(body)] if body is not None else []
        return self._stack(rule, "POST", [self._doc(False), *args, self.response(status, response)])
