"""Steps for data engines: ``filter.integrations.datatrove`` and ``filter.integrations.ray``.

Nothing is imported here on purpose: each module imports its engine, which is an optional
extra (``pip install 'pagefilter[datatrove]'``, ``'pagefilter[ray]'``), so ``import filter``
never pulls in datatrove or Ray. The engine-neutral core both use is ``filter.step``.
"""
