"""Documents: catalog, readable view with passage anchors, original file."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query
from fastapi.responses import FileResponse

from api.deps import Caller, get_caller, get_container
from assistant.container import Container
from assistant.services.documents import DocumentSummary, DocumentView

router = APIRouter(prefix="/api/documents", tags=["documents"])

# Original files are untrusted: never let the browser run them (an indexed .html could carry a script).
RAW_HEADERS = {"Content-Security-Policy": "sandbox; default-src 'none'", "X-Content-Type-Options": "nosniff"}
INLINE = {"application/pdf", "text/plain", "text/markdown"}


@router.get("", response_model=list[DocumentSummary], summary="Liste des documents indexés")
def list_documents(doc_type: str | None = Query(None, description="Filtrer par type de document"),
                   container: Container = Depends(get_container), caller: Caller = Depends(get_caller)):
    return container.ready_documents().list(caller.audiences, doc_type=doc_type)


# Declared before the view: doc ids contain "/", so "{doc_id:path}" alone would swallow "/raw".
@router.get("/{doc_id:path}/raw", summary="Fichier d'origine d'un document",
            responses={200: {"content": {"application/octet-stream": {}}}, 404: {"description": "Inconnu"}})
def raw_document(doc_id: str, container: Container = Depends(get_container), caller: Caller = Depends(get_caller)):
    path, media = container.ready_documents().raw(doc_id, caller.audiences)
    inline = media in INLINE
    if media.startswith("text/"):
        media += "; charset=utf-8"
    return FileResponse(path, media_type=media, filename=path.name, headers=RAW_HEADERS,
                        content_disposition_type="inline" if inline else "attachment")


@router.get("/{doc_id:path}", response_model=DocumentView, summary="Texte d'un document, passage par passage",
            responses={404: {"description": "Document inconnu"}})
def get_document(doc_id: str, container: Container = Depends(get_container), caller: Caller = Depends(get_caller)):
    return container.ready_documents().view(doc_id, caller.audiences)
