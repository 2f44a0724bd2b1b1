"""gunicorn settings used by `maillage serve` and `maillage demo` (command-line options win)."""

from __future__ import annotations

import multiprocessing
import os

wsgi_app = "maillage.wsgi:application"

# WEB_CONCURRENCY is the usual way hosts say how many processes fit; otherwise the classic
# 2 × CPUs + 1, capped so that a big machine does not open dozens of SQLite connections.
workers = int(os.environ.get("WEB_CONCURRENCY", "0")) or min(2 * multiprocessing.cpu_count() + 1, 9)
# A few threads per process let a slow page (an export, a search) not block the others.
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = 60
graceful_timeout = 20
keepalive = 5
# Recycle processes now and then so that a slow leak never grows without bound.
max_requests = 2000
max_requests_jitter = 200

accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()

# Behind a reverse proxy, trust its X-Forwarded-* headers (the proxy's addresses, comma-separated).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# gunicorn ≥ 24 opens a control socket in ~/.gunicorn by default: two instances (the demo and a
# test run, say) would fight over it, and we do not use it.
control_socket_disable = True
