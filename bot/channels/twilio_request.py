"""What a Twilio incoming-message webhook may carry, checked after its signature.

Twilio signs the URL followed by each field's name and value with no separator between them, so the
same signature holds for the same characters cut into fields differently: a captured request re-cut
with another MessageSid (the end of one value moved into the next) still validates, and would replay
that person's turn as a new message. After the signature, every field is checked:
- only fields Twilio documents for SMS and MMS, each at most once (how many unknown ones there were
  is logged, never their names: a re-cut request can make a field's name out of a person's words);
- MessageSid is "SM" or "MM" and 32 hex digits, and SmsSid / SmsMessageSid, when sent, are the same;
- From is a phone number in E.164 form; To is one of the guide's numbers (SMS_NUMBER); AccountSid is
  the guide's account (TWILIO_ACCOUNT_SID);
- the counts are numbers, the API version a date, the countries two letters.
A re-cut moves characters between neighbouring fields, so it breaks one of these forms.
"""

from __future__ import annotations

import re
from typing import Dict, FrozenSet, List, Optional

MESSAGE_SID = re.compile(r"^(?:SM|MM)[0-9a-f]{32}$")
ACCOUNT_SID = re.compile(r"^AC[0-9a-f]{32}$")
SERVICE_SID = re.compile(r"^MG[0-9a-f]{32}$")
E164 = re.compile(r"^\+[1-9]\d{6,14}$")
COUNT = re.compile(r"^\d{1,2}$")
API_VERSION = re.compile(r"^\d{4}-\d{2}-\d{2}$")
COUNTRY = re.compile(r"^[A-Z]{2}$")
MEDIA_FIELD = re.compile(r"^Media(?:Url|ContentType)\d$")

# Twilio's documented parameters of an incoming SMS or MMS (docs: "Twilio's request to your incoming
# message Webhook URL"), and those of Advanced Opt-Out and Add-ons.
KNOWN_FIELDS: FrozenSet[str] = frozenset({
    "MessageSid", "SmsSid", "SmsMessageSid", "AccountSid", "MessagingServiceSid", "From", "To", "Body",
    "NumMedia", "NumSegments", "ReferralNumMedia", "ApiVersion", "SmsStatus", "OptOutType", "AddOns",
    "FromCity", "FromState", "FromZip", "FromCountry", "ToCity", "ToState", "ToZip", "ToCountry",
})
FORMS = {
    "MessageSid": MESSAGE_SID, "SmsSid": MESSAGE_SID, "SmsMessageSid": MESSAGE_SID, "AccountSid": ACCOUNT_SID,
    "MessagingServiceSid": SERVICE_SID, "From": E164, "To": E164, "NumMedia": COUNT, "NumSegments": COUNT,
    "ReferralNumMedia": COUNT, "ApiVersion": API_VERSION, "FromCountry": COUNTRY, "ToCountry": COUNTRY,
}
REQUIRED = ("MessageSid", "AccountSid", "From", "To", "Body")


class Refused(ValueError):
    """A signed request that is not a well-formed incoming message: the reason names the field
    (never its value)."""


def check_fields(params: Dict[str, List[str]], account_sid: str, numbers: FrozenSet[str]) -> Dict[str, str]:
    """The fields of a signed webhook, one value each, or Refused saying which field is wrong."""
    unknown = [name for name in params if name not in KNOWN_FIELDS and not MEDIA_FIELD.match(name)]
    if unknown:
        raise Refused(f"{len(unknown)} field(s) Twilio does not document for an incoming message")
    fields: Dict[str, str] = {}
    for name, values in params.items():
        if len(values) != 1:
            raise Refused(f"{name} is given {len(values)} times")
        fields[name] = values[0]
    for name in REQUIRED:
        if name not in fields:
            raise Refused(f"{name} is missing")
    for name, form in FORMS.items():
        if name in fields and not form.match(fields[name]):
            raise Refused(f"{name} is not in Twilio's form")
    for alias in ("SmsSid", "SmsMessageSid"):
        if alias in fields and fields[alias] != fields["MessageSid"]:
            raise Refused(f"{alias} differs from MessageSid")
    if fields["AccountSid"] != account_sid:
        raise Refused("AccountSid is not this guide's account")
    if fields["To"] not in numbers:
        raise Refused("To is not one of this guide's numbers")
    return fields


def parse_numbers(raw: str) -> Optional[FrozenSet[str]]:
    """SMS_NUMBER: one or more numbers in E.164 form, comma-separated; None if any is not."""
    numbers = [n.strip() for n in raw.split(",") if n.strip()]
    if not numbers or not all(E164.match(n) for n in numbers):
        return None
    return frozenset(numbers)
