"""Document management for staff and admins: upload, metadata, re-index, delete, audit log.

Thin: the work is in assistant/services/documents.py (DocumentManager) and assistant/services/uploads.py
(checks); their typed errors become French HTTP errors in api/errors.py.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from api.deps import Caller, get_container, require_role
from assistant.container import Container
from assistant.services.audit import AuditEntry
from assistant.services.documents import Actor, ChangeResult, DocumentManager, ManagedList
from assistant.services.uploads import UploadRefused, UploadTooLarge, format_max, receive_multipart

staff = require_role("staff", "admin")
router = APIRouter(prefix="/api/admin", tags=["administration des documents"])
FORM_OVERHEAD = 64 * 1024  # multipart boundaries and text fields around the file


def get_manager(caller: Caller = Depends(staff), container: Container = Depends(get_container)) -> DocumentManager:
    """One manager per app (its lock serialises changes), opened on first use by staff only."""
    return container.document_manager


class MetadataPatch(BaseModel):
    title: str | None = Field(None, max_length=300)
    doc_type: str | None = Field(None, max_length=60)
    date: str | None = Field(None, max_length=40)
    audience: str | None = Field(None, max_length=40)
    source: str | None = Field(None, max_length=1000)


def _actor(caller: Caller) -> Actor:
    return Actor(role=caller.role, user_id=caller.user_id, name=getattr(caller, "name", None))


@router.get("/documents", response_model=ManagedList, summary="Tous les documents (toutes audiences) et leurs totaux")
def list_documents(caller: Caller = Depends(staff), manager: DocumentManager = Depends(get_manager)):
    return manager.list()


@router.post("/documents", response_model=ChangeResult, status_code=201, summary="Déposer un document",
             openapi_extra={"requestBody": {"content": {"multipart/form-data": {"schema": {
                 "type": "object", "required": ["file"], "properties": {
                     "file": {"type": "string", "format": "binary"}, "title": {"type": "string"},
                     "doc_type": {"type": "string"}, "date": {"type": "string"}, "audience": {"type": "string"},
                     "source": {"type": "string"}}}}}}})
async def upload_document(request: Request, caller: Caller = Depends(staff),
                          manager: DocumentManager = Depends(get_manager)):
    # The body is read here, after the role check, and streamed to disk: never whole in memory.
    limit = manager.max_upload_bytes
    declared = request.headers.get("content-length")
    try:
        if declared and declared.isdigit() and int(declared) > limit + FORM_OVERHEAD:
            raise UploadTooLarge(f"Fichier trop volumineux : la limite est de {format_max(limit)}.")
        received = await receive_multipart(request.headers.get("content-type", ""), request.stream(),
                                           manager.data_dir, limit)
    except UploadRefused as exc:
        # Refusals before the file is known are audited too (who tried to send what size).
        await run_in_threadpool(lambda: manager.audit.record("refus", **_actor(caller).audit(), details={
            "motif": exc.message, "octets_annoncés": declared}))
        raise
    try:
        return await run_in_threadpool(manager.add, received.path, received.filename, received.fields,
                                       _actor(caller))
    finally:
        received.discard()


@router.patch("/documents/{doc_id:path}", response_model=ChangeResult, summary="Modifier les métadonnées (réindexe)")
def patch_document(doc_id: str, patch: MetadataPatch, caller: Caller = Depends(staff),
                   manager: DocumentManager = Depends(get_manager)):
    return manager.update(doc_id, patch.model_dump(exclude_none=True), _actor(caller))


@router.post("/documents/{doc_id:path}/reindex", response_model=ChangeResult, summary="Réindexer un document")
def reindex_document(doc_id: str, caller: Caller = Depends(staff), manager: DocumentManager = Depends(get_manager)):
    return manager.reindex(doc_id, _actor(caller))


@router.post("/reindex", response_model=list[ChangeResult], summary="Réindexer tous les documents")
def reindex_all(caller: Caller = Depends(staff), manager: DocumentManager = Depends(get_manager)):
    return manager.reindex_all(_actor(caller))


@router.delete("/documents/{doc_id:path}", response_model=ChangeResult, summary="Supprimer un document déposé")
def delete_document(doc_id: str, caller: Caller = Depends(staff), manager: DocumentManager = Depends(get_manager)):
    return manager.delete(doc_id, _actor(caller))


@router.get("/audit", response_model=list[AuditEntry], summary="Journal des modifications de documents")
def audit_log(limit: int = Query(100, ge=1, le=1000), doc_id: str | None = Query(None),
              caller: Caller = Depends(staff), manager: DocumentManager = Depends(get_manager)):
    return manager.audit_entries(limit, doc_id)
