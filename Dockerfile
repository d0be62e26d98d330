# storybot: the Discord bot and its article index in one image.
#   docker build -t storybot .
#   docker run --env-file .env -v storybot-data:/data storybot
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    STORYBOT_DATA_DIR=/data

# An unprivileged user owns the data directory and runs the bot.
RUN groupadd --system storybot \
 && useradd --system --gid storybot --home-dir /home/storybot --create-home storybot \
 && mkdir -p /data && chown storybot:storybot /data

WORKDIR /app
COPY pyproject.toml README.md ./
COPY index ./index
COPY bot ./bot
RUN pip install . && rm -rf /app/build

USER storybot
# The SQLite database and the search index live here; mount a volume to keep them.
VOLUME ["/data"]

CMD ["storybot", "run"]
