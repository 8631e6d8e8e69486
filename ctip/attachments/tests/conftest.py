import pytest


@pytest.fixture(scope="session", autouse=True)
def _private_files(tmp_path_factory):
    """Attachments are written under a throw-away private folder, never the project's var/."""
    from django.conf import settings

    old = settings.CTIP_PRIVATE_FILES
    settings.CTIP_PRIVATE_FILES = tmp_path_factory.mktemp("private")
    yield settings.CTIP_PRIVATE_FILES
    settings.CTIP_PRIVATE_FILES = old
