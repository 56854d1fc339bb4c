"""The guide's own input channels: SMS (Twilio-compatible) and the web chat widget."""
