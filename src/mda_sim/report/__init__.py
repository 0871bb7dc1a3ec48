"""Reports: figures and after-action documents drawn from scenario specs and run outputs.

This is the only subpackage that imports matplotlib; the core never imports it.
"""
