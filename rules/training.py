"""Human trafficking awareness training: C.G.S. 17a-106h (refresher every three years from Oct 1, 2021)."""

from __future__ import annotations

from typing import Any, Dict

from rules.determination import MET, Context, Reason, cite

TOPIC = "training"
SECTION = "17a-106h"
FACTS = ()


def evaluate_training(facts: Dict[str, Any], ctx: Context):
    rules = ctx.version(SECTION).parameters["training"]
    who, deadlines = cite(SECTION, rules["cite"]["who"]), cite(SECTION, rules["cite"]["deadlines"])
    interval = rules["refresher_interval_years"]
    every = "every year" if interval == 1 else f"every {interval} years"
    initial = rules["initial_deadline"]
    reasons = [
        Reason("Who must complete the training", who, MET, "; ".join(rules["who_must_train"]) + "."),
        Reason("When", deadlines, MET,
               f"The initial training by {initial:%B %-d, %Y}, or within {rules['new_employee_months']} months of "
               f"starting such a job if later; then the refresher training {every}."),
    ]
    return dict(outcome="answered", missing=[], reasons=reasons, next_steps=[], caveats=[],
                summary=f"People in these jobs must take human trafficking awareness training, with a refresher "
                        f"{every}.",
                result={"refresher_interval_years": interval, "who_must_train": list(rules["who_must_train"]),
                        "initial_deadline": initial.isoformat(),
                        "new_employee_deadline_months": rules["new_employee_months"]})
