"""No lost updates: a version number on the records people edit in forms.

`Versioned` (models.py) gives a model a `row_version` that every save
increments with a conditional UPDATE; `VersionedAdmin` (admin.py) puts the
version a form was loaded with into the form, and refuses the form, showing
what changed, when someone else saved the record meanwhile.
"""
