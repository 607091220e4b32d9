"""The shapes of signing in to the console by scanning (miniapp_api/console_login.py)."""
import marshmallow as ma


class SceneSchema(ma.Schema):
    scene = ma.fields.Str(required=True)
    qr_png_url = ma.fields.Str(required=True)
    expires_in = ma.fields.Int(required=True, metadata={"description": "秒"})


class ConfirmedSchema(ma.Schema):
    scene = ma.fields.Str(required=True)
    confirmed = ma.fields.Bool(required=True)
