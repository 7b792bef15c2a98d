"""The neutral core that both `summarizer` (the digest) and `evals` (the evaluator) stand on.

Text and sentence splitting, the embedder, atomic files, the CPU budget, loaded-language terms,
the claim grouping both use, the spaCy pipeline, the one module that touches llama.cpp's
internals, the progress protocol and the user-error class. It imports neither package:
`evals` imports only this, and `summarizer` imports this and, for the guard, synthesis and
report, `evals`.
"""
