"""Instructions one request costs, counted by valgrind's callgrind: a figure that does not
move with the machine's load, for changes too small to see in timings on a shared machine.

    python bench/instructions.py /commitments/export.csv [/commitments/ ...]

Reads bench/out/pages.sqlite3 (built by bench/pages.py) unless DATABASE_URL says otherwise,
in-process through Django's test client, after one untimed request to warm caches. Only
the counted request is: Django starts uninstrumented and callgrind_control turns counting
on around it. A repeat CSV download is answered from memory (commitments/exports/cache.py):
CACHE_MAX_ITEM_BYTES=0 counts writing the file.
"""

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def child(path: str, signals: Path) -> None:
    """Inside valgrind: warm up, then make the counted request when told to."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.test import Client

    client = Client()

    def request() -> None:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        b"".join(response.streaming_content) if response.streaming else response.content

    request()
    (signals / "ready").touch()
    wait_for(signals / "go")
    request()
    (signals / "done").touch()
    wait_for(signals / "exit")


def wait_for(flag: Path, timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while not flag.exists():
        if time.monotonic() > deadline:
            raise SystemExit(f"gave up waiting for {flag.name}")
        time.sleep(0.05)


def count(path: str) -> int:
    with tempfile.TemporaryDirectory() as directory:
        signals = Path(directory)
        out = signals / "callgrind.out"
        valgrind = subprocess.Popen(
            [
                "valgrind",
                "--tool=callgrind",
                "--instr-atstart=no",
                f"--callgrind-out-file={out}.%p",
                sys.executable,
                __file__,
                "--child",
                path,
                directory,
            ],  # fmt: skip
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(signals / "ready")
        control = ["callgrind_control", str(valgrind.pid)]
        subprocess.run([*control[:1], "-i", "on", *control[1:]], check=True, capture_output=True)
        (signals / "go").touch()
        wait_for(signals / "done")
        subprocess.run([*control[:1], "-d", *control[1:]], check=True, capture_output=True)
        (signals / "exit").touch()
        valgrind.wait()
        dump = next(signals.glob("callgrind.out.*.1"))  # the dump taken around the request
        summary = next(line for line in dump.read_text().splitlines() if line.startswith("summary:"))
        return int(summary.split()[1])


if __name__ == "__main__":
    if sys.argv[1] == "--child":
        child(sys.argv[2], Path(sys.argv[3]))
    else:
        sys.path.insert(0, str(ROOT))
        from bench.in_process import use_benchmark_data

        use_benchmark_data(write_every_export=False)
        for page in sys.argv[1:]:
            print(f"{page}: {count(page) / 1e6:,.1f} M instructions", flush=True)
