"""The training data and domain are consistent: `rasa data validate` finds no error, and its only
warnings are about responses that forms and actions use by name (which it cannot see)."""

import re
import subprocess
import sys

from bot.server import ROOT, quiet_environment

# Asked by forms (utter_ask_*), or sent by actions and error paths: used, though no rule names them.
USED_OUTSIDE_RULES = re.compile(r"utter_ask_\w+|utter_intro|utter_reask|utter_facts_point_to_\w+|utter_minor_\w+|"
                                r"utter_safety_line|utter_privacy|utter_which_answer_to_change|utter_that_is_what_i_used|"
                                r"utter_another_conviction|utter_notice_\w+")


def test_rasa_data_validate_is_clean():
    result = subprocess.run([sys.executable, "-m", "rasa", "data", "validate", "--domain", "bot/domain",
                             "--data", "data", "--config", "config.yml"], cwd=ROOT, env=quiet_environment(),
                            capture_output=True, text=True, timeout=300)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    warnings = re.findall(r"UserWarning: (.+)", output)
    unexpected = [w for w in warnings if not (
        "is not used in any story or rule" in w and USED_OUTSIDE_RULES.search(w))
        and "Slot auto-fill has been removed" not in w]
    assert not unexpected, unexpected


def test_the_held_out_set_is_never_part_of_the_training_data():
    import yaml

    def examples(path):
        found = set()
        for block in yaml.safe_load(path.read_text())["nlu"]:
            found |= {line[2:].strip().lower() for line in block["examples"].splitlines() if line.startswith("- ")}
        return found

    training = set().union(*(examples(p) for p in (ROOT / "data" / "nlu").glob("*.yml")))
    holdout = examples(ROOT / "tests" / "nlu" / "holdout-blind.yml")
    assert holdout and not (training & holdout)


def test_every_button_in_the_domain_is_a_title_and_a_payload():
    """An unquoted comma in a flow mapping splits a title ("{title: Class C, D or E felony}" became
    "Class C" and a stray key), and the person sees a choice that leaves their answer out."""
    import yaml

    buttons = [(path.name, name, button) for path in sorted((ROOT / "bot" / "domain").glob("*.yml"))
               for name, variants in (yaml.safe_load(path.read_text()).get("responses") or {}).items()
               for variant in variants for button in variant.get("buttons") or []]
    assert buttons
    malformed = [(file, name, button) for file, name, button in buttons
                 if set(button) != {"title", "payload"}
                 or not all(isinstance(button[key], str) and button[key].strip() for key in button)]
    assert not malformed, malformed
