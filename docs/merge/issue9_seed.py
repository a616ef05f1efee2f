"""Merge aid for issue 9: apply this branch's seed additions to another branch's seed.json.

Other branches changed the same fixture (French titles and summaries), so a textual merge
of fixtures/seed.json conflicts. This copies, by primary key, what issue 9 added:
criteria and restatements (new objects), each commitment's derived reason and reading
stage (and drops its old success_criteria text), and each status update's review, stage,
reason, correction and method-version fields. Nothing else is touched.

    python3 docs/merge/issue9_seed.py OTHER_SEED.json ISSUE9_SEED.json > fixtures/seed.json
"""

import json
import sys

COMMITMENT_FIELDS = ("current_reason", "current_progress_stage")
UPDATE_FIELDS = (
    "review_state",
    "reviewed_by",
    "reviewed_at",
    "review_note",
    "progress_stage",
    "reason_code",
    "reason_text",
    "correction_note",
    "method_version",
)
NEW_MODELS = ("commitments.successcriterion", "commitments.restatement")


def merge(base: list[dict], method: list[dict]) -> list[dict]:
    ours = {(o["model"], o["pk"]): o["fields"] for o in method}
    merged = []
    for obj in base:
        fields = dict(obj["fields"])
        mine = ours[(obj["model"], obj["pk"])] if (obj["model"], obj["pk"]) in ours else None
        if obj["model"] == "commitments.commitment":
            fields.pop("success_criteria", None)
            fields.update({name: mine[name] for name in COMMITMENT_FIELDS})
        elif obj["model"] == "commitments.statusupdate":
            fields.update({name: mine[name] for name in UPDATE_FIELDS if name in mine})
        merged.append({**obj, "fields": fields})
    return merged + [o for o in method if o["model"] in NEW_MODELS]


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as base, open(sys.argv[2], encoding="utf-8") as method:
        result = merge(json.load(base), json.load(method))
    sys.stdout.write(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
