"""The build: the pipeline's stages run in order (validate, plan, render, publish), the parts of the
site built in worker processes and reused from the content-hash cache, the search index, the
up-to-date check, and the atomic swap of the output folder.

May import: site, rules, kinds, config and model. The command line and authoring call it.
"""
