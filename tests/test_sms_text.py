"""The guide's words as a phone shows them (bot/channels/sms_text.py): plain GSM-7 text, numbered
choices, short texts cut at sentence boundaries, neutral keyword replies."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.channels import sms_text
from bot.channels.sms_text import (chosen_payload, keyword, options_line, render, render_units, septets,
                                   strip_markdown, to_gsm7)

# GSM 03.38: the basic alphabet (without escape and carriage return) and the extension table.
GSM7 = set("@£$¥èéùìòÇ\nØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿"
           "abcdefghijklmnopqrstuvwxyzäöñüà") | set("^{}\\[~]|€")
TOPIC_WORDS = ("traffick", "prostitut", "rights", "law", "legal", "court", "abuse", "victim", "survivor")

CONVICTED = {"text": "First: were you convicted (found guilty or pleaded guilty), or is the case still open?",
             "buttons": [{"title": "Convicted", "payload": "/affirm"},
                         {"title": "Still open", "payload": "/deny"},
                         {"title": "Not sure", "payload": "/unsure"}]}
INTRO = {"text": "Hi. I can explain what Connecticut law says. I'm not a lawyer and this is not legal advice. In "
                 "danger now? Call 911. Text DELETE anytime to erase this chat from our side."}


def prose(sentences):
    return " ".join(f"Sentence {i} says something plain about the case and what comes next." for i in range(sentences))


def phone_ready(texts, limit=3):
    assert 0 < len(texts) <= limit
    for text in texts:
        assert set(text) <= GSM7, text
        assert septets(text) <= 320 and len(text) <= 320


# --- GSM-7 -------------------------------------------------------------------------------------------

def test_curly_quotes_dashes_and_the_ellipsis_become_ascii():
    assert to_gsm7("I\u2019m \u201cnot\u201d a lawyer \u2014 it\u2019s 1\u20132 years\u2026") == \
        "I'm \"not\" a lawyer - it's 1-2 years..."


def test_emoji_and_other_characters_outside_gsm7_are_dropped_tidily():
    assert to_gsm7("You're safe \U0001F64F now \u2764\ufe0f.") == "You're safe now."
    assert to_gsm7("na\u00efve r\u00e9sum\u00e9 \u00a7 \u00a3 \u00bd") == "naive résumé § £ 1/2"  # é, § and £ are GSM-7
    assert to_gsm7("\u4f60\u597d") == ""


def test_extension_characters_cost_two_septets():
    assert septets("abc") == 3
    assert septets("[a]") == 5
    assert septets("€") == 2


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_becomes_gsm7(text):
    assert set(to_gsm7(text)) <= GSM7


# --- markdown ----------------------------------------------------------------------------------------

def test_markdown_is_stripped_to_plain_text():
    assert strip_markdown("**Good news:** the court *must* vacate it.") == "Good news: the court must vacate it."
    assert strip_markdown("Read [the section](https://cga.ct.gov/s.htm) or `54-95c`.") == \
        "Read the section (https://cga.ct.gov/s.htm) or 54-95c."
    assert strip_markdown("## Next steps\n* File the motion\n+ Ask an advocate") == \
        "Next steps\n- File the motion\n- Ask an advocate"
    assert strip_markdown("__Important__ <b>note</b>") == "Important note"


def test_markdown_stripping_leaves_ordinary_text_alone():
    for text in ("5 * 3 = 15", "a snake_case_word", "Law: CGS 54-95c(a), (d)(1).", "1. File\n2. Wait"):
        assert strip_markdown(text) == text


# --- numbered choices --------------------------------------------------------------------------------

def test_buttons_become_numbered_options_on_one_line():
    assert options_line(["Convicted", "Still open", "Not sure"]) == "1 Convicted  2 Still open  3 Not sure"


def test_the_design_illustration_renders_as_it_reads():
    rendered = render([INTRO, CONVICTED], first_reply=True)
    joined = "\n".join(rendered.texts)
    assert "Text DELETE anytime to erase this chat from our side. Deleting the texts on your phone may be safer " \
           "too." in joined
    assert joined.count("DELETE") == 1  # the intro already says it: not twice
    # The options stay with their question.
    assert rendered.texts[-1].endswith("or is the case still open?\n1 Convicted  2 Still open  3 Not sure")
    assert rendered.choices == [{"title": "Convicted", "payload": "/affirm"},
                                {"title": "Still open", "payload": "/deny"},
                                {"title": "Not sure", "payload": "/unsure"}]
    phone_ready(rendered.texts)


def test_choices_across_messages_of_a_turn_are_numbered_on():
    second = {"text": "Or:", "buttons": [{"title": "Talk to a person", "payload": "/request_human"}]}
    rendered = render([CONVICTED, second])
    assert "4 Talk to a person" in rendered.texts[-1]
    assert [c["payload"] for c in rendered.choices] == ["/affirm", "/deny", "/unsure", "/request_human"]


@pytest.mark.parametrize("reply, payload", [("1", "/affirm"), (" 2 ", "/deny"), ("3.", "/unsure"), ("3)", "/unsure"),
                                            ("not sure", "/unsure"), ("Still open!", "/deny")])
def test_a_number_or_the_options_words_select_it(reply, payload):
    assert chosen_payload(reply, CONVICTED["buttons"]) == payload


@pytest.mark.parametrize("reply", ["4", "0", "12", "1 2", "yes 1", "i was convicted", ""])
def test_other_replies_select_nothing(reply):
    assert chosen_payload(reply, CONVICTED["buttons"]) is None


# --- short texts -------------------------------------------------------------------------------------

def test_long_answers_are_cut_at_sentence_boundaries():
    rendered = render([{"text": prose(12)}])
    phone_ready(rendered.texts)
    assert len(rendered.texts) > 1
    for text in rendered.texts:
        assert text.startswith("Sentence ") and text.endswith("comes next.")
    assert " ".join(rendered.texts) == prose(12)


def test_what_does_not_fit_in_three_texts_waits_for_more():
    rendered = render([{"text": prose(40)}])
    phone_ready(rendered.texts)
    assert len(rendered.texts) == 3 and rendered.texts[-1].endswith(sms_text.MORE_NOTE)
    sent = [t.replace(" " + sms_text.MORE_NOTE, "") for t in rendered.texts]
    pending = rendered.pending
    while pending:
        more, pending = render_units(pending)
        phone_ready(more)
        sent += [t.replace(" " + sms_text.MORE_NOTE, "") for t in more]
    # Every sentence arrives once, in order.
    assert re.split(r"\s+", " ".join(sent)) == re.split(r"\s+", prose(40))


def test_a_sentence_longer_than_a_text_is_cut_between_words():
    sentence = "word " * 150 + "end."
    rendered = render([{"text": sentence}])
    phone_ready(rendered.texts)
    assert all(not t.startswith(" ") and not t.endswith(" ") for t in rendered.texts)


def test_lines_stay_lines():
    rendered = render([{"text": "What you can do next:\n1. File a motion.\n2. Ask an advocate."}])
    assert rendered.texts == ["What you can do next:\n1. File a motion.\n2. Ask an advocate."]


def test_the_bot_text_is_made_phone_ready():
    rendered = render([{"text": "**Good news** \u2014 it\u2019s covered \U0001F389. Law: CGS 54-95c(a)."}])
    assert rendered.texts == ["Good news - it's covered. Law: CGS 54-95c(a)."]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.fixed_dictionaries({"text": st.text(max_size=700)}), min_size=1, max_size=5))
def test_any_turn_renders_as_at_most_three_short_gsm7_texts(messages):
    rendered = render(messages)
    if rendered.texts:
        phone_ready(rendered.texts)


# --- the first reply ---------------------------------------------------------------------------------

def test_the_first_reply_says_how_to_delete_when_the_bot_did_not():
    rendered = render([{"text": "What would you like to know?"}], first_reply=True)
    assert rendered.texts == ["What would you like to know?\nText DELETE anytime to erase this chat from our side. "
                              "Deleting the texts on your phone may be safer too."]


def test_later_replies_do_not_repeat_it():
    assert "DELETE" not in " ".join(render([{"text": "What would you like to know?"}]).texts)


def test_a_first_reply_of_choices_only_still_gets_the_note():
    rendered = render([{"buttons": CONVICTED["buttons"]}], first_reply=True)
    assert rendered.texts[0].startswith("Text DELETE anytime")
    assert rendered.texts[-1].endswith("1 Convicted  2 Still open  3 Not sure")


# --- keywords ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, word", [
    ("STOP", "stop"), ("stop", "stop"), (" Stop. ", "stop"), ("StopAll", "stop"), ("unsubscribe", "stop"),
    ("CANCEL", "stop"), ("end", "stop"), ("Quit!", "stop"), ("START", "start"), ("unstop", "start"),
    ("help", "help"), ("HELP", "help"), ("Delete", "delete"), ("more", "more")])
def test_keywords_are_the_whole_message_in_any_case(text, word):
    assert keyword(text) == word


@pytest.mark.parametrize("text", ["stop it", "please stop", "can you help", "delete my data", "i want to quit him",
                                  "the end", "1", ""])
def test_a_keyword_inside_a_sentence_is_not_a_keyword(text):
    assert keyword(text) is None


def test_the_carrier_replies_are_neutral_and_gsm7():
    for reply in (sms_text.help_reply(), sms_text.STOP_REPLY, sms_text.START_REPLY, sms_text.LONG_MESSAGE_REPLY,
                  sms_text.SLOW_REPLY, sms_text.ERROR_REPLY, sms_text.EMPTY_MESSAGE_REPLY):
        assert not any(word in reply.lower() for word in TOPIC_WORDS), reply
        phone_ready(sms_text.neutral(reply), limit=1)
    assert sms_text.STOP_REPLY == ("You have been unsubscribed. No more messages will be sent. Reply START to "
                                   "resubscribe.")
    help_text = sms_text.help_reply()
    assert help_text.startswith("Info line:") and "STOP" in help_text and "DELETE" in help_text
    assert sms_text.help_reply("Safe \u201cLine\u201d").startswith('Safe "Line":')
