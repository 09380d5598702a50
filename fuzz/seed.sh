#!/usr/bin/env bash
# Seeds the fuzz corpus with the bundled examples and every card's Python blocks.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p corpus/analyze
cp ../examples/*.py corpus/analyze/
for card in ../questions/*.md; do
  python3 - "$card" <<'PY'
import os, re, sys
text = open(sys.argv[1]).read()
for i, block in enumerate(re.findall(r"```python\n(.*?)```", text, re.S)):
    name = os.path.basename(sys.argv[1])[:-3]
    open(os.path.join("corpus/analyze", f"{name}-{i}.py"), "w").write(block)
PY
done
