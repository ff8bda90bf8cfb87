"""Flask app factory."""

from __future__ import annotations

from flask import Flask, jsonify
from sqlalchemy import func, select

from archive import config, db
from archive.models import Document


def create_app() -> Flask:
    settings = config.load()
    app = Flask(__name__)
    app.config.update(SECRET_KEY=settings.secret_key or _secret(settings))

    @app.get("/health")
    def health():
        with db.session() as s:
            counts = dict(
                s.execute(select(Document.status, func.count()).group_by(Document.status)).all()
            )
        return jsonify(status="ok", documents=counts)

    return app


def _secret(settings: config.Settings) -> str:
    """A per-installation secret kept under the data folder, made on first start."""
    import secrets

    path = settings.data_dir / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()
