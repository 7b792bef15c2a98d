"""Regenerate the README's screenshots of the seeds' report: docs/report.png (1280 px) and docs/report-phone.png (390 px).

    .venv/bin/python scripts/screenshot.py                 # runs `digest run seeds/` into a temporary folder first
    .venv/bin/python scripts/screenshot.py --report digest-out/report.html

Needs Debian's chromium (apt-get install chromium). Offline: the bundled model writes the digest.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser import Browser  # noqa: E402 - the same driver the browser test uses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--report", type=Path, help="an existing report.html (default: run digest on seeds/)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args()
    report = args.report
    if report is None:
        work = Path(tempfile.mkdtemp(prefix="digest-shot-"))
        digest = Path(sys.executable).parent / "digest"
        subprocess.run([str(digest), "run", str(ROOT / "seeds"), "--out", str(work / "out"), "--store",
                        str(work / "store"), "--quiet"], check=True)
        report = work / "out" / "report.html"
    with Browser() as browser:
        browser.open(report, 1280, 900)
        first = browser.js("(() => { const s = [...document.querySelectorAll('.s')];"
                           " const odd = s.find(x => !x.classList.contains('supported')); return (odd || s[0]).id; })()")
        browser.click(f"#{first}")
        browser.js("window.scrollTo(0, 0)")
        wide = browser.screenshot(args.out / "report.png")
        browser.open(report, 390, 844)
        browser.click(f"#{first}")
        phone = browser.screenshot(args.out / "report-phone.png", full_page=False)
    print(f"wrote {wide} and {phone}")


if __name__ == "__main__":
    main()
