"""The decorator stacks every endpoint of a kind shares, so a view says only what differs.

    @blp.creates("/wishes", WishCreateSchema, WishCreatedSchema)     # POST, Idempotency-Key, 201
    @blp.lists("/wishes/mine", MineQuery, WishSchema)                # GET, query args, a page
    @blp.reads("/wishes/<int:wish_id>", WishSchema)                   # GET one
    @blp.acts("/wishes/<int:wish_id>/release", WishSchema, WishReleaseSchema)  # POST an action
    @blp.downloads("/pairings.xlsx", query=PairingCommunityQuery)    # GET a file (downloads.py)

Each stands for flask-smorest's own decorators, in this order: route, (idempotent), doc,
arguments, response, (paginate). `public=True` leaves out the bearer security of the docs (the
view still decides who it serves). Where a variant is needed: `lists(rule, None, item)` for a
list without filters, `reads(rule, Item(many=True))` for a whole (unpaged) list,
`acts(..., method="PUT"/"PATCH"/"DELETE", status=201/204)` for a change that is not a POST
action, `endpoint=` and doc keywords (`summary=`) for views made in a loop. An endpoint that fits
none (an upload, a MethodView) writes the decorators out.
"""
from .common import BEARER, QueryPage
from .common import Blueprint as PagingBlueprint
from .downloads import XLSX, FileKind
from .idempotency import IDEMPOTENCY_DOC, idempotent


class Blueprint(PagingBlueprint):
    def _stack(self, rule: str, method: str, decorators: list, endpoint: str | None = None):
        def register(view):
            for decorator in reversed(decorators):
                view = decorator(view)
            return self.route(rule, methods=[method], endpoint=endpoint)(view)
        return register

    def _doc(self, public: bool, **extra):
        if not public:
            extra = {"security": BEARER, **extra}
        return self.doc(**extra) if extra else (lambda view: view)

    def _query(self, query) -> list:
        return [self.arguments(query, location="query")] if query is not None else []

    def creates(self, rule: str, body, response, *, status: int = 201, public: bool = False,
                endpoint: str | None = None, **doc):
        """A POST that creates something; a repeated Idempotency-Key replays the first answer."""
        return self._stack(rule, "POST", [idempotent, self._doc(public, **doc, **IDEMPOTENCY_DOC),
                                          self.arguments(body), self.response(status, response)],
                           endpoint)

    def lists(self, rule: str, query, item, *, public: bool = False, page_size: int | None = None,
              endpoint: str | None = None, **doc):
        """A GET of one page of `item`s, filtered by the `query` schema's arguments (None: no
        filters); `page_size` changes the default size of a page."""
        paging = {"page_size": page_size} if page_size is not None else {}
        return self._stack(rule, "GET", [self._doc(public, **doc), *self._query(query),
                                         self.response(200, item(many=True)),
                                         self.paginate(QueryPage, **paging)], endpoint)

    def reads(self, rule: str, response, *, query=None, public: bool = False):
        """A GET of one object (or of one document, e.g. a summary, or a whole short list)."""
        return self._stack(rule, "GET", [self._doc(public), *self._query(query),
                                         self.response(200, response)])

    def acts(self, rule: str, response, body=None, *, status: int = 200, method: str = "POST",
             public: bool = False, endpoint: str | None = None, **doc):
        """A POST that acts on an object (a transition), answering with the object; also a PUT,
        PATCH or DELETE (`method`) of one, and a POST that answers 201 without an
        Idempotency-Key (`status`)."""
        args = [self.arguments(body)] if body is not None else []
        return self._stack(rule, method, [self._doc(public, **doc), *args,
                                          self.response(status, response)], endpoint)

    def downloads(self, rule: str, *, query=None, kind: FileKind = XLSX):
        """A GET of a file of `kind` (miniapp_api/downloads.py); the view answers with
        `kind.answer(body, filename)`."""
        return self._stack(rule, "GET", [self._doc(False, responses=kind.responses()),
                                         *self._query(query)])
