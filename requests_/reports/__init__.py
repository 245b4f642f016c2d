"""The annual report (政府信息公开工作年度报告) computed from the request records.

``annual`` counts (表三, 表四, the conversion figures, the consistency check),
``access`` turns the viewer's parameters into a permitted ``ReportQuery``,
``layout`` lays the figures out as the national template does, ``exports`` writes
that layout to XLSX and CSV, and ``views``/``api`` are thin wrappers over them.
"""
