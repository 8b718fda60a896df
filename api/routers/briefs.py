"""Brief generator API (thin: the logic lives in assistant.briefs).

POST /api/briefs           the brief as JSON (sections, citations, bibliography, warnings)
POST /api/briefs/docx      the same brief as a Word document
POST /api/briefs/markdown  the same brief as Markdown
GET  /api/briefs/formats   formats, audiences and lengths, for forms
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException
from fastapi.responses import PlainTextResponse, Response

from api.deps import Caller, Services, get_caller, get_services
from assistant.briefs.formats import load_library
from assistant.briefs.generator import BriefError
from assistant.briefs.models import Brief, BriefRequest
from assistant.render.brief_markdown import brief_markdown, export_basename
from assistant.render.brief_docx import brief_docx
from assistant.render.clauses_docx import DOCX_MEDIA_TYPE
from assistant.index.vectorstore import VectorStoreUnavailable

router = APIRouter(prefix="/api/briefs", tags=["notes et communiqués"])


def _brief(request: BriefRequest, services: Services, caller: Caller) -> Brief:
    generator = services.ready_briefs()  # French 503 when the index or the vector store is missing
    try:
        return generator.generate(request, audiences=caller.audiences)
    except BriefError as exc:
        raise HTTPException(422, detail=str(exc)) from exc
    except VectorStoreUnavailable as exc:
        raise HTTPException(503, detail=f"Service de recherche indisponible : {exc}") from exc


@router.post("", response_model=Brief)
def create_brief(request: BriefRequest, services: Services = Depends(get_services),
                 caller: Caller = Depends(get_caller)) -> Brief:
    """Rédiger une note, un communiqué, une fiche argumentaire ou une FAQ ; `exclude` régénère une section."""
    return _brief(request, services, caller)


@router.post("/docx", response_class=Response,
             responses={200: {"content": {DOCX_MEDIA_TYPE: {}}, "description": "Document Word"}})
def brief_as_docx(request: BriefRequest, services: Services = Depends(get_services),
                  caller: Caller = Depends(get_caller)) -> Response:
    brief = _brief(request, services, caller)
    return Response(brief_docx(brief), media_type=DOCX_MEDIA_TYPE, headers={
        "Content-Disposition": f'attachment; filename="{export_basename(brief)}.docx"'})


@router.post("/markdown", response_class=PlainTextResponse)
def brief_as_markdown(request: BriefRequest, services: Services = Depends(get_services),
                      caller: Caller = Depends(get_caller)) -> PlainTextResponse:
    brief = _brief(request, services, caller)
    return PlainTextResponse(brief_markdown(brief, services.settings.prompts_dir), media_type="text/markdown", headers={
        "Content-Disposition": f'attachment; filename="{export_basename(brief)}.md"'})


@router.get("/formats")
def formats(services: Services = Depends(get_services)) -> dict:
    library = load_library(services.settings.prompts_dir)
    return {"formats": [{"id": f.id, "label": f.label, "sections": [s.title for s in f.sections]}
                        for f in library.formats.values()],
            "audiences": [{"id": k, "label": v["label"]} for k, v in library.audiences.items()],
            "lengths": list(library.lengths)}
