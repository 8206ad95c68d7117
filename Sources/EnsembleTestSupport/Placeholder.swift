enum PlaceholderEnsembleTestSupport {}
