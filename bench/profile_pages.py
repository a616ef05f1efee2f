"""Profile one public page over the benchmark data (pyinstrument), to find hot spots.

    python bench/profile_pages.py /commitments/ [--repeat 20] [--html bench/out/profile.html]

Reads bench/out/pages.sqlite3 (built by bench/pages.py) unless DATABASE_URL says otherwise.
"""

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--html", type=Path)
    args = parser.parse_args()
    from bench.in_process import use_benchmark_data

    use_benchmark_data()
    import django

    django.setup()
    from django.test import Client
    from pyinstrument import Profiler

    client = Client()
    assert client.get(args.path).status_code == 200  # warm caches once
    profiler = Profiler(interval=0.0005)
    with profiler:
        for _ in range(args.repeat):
            response = client.get(args.path)
            if response.streaming:
                b"".join(response.streaming_content)
    print(profiler.output_text(unicode=True, color=False, show_all=False))
    if args.html:
        args.html.write_text(profiler.output_html())


if __name__ == "__main__":
    main()
