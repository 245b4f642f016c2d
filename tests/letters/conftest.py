from tests.letters.builders import letter_clock  # noqa: F401 - the fixture
