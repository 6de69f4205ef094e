import pytest


@pytest.fixture
def aliases(deck):
    """The deck plus its value aliases, as `load_deck` loads them."""
    from games.deck import read_fixture
    from surveys.aliases import load_aliases

    load_aliases(read_fixture())
    return deck
