"""The classroom rehearsal: a real JupyterHub with nbgitpuller on 127.0.0.1 (see test_classroom.py)."""
