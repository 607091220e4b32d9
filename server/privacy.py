"""Masking of personal data (DESIGN.md: phones and addresses only to those allowed)."""


def mask_phone(phone: str | None) -> str | None:
    if not phone:
        return phone
    if len(phone) >= 7:
        return phone[:3] + "****" + phone[-4:]
    return "*" * len(phone)


def mask_name(name: str | None) -> str:
    if not name:
        return "匿名"
    return name[0] + "*" * max(1, len(name) - 1)
