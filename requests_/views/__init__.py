"""Pages of the requests app: public (form, status link, column item) and workspace."""
