enum PlaceholderEnsembleCLI {}
