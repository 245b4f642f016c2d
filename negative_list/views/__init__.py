"""Pages of the negative-list app: public (``public``) and staff (``workspace``)."""
