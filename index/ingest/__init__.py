"""Getting articles in: files, uploads and URLs → drafts → cleaned, split articles.

``readers`` turns files and bytes into drafts (or named failures), ``fetch`` gets URLs safely,
``clean`` drops page chrome, ``passages`` cuts sentences and passages, and ``prepare`` ties them
together into an article ready to store.
"""
