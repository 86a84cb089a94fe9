"""Raw snapshots from the evidence store, served so that they cannot run anything."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException
from starlette.responses import Response

from ..deps import SettingsDep, StoreDep, Viewer
from ..evidence_files import SnapshotTooLarge, is_sha256, read_snapshot
from ..security import EVIDENCE_CSP

router = APIRouter()


@router.get("/evidence/{sha256}")
def evidence(sha256: str, user: Viewer, store: StoreDep, settings: SettingsDep) -> Response:
    if not is_sha256(sha256):
        raise HTTPException(status_code=404)
    try:
        snapshot = read_snapshot(settings.evidence_dir, sha256)
    except SnapshotTooLarge:
        raise HTTPException(status_code=413) from None
    if snapshot is None:
        raise HTTPException(status_code=404)
    store.audit(user.username, "view_evidence", f"evidence:{sha256}")
    return Response(
        content=snapshot.body,
        media_type=f"text/html; charset={snapshot.charset}",
        headers={
            "Content-Security-Policy": EVIDENCE_CSP,
            "X-Content-Type-Options": "nosniff",
        },
    )
