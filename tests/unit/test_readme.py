"""README documents every setting and starts with the two commands."""

from pathlib import Path

from services.settings import every_setting

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()


def test_readme_lists_every_setting() -> None:
    missing = [name for name in every_setting() if f"`FLYWHEEL_{name.upper()}`" not in README]
    assert not missing, f"README's settings table lacks: {missing}"


def test_readme_starts_with_the_two_commands() -> None:
    opening = README[: README.index("## How it fits together")]
    assert "make run" in opening and "make test" in opening


def test_readme_shows_the_rfm_segment_mapping_the_code_uses() -> None:
    from services.scoring.domain.rfm import mapping_table

    assert mapping_table() in README
