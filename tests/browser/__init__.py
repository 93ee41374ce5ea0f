# A package, so that this folder's conftest.py does not clash with tests/conftest.py: both
# would be module "conftest", and pytest 9 with --doctest-modules then fails to collect.
