"""Production entry point: `gunicorn 'web.wsgi:app'` behind a TLS proxy, with `stmt worker`s."""

from werkzeug.middleware.proxy_fix import ProxyFix

from archive import db
from web.app import create_app

db.upgrade()
app = create_app()
# The proxy in front says which scheme and client address a request came from.
app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]
