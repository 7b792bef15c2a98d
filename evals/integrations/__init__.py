"""The judge inside other tools: ragas (``evals.integrations.ragas``) and LangChain (``evals.integrations.langchain``).

Each module imports its library only when it is itself imported.
"""
