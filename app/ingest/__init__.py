"""Sources into the store: files, folders and URLs → documents → extract → merge."""
