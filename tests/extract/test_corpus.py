"""Score the parser with the scorer's own logic: ../shared/corpus (skipped when absent) and the
invented dev set under tests/fixtures/devset (always here)."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from app.extract import parse_bytes

SHARED = Path(__file__).resolve().parents[3] / "shared"
SCORER = SHARED / "tools" / "score_extraction.py"
CORPUS = SHARED / "corpus"
DEVSET = Path(__file__).resolve().parents[1] / "fixtures" / "devset"

# Reached when these were set: core 0.970, detection 1.000 (all four encodings); minus a margin.
MIN_CORE_F1 = 0.94
MIN_DETECTION_F1 = 0.97
# The dev sets (invented documents, one kind of hard sentence each), minus a margin: the first
# reads 0.969 / 0.989, the second 0.961 / 0.962 (2026-12-03, second session).
DEVSET_MIN_CORE_F1 = 0.94
DEVSET_MIN_DETECTION_F1 = 0.97
DEVSET2 = DEVSET.parent / "devset2"
DEVSET2_MIN_CORE_F1 = 0.94
DEVSET2_MIN_DETECTION_F1 = 0.94
# The small sets written later, each in shapes the others lack: (core, detection) floors a
# few points under what they read when set (devset3 0.889 / 0.894, devset4 0.903 / 0.927,
# devset5 0.950 / 1.000, devset6 0.944 / 0.970, devset7 0.903 / 0.952, devset8 1.000 / 1.000,
# devset9 0.728 / 0.737).
LATER_SETS = {
    "devset3": (0.86, 0.87), "devset4": (0.87, 0.90), "devset5": (0.92, 0.95), "devset6": (0.91, 0.94), "devset7": (0.87, 0.92),
    "devset8": (0.95, 0.97), "devset9": (0.84, 0.85), "devset10": (0.76, 0.84), "devset11": (0.93, 0.92),
    "devset12": (0.78, 0.81), "devset13": (0.84, 0.85), "devset14": (0.85, 0.84), "devset15": (0.83, 0.88),
    "devset16": (0.91, 0.95), "devset17": (0.87, 0.95), "devset18": (0.86, 0.97),
    # (written blind on 2026-12-04: 0.670 / 0.646, 0.932 / 1.000 and 0.743 / 0.824 as written)
    "devset19": (0.87, 0.89), "devset20": (0.93, 0.97), "devset21": (0.90, 0.91),
    # (written blind on 2026-12-05: 0.758 / 0.821 as written)
    "devset22": (0.88, 0.95),
    # (written blind on 2026-12-05: 0.596 / 0.593 as written)
    "devset23": (0.80, 0.87),
    # (written blind on 2026-12-05: 0.768 / 0.815 and 0.829 / 0.889 as written)
    "devset24": (0.95, 0.97), "devset25": (0.88, 0.94),
    # (written blind on 2026-12-05, the thirteenth session: 0.896 / 1.000 and 0.522 / 0.694 as written)
    "devset26": (0.87, 0.97), "devset27": (0.63, 0.70),
}

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not SCORER.exists(), reason="../shared/tools/score_extraction.py is not here"),
]


def _scorer():
    spec = importlib.util.spec_from_file_location("score_extraction", SCORER)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def score(encoding: str = "utf-8", corpus: Path = CORPUS) -> tuple[float, float]:
    """(core-field F1, detection F1), computed as score_extraction.py computes them."""
    sc = _scorer()
    tally = sc.Tally()
    for _name, text_bytes, golds in sc.load_corpus(corpus):
        if encoding != "utf-8":
            text_bytes = text_bytes.decode("utf-8").encode(encoding, errors="replace")
        _, incidents = parse_bytes(text_bytes)
        preds = [i.to_contract() for i in incidents]
        pairs, lonely_p, lonely_g = sc.pair(preds, golds)
        for p, g in pairs:
            truly, said = g.get("is_incident", True), p.get("is_incident", True)
            if truly and said:
                tally.det["tp"] += 1
                for fld in sc.FIELDS:
                    if fld in g:
                        tally.field(fld, p.get(fld), g[fld], "")
            elif said:
                tally.det["fp"] += 1
            elif truly:
                tally.det["fn"] += 1
        for g in lonely_g:
            if g.get("is_incident", True):
                tally.det["fn"] += 1
                for fld in sc.FIELDS:
                    opts = sc.options(g[fld]) if fld in g else [None]
                    if any(o is not None for o in opts) and None not in opts:
                        tally.c[fld]["missed"] += 1
        tally.det["fp"] += sum(1 for p in lonely_p if p.get("is_incident", True))
    d = tally.det
    dp = d["tp"] / (d["tp"] + d["fp"]) if d["tp"] + d["fp"] else 1.0
    dr = d["tp"] / (d["tp"] + d["fn"]) if d["tp"] + d["fn"] else 1.0
    det = 2 * dp * dr / (dp + dr) if dp + dr else 0.0
    core = sum(tally.score(f)[2] for f in sc.CORE) / len(sc.CORE)
    return core, det


@pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpus is not here")
@pytest.mark.parametrize("encoding", ["utf-8", "cp932", "euc_jp", "utf-16"])
def test_corpus_score(encoding: str) -> None:
    core, det = score(encoding)
    assert core >= MIN_CORE_F1, f"core-field F1 {core:.3f}"
    assert det >= MIN_DETECTION_F1, f"detection F1 {det:.3f}"


def test_devset_score() -> None:
    core, det = score(corpus=DEVSET)
    assert core >= DEVSET_MIN_CORE_F1, f"core-field F1 {core:.3f}"
    assert det >= DEVSET_MIN_DETECTION_F1, f"detection F1 {det:.3f}"


def test_devset2_score() -> None:
    core, det = score(corpus=DEVSET2)
    assert core >= DEVSET2_MIN_CORE_F1, f"core-field F1 {core:.3f}"
    assert det >= DEVSET2_MIN_DETECTION_F1, f"detection F1 {det:.3f}"


@pytest.mark.parametrize(("name", "floors"), sorted(LATER_SETS.items()))
def test_later_devset_scores(name: str, floors: tuple[float, float]) -> None:
    core, det = score(corpus=DEVSET.parent / name)
    assert core >= floors[0], f"{name} core-field F1 {core:.3f}"
    assert det >= floors[1], f"{name} detection F1 {det:.3f}"
