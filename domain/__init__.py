"""What every app shares and that knows no app: the refusal of a step, the
one way a page takes a step on a POST, and the design system's form."""
