#!/usr/bin/env python3
"""Generates a deterministic synthetic OS-like tree for benchmarks.

usage: gen-tree.py DEST NFILES [SEED]

Files are spread over directories of about 100 entries, nested three levels deep.
Sizes follow a skewed distribution (most files small, a few large) and contents are
semi-compressible text-like bytes, so archive-mode compression does real work.
About 5% of files duplicate an earlier file's content (dedup), 2% are symlinks.
"""
import os, random, sys

def main():
    dest, n = sys.argv[1], int(sys.argv[2])
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 42
    rng = random.Random(seed)
    words = [bytes(rng.choice(b"abcdefghijklmnopqrstuvwxyz_") for _ in range(rng.randint(2, 10))) for _ in range(4096)]
    os.makedirs(dest, exist_ok=True)
    contents = []
    for i in range(n):
        d = os.path.join(dest, f"d{i // 10000:02d}", f"s{(i // 100) % 100:02d}")
        if i % 100 == 0:
            os.makedirs(d, exist_ok=True)
        path = os.path.join(d, f"f{i:06d}")
        r = rng.random()
        if r < 0.02 and contents:
            os.symlink(f"../s{rng.randint(0, 99):02d}/f{rng.randint(0, i):06d}", path)
            continue
        if r < 0.07 and contents:
            data = contents[rng.randrange(len(contents))]
        else:
            u = rng.random()
            size = rng.randint(0, 4096) if u < 0.80 else rng.randint(4096, 32768) if u < 0.98 else rng.randint(32768, 262144)
            chunks, total = [], 0
            while total < size:
                if rng.random() < 0.1:
                    c = rng.randbytes(rng.randint(8, 64))
                else:
                    c = rng.choice(words) + b" "
                chunks.append(c)
                total += len(c)
            data = b"".join(chunks)[:size]
            if len(contents) < 2000:
                contents.append(data)
        with open(path, "wb") as f:
            f.write(data)
        os.chmod(path, 0o755 if r > 0.97 else 0o644)

if __name__ == "__main__":
    main()
