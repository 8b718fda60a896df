"""Brief generator API (thin: the logic lives in assistant.briefs).

POST /api/briefs           the brief as JSON (sections, citations, bibliography, warnings)
POST /api/briefs/docx      the same brief as a Word document
POST /api/briefs/markdown  the same brief as Markdown
GET  /api/briefs/formats   formats, audiences and lengths, for forms
"""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import PlainTextResponse, Response

from api.deps import Caller, allowed_to, get_container, ready_briefs
from assistant.briefs.models import Brief, BriefRequest
from assistant.container import Container
from assistant.render.brief_review import brief_review_markdown
from assistant.render.brief_markdown import brief_markdown, export_basename
from assistant.render.brief_docx import brief_docx
from assistant.render.clauses_docx import DOCX_MEDIA_TYPE

router = APIRouter(prefix="/api/briefs", tags=["notes et communiqués"])


def _brief(request: BriefRequest, container: Container, caller: Caller) -> Brief:
    return ready_briefs(container).generate(request, audiences=caller.audiences)


@router.post("", response_model=Brief)
def create_brief(request: BriefRequest, container: Container = Depends(get_container),
                 caller: Caller = Depends(allowed_to("briefs"))) -> Brief:
    """Rédiger une note, un communiqué, une fiche argumentaire ou une FAQ ; `exclude` régénère une section."""
    return _brief(request, container, caller)


@router.post("/docx", response_class=Response,
             responses={200: {"content": {DOCX_MEDIA_TYPE: {}}, "description": "Document Word"}})
def brief_as_docx(request: BriefRequest, container: Container = Depends(get_container),
                  caller: Caller = Depends(allowed_to("briefs"))) -> Response:
    brief = _brief(request, container, caller)
    return Response(brief_docx(brief), media_type=DOCX_MEDIA_TYPE, headers={
        "Content-Disposition": f'attachment; filename="{export_basename(brief)}.docx"'})


@router.post("/markdown", response_class=PlainTextResponse)
def brief_as_markdown(request: BriefRequest, container: Container = Depends(get_container),
                      caller: Caller = Depends(allowed_to("briefs"))) -> PlainTextResponse:
    brief = _brief(request, container, caller)
    return PlainTextResponse(brief_markdown(brief, container.prompts), media_type="text/markdown", headers={
        "Content-Disposition": f'attachment; filename="{export_basename(brief)}.md"'})


@router.post("/relecture", response_class=PlainTextResponse, summary="Fiche de relecture (interne) d'une note")
def brief_review(request: BriefRequest, container: Container = Depends(get_container),
                 caller: Caller = Depends(allowed_to("briefs"))) -> PlainTextResponse:
    """Ce que l'équipe vérifie avant diffusion (chiffres anciens, sources écartées, sections peu fournies) : jamais
    dans le document lui-même."""
    brief = _brief(request, container, caller)
    return PlainTextResponse(brief_review_markdown(brief), media_type="text/markdown", headers={
        "Content-Disposition": f'attachment; filename="relecture-{export_basename(brief)}.md"'})


@router.get("/formats")
def formats(container: Container = Depends(get_container)) -> dict:
    library = container.brief_library
    return {"formats": [{"id": f.id, "label": f.label, "sections": [s.title for s in f.sections]}
                        for f in library.formats.values()],
            "audiences": [{"id": k, "label": v["label"]} for k, v in library.audiences.items()],
            "lengths": list(library.lengths)}
