# Gradflow as a container, after Streamlit's "Deploy Streamlit using Docker" guide.
#   docker build -t gradflow .
#   docker run -p 8501:8501 gradflow        # then open http://localhost:8501
# Runtime dependencies come from requirements.txt, the same file `make run` installs; its
# environment markers pick tensorflow-cpu on x86_64 and tensorflow on arm64. Every package there
# ships wheels, so the slim image needs no compiler or apt packages.
# Size on x86_64, estimated without a Docker engine (see docs/deployment.md): about 1.8 GB unpacked, about 0.5 GB
# to pull; TensorFlow's shared library alone is 750 MB of it.
FROM python:3.11-slim

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    TF_CPP_MIN_LOG_LEVEL=2 \
    STREAMLIT_BROWSER_SERVER_ADDRESS=localhost \
    GRADFLOW_WORKERS=auto

# GRADFLOW_WORKERS=auto: one server process per CPU the container may use (its --cpus quota counts),
# each student's machine kept on one. A lecture hall of 200 on two cores: p95 3.3 s with one worker,
# 0.5 s with two (bench/hall_bench.py, docs/speed.md). Each worker holds ~600 MiB; -e GRADFLOW_WORKERS=1 saves it.
# STREAMLIT_BROWSER_SERVER_ADDRESS: the host name students type (docker run -e ...=gradflow.school.example).
# Set, Streamlit never looks its own address up on the internet, which on a network without DNS
# held the start ~20 s (server/network.py; docs/deployment.md, "Offline and behind a proxy").

# The app runs as an unprivileged user; its home holds Streamlit's ~/.streamlit state.
RUN groupadd --gid 1000 gradflow \
    && useradd --create-home --no-log-init --uid 1000 --gid 1000 gradflow

WORKDIR /app

# Dependencies first, so editing the app does not invalidate the (large) TensorFlow layer.
# TensorFlow's C++ headers (264 MB) serve only to compile custom ops; dropping them in the same
# layer keeps them out of the image. The .pyc files pip writes stay: they spare every start the
# compilation of TensorFlow's Python modules.
COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt \
    && rm -rf /usr/local/lib/python3.11/site-packages/tensorflow/include

# The app: serve.py, app.py, pages/, the packages they import (core/, ui/, server/) and
# .streamlit/config.toml.
# .dockerignore keeps out the venv, tests, benchmarks, deployment files, caches and secrets. The
# code stays root-owned: the app reads it, never writes it.
COPY . .

# The trial import of TensorFlow serve.py makes before importing it for real, made once here and
# remembered for this CPU's instruction sets (server/warmup.py): a container started on the same kind
# of CPU imports TensorFlow once, not twice. A CPU that cannot run it still fails at run time, safely.
RUN python -c "from server.warmup import probe_tensorflow_once as probe; print(probe() or 'TensorFlow imports')"

# Class data (docs/classes.md): the embedded SQLite database lives in a volume the app user owns.
# With GRADFLOW_DATABASE_URL set (PostgreSQL, for several replicas) the volume stays empty.
ENV GRADFLOW_DATA_DIR=/data
RUN mkdir /data && chown 1000:1000 /data
VOLUME ["/data"]

# Numeric, so that Kubernetes' runAsNonRoot can verify it is not root (1000:1000 is gradflow).
USER 1000:1000

EXPOSE 8501

# Slim images have no curl or wget, so the probe is Python's urllib: a refused connection, a timeout
# or an HTTP error status raises, and the uncaught exception exits 1 (unhealthy). The server only
# listens once TensorFlow is imported (see serve.py), hence the start period.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4)"]

# `make run`'s entry: import and warm TensorFlow, then `streamlit run app.py` in the same process, so
# the first student does not wait for the import. Exec form: SIGTERM reaches Python (PID 1) directly.
ENTRYPOINT ["python", "serve.py", "--server.port=8501", "--server.address=0.0.0.0", "--server.headless=true"]
