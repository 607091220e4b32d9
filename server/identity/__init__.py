"""Identity: WeChat login, tokens, roles with scope, consent, the org tree and units."""
