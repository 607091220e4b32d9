"""Chinese field-error messages for marshmallow, so a resident can read every 422."""
import marshmallow as ma
from marshmallow import validate as v

_FIELD_MESSAGES = {
    ma.fields.Field: {"required": "此项必填", "null": "此项不能为空", "validator_failed": "取值无效"},
    ma.fields.String: {"invalid": "应为文本", "invalid_utf8": "文本编码无效"},
    ma.fields.Integer: {"invalid": "应为整数", "too_large": "数值过大"},
    ma.fields.Number: {"invalid": "应为数字", "too_large": "数值过大"},
    ma.fields.Float: {"special": "数值无效"},
    ma.fields.Boolean: {"invalid": "应为 true 或 false"},
    ma.fields.List: {"invalid": "应为列表"},
    ma.fields.Dict: {"invalid": "应为对象"},
    ma.fields.Nested: {"type": "应为对象"},
    ma.fields.DateTime: {"invalid": "时间格式无效，应为 ISO 8601", "format": "时间格式无效"},
    ma.fields.AwareDateTime: {"invalid_awareness": "时间需带时区，如 2026-11-22T09:00:00+08:00"},
    ma.fields.Url: {"invalid": "链接无效"},
}


def install() -> None:
    for field_class, messages in _FIELD_MESSAGES.items():
        field_class.default_error_messages = {**field_class.default_error_messages, **messages}
    # PRIVATE (marshmallow): a schema's public `error_messages` would have to be set on every
    # schema class; the class-wide defaults are this attribute, read by every schema.
    ma.Schema._default_error_messages = {
        **ma.Schema._default_error_messages,
        "type": "请求体应为 JSON 对象", "unknown": "不认识的字段"}
    v.Length.message_min = "长度不能少于 {min}"
    v.Length.message_max = "长度不能超过 {max}"
    v.Length.message_all = "长度应在 {min} 到 {max} 之间"
    v.Length.message_equal = "长度应为 {equal}"
    v.Range.message_min = "应{min_op} {{min}}"
    v.Range.message_max = "应{max_op} {{max}}"
    v.Range.message_all = "应{min_op} {{min}} 且{max_op} {{max}}"
    v.Range.message_gte, v.Range.message_gt = "不小于", "大于"
    v.Range.message_lte, v.Range.message_lt = "不大于", "小于"
    v.OneOf.default_message = "取值应为以下之一：{choices}"
    v.Regexp.default_message = "格式不正确"
    v.Email.default_message = "邮箱格式不正确"
