"""A clone of the repository alone runs its suite and benchmarks: nothing reads a folder beside it."""

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUTSIDE = re.compile(r"\.\./shared|/work/shared|parents?\[?\d*\]?\s*/\s*\"shared\"|parent\s*/\s*\"shared\"")


def test_no_tracked_file_reads_a_folder_beside_the_checkout():
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True)
    offenders = []
    for name in tracked.stdout.splitlines():
        path = ROOT / name
        if (
            path.suffix not in {".py", ".sh", ".toml", ".cfg", ".ini", ".txt", ".md", ""}
            or not path.is_file()
        ):
            continue
        if path == Path(__file__):
            continue
        text = path.read_text(errors="replace")
        offenders += [f"{name}: {match.group(0)}" for match in OUTSIDE.finditer(text)]
    assert offenders == []


def test_the_data_the_suite_reads_is_in_the_repository_with_its_origin():
    fixtures = ROOT / "tests" / "fixtures"
    readme = (fixtures / "README.md").read_text()
    for data in [*fixtures.glob("data/*.gz"), *fixtures.glob("stripe/*.json")]:
        assert data.stat().st_size > 0
        prefix = data.name.split("__")[0] if data.parent.name == "stripe" else data.name
        assert prefix in readme, f"{data.name} has no origin in tests/fixtures/README.md"
